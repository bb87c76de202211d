"use client";
import { createContext, useContext, type ReactNode } from "react";
import type { Role } from "@/lib/security/auth";

/**
 * The caller's role as proxy.ts decided it, handed down from the server layout. It only decides which controls
 * are shown; every state-changing route checks the role again on the server.
 */
const RoleContext = createContext<Role>("viewer");

export const useRole = () => useContext(RoleContext);
export const useIsOperator = () => useContext(RoleContext) === "operator";

export function RoleProvider({ role, children }: { role: Role; children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>;
}
