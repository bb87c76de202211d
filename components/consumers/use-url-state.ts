"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

/** View state lives in the URL: parse it with a lib/ schema, write patches back with replace (no history spam). */
export function useUrlState<S>(parse: (p: URLSearchParams) => S, toSearch: (s: S) => string): [S, (patch: Partial<S>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const key = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useMemo(() => parse(new URLSearchParams(key)), [key]);
  const update = useCallback(
    (patch: Partial<S>) => router.replace(`${pathname}${toSearch({ ...state, ...patch })}`, { scroll: false }),
    [router, pathname, state, toSearch],
  );
  return [state, update];
}
