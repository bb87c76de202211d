"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useLayoutEffect, useMemo } from "react";
import { addressOf, currentAddress, NO_WRITES, routerShows, searchOf, wrote, type AddressWrites } from "@/lib/view/address-writes";
import { bareSearch, useFrozenView } from "@/components/snapshots/frozen-context";

/** This tab's writes to the address (lib/view/address-writes.ts): one record shared by every view hook. */
let writes: AddressWrites = NO_WRITES;

export interface ViewSearch {
  /** The query string (without "?") the view shows. */
  search: string;
  /** The query string to build the next change on: the newest written, even before a render shows it. */
  read: () => string;
  /** Replace the query string ("?a=1" or ""). */
  write: (search: string) => void;
}

/**
 * The page's query string as its views wrote it. Writes use native history.replaceState (which Next's router
 * syncs into useSearchParams) rather than router.replace: filters apply to data the browser already has, so a
 * keystroke must not cost a server round trip. Until the router shows a write, views build on it, never on the
 * location bar, which the router rewrites with the older address of each state it commits. Inside a frozen
 * snapshot the query string is the frozen view's local state and the permalink never changes.
 */
export function useViewSearch(): ViewSearch {
  const params = useSearchParams();
  const pathname = usePathname();
  const frozen = useFrozenView();
  const routed = addressOf(pathname, params.toString());
  // A render may see an address the router has not committed (a transition) or an older committed one (an urgent
  // render meanwhile): reading is pure, and only a committed address updates the record.
  useLayoutEffect(() => {
    if (!frozen) writes = routerShows(writes, routed);
  }, [frozen, routed]);
  const shown = frozen ? frozen.search : searchOf(currentAddress(routerShows(writes, routed)) ?? routed);
  const read = useCallback(() => {
    if (frozen) return frozen.read();
    const current = currentAddress(writes);
    return current && addressOf(pathname, searchOf(current)) === current ? searchOf(current) : bareSearch(window.location.search);
  }, [frozen, pathname]);
  const write = useCallback(
    (search: string) => {
      if (frozen) return frozen.setSearch(bareSearch(search));
      const address = addressOf(pathname, search);
      if (address === currentAddress(writes)) return;
      writes = wrote(writes, address);
      window.history.replaceState(null, "", address);
    },
    [frozen, pathname],
  );
  return useMemo(() => ({ search: shown, read, write }), [shown, read, write]);
}
