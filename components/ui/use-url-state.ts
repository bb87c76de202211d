"use client";
import { useCallback, useMemo } from "react";
import { shellStateToSearch } from "@/lib/time/range";
import { useViewSearch } from "@/components/ui/use-view-search";

const NONE: readonly string[] = [];

/**
 * View state lives in the URL: parse it with a lib/ schema, write patches back (useViewSearch). A patch builds on
 * the newest written state, so two changes before a render both hold. The shell's time range and zone
 * (lib/time/range.ts) ride along unless the view lists them in `owned` (it writes them itself).
 */
export function useUrlState<S>(
  parse: (p: URLSearchParams) => S,
  toSearch: (s: S) => string,
  owned: readonly string[] = NONE,
): [S, (patch: Partial<S>) => void] {
  const { search, read, write } = useViewSearch();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useMemo(() => parse(new URLSearchParams(search)), [search]);
  const update = useCallback(
    (patch: Partial<S>) => {
      const current = read();
      write(shellStateToSearch(current, toSearch({ ...parse(new URLSearchParams(current)), ...patch }), owned));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [read, write, toSearch, owned],
  );
  return [state, update];
}
