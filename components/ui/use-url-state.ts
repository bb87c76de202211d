"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { shellStateToSearch } from "@/lib/time/range";
import { bareSearch, useFrozenView } from "@/components/snapshots/frozen-context";

const NONE: readonly string[] = [];

/**
 * View state lives in the URL: parse it with a lib/ schema, write patches back. Native history.replaceState
 * (which Next's router syncs into useSearchParams) rather than router.replace: the filters apply to data the
 * browser already has, so a keystroke must not cost a server round trip for the page. The shell's time range and
 * zone (lib/time/range.ts) ride along unless the view lists them in `owned` (it writes them itself).
 * Inside a frozen snapshot the state is the frozen URL's, and patches stay local (the permalink never changes).
 */
export function useUrlState<S>(
  parse: (p: URLSearchParams) => S,
  toSearch: (s: S) => string,
  owned: readonly string[] = NONE,
): [S, (patch: Partial<S>) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const frozen = useFrozenView();
  const key = frozen ? frozen.search : params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useMemo(() => parse(new URLSearchParams(key)), [key]);
  const update = useCallback(
    (patch: Partial<S>) => {
      const current = frozen ? `?${frozen.search}` : window.location.search;
      const search = shellStateToSearch(current, toSearch({ ...state, ...patch }), owned);
      if (frozen) frozen.setSearch(bareSearch(search));
      else window.history.replaceState(null, "", `${pathname}${search}`);
    },
    [pathname, state, toSearch, owned, frozen],
  );
  return [state, update];
}
