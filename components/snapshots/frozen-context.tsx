"use client";
/**
 * Marks a subtree as a frozen snapshot. Hooks that would read the live world — the URL's search params, the
 * wall clock — read the snapshot's instead, so the same view components render a stored view unchanged.
 * Filters still work inside a frozen view; they change local state, never the permalink's address.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";

export interface FrozenView {
  /** The frozen URL's query string without "?", as the view's filters last changed it. */
  search: string;
  setSearch: (search: string) => void;
  /** The query string as last set, before a render shows it: two quick changes build on each other. */
  read: () => string;
  /** The clock the view was frozen at (ms since epoch). */
  now: number;
}

const FrozenViewContext = createContext<FrozenView | null>(null);

/** null outside a frozen snapshot. */
export const useFrozenView = () => useContext(FrozenViewContext);

export function FrozenViewProvider({ search, now, children }: { search: string; now: number; children: ReactNode }) {
  const [current, setCurrent] = useState(search);
  const latest = useRef(search);
  const setSearch = useCallback((next: string) => {
    latest.current = next;
    setCurrent(next);
  }, []);
  const read = useCallback(() => latest.current, []);
  const value = useMemo(() => ({ search: current, setSearch, read, now }), [current, setSearch, read, now]);
  return <FrozenViewContext.Provider value={value}>{children}</FrozenViewContext.Provider>;
}

/** "?a=1" and "a=1" name the same query string. */
export const bareSearch = (search: string) => search.replace(/^\?/, "");
