"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

/**
 * View state lives in the URL: parse it with a lib/ schema, write patches back. Native history.replaceState
 * (which Next's router syncs into useSearchParams) rather than router.replace: the filters apply to data the
 * browser already has, so a keystroke must not cost a server round trip for the page.
 */
export function useUrlState<S>(parse: (p: URLSearchParams) => S, toSearch: (s: S) => string): [S, (patch: Partial<S>) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const key = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useMemo(() => parse(new URLSearchParams(key)), [key]);
  const update = useCallback(
    (patch: Partial<S>) => window.history.replaceState(null, "", `${pathname}${toSearch({ ...state, ...patch })}`),
    [pathname, state, toSearch],
  );
  return [state, update];
}
