/**
 * The address a tab's views build on while the router catches up. A view writes its state into the address
 * at once (history.replaceState); the router shows each written address a little later, and on every commit it
 * writes the address of the state it just committed back into the location bar, which can be an older one.
 * So views build on the newest address they wrote until the router shows it, and adopt any address they did
 * not write (a link, the back button). Pure; the hook in components/ui keeps one per tab.
 */

/** Bound on writes awaiting the router: far more than a person makes before a commit. */
const MAX_PENDING = 64;

export interface AddressWrites {
  /** Addresses written and not yet shown by the router, oldest first. */
  readonly pending: readonly string[];
  /** The address the router showed last. */
  readonly routed: string | null;
}

export const NO_WRITES: AddressWrites = { pending: [], routed: null };

/** One spelling per address: `/path` or `/path?a=1&b=2`, encoded as URLSearchParams encodes. */
export function addressOf(pathname: string, search: string): string {
  const q = new URLSearchParams(search).toString();
  return q ? `${pathname}?${q}` : pathname;
}

/** The query string of an address, without "?". */
export const searchOf = (address: string) => (address.includes("?") ? address.slice(address.indexOf("?") + 1) : "");

/** The router shows `routed`: writes up to it are done; an address nobody here wrote replaces them all. */
export function routerShows(w: AddressWrites, routed: string): AddressWrites {
  if (routed === w.routed) return w;
  const i = w.pending.indexOf(routed);
  return { routed, pending: i >= 0 ? w.pending.slice(i + 1) : [] };
}

/** A view wrote `address`. */
export const wrote = (w: AddressWrites, address: string): AddressWrites => ({
  ...w,
  pending: [...w.pending, address].slice(-MAX_PENDING),
});

/** What views show and build on: the newest write the router has not shown yet, else what it shows. */
export const currentAddress = (w: AddressWrites): string | null => w.pending.at(-1) ?? w.routed;
