"use client";
import { createContext, useContext, type ReactNode } from "react";
import type { Role } from "@/lib/security/auth";

/**
 * The caller's role as proxy.ts decided it, and whether this deployment is read-only (BUSDECK_READ_ONLY), handed
 * down from the server layout. They only decide which controls are shown; every write is checked again on the server.
 */
const RoleContext = createContext<{ role: Role; readOnly: boolean }>({ role: "viewer", readOnly: false });

export const useRole = () => useContext(RoleContext).role;
export const useReadOnly = () => useContext(RoleContext).readOnly;
/** Whether to offer write controls: an operator, on a deployment that allows writes. */
export const useIsOperator = () => {
  const { role, readOnly } = useContext(RoleContext);
  return role === "operator" && !readOnly;
};

export function RoleProvider({ role, readOnly, children }: { role: Role; readOnly: boolean; children: ReactNode }) {
  return <RoleContext.Provider value={{ role, readOnly }}>{children}</RoleContext.Provider>;
}
