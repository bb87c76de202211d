/**
 * Whom a per-client limit (live connections, scans) counts a request against. Next gives route handlers no
 * socket address; it only fills X-Forwarded-For from the socket when the request has none, and keeps whatever
 * a client sent otherwise — so the header says nothing trustworthy unless a known proxy wrote its right end.
 *
 * - Authenticated as a named user (basic, proxy, none's "local"): `user:<name>`, wherever they connect from.
 * - Otherwise, with BUSDECK_TRUSTED_PROXIES: `address:<ip>`, the right-most X-Forwarded-For hop that is not
 *   one of those proxies (each proxy appends the address it received the request from).
 * - Otherwise (no trusted proxy, or a shared identity like the `token` mode's): one shared `address:unattributed`,
 *   so forging the header cannot buy a client a fresh allowance.
 */
import { BlockList, isIP } from "node:net";
import { requestIdentity } from "./auth/identity";

/** Identities many people share (lib/security/auth.ts: the `token` mode's user): limits fall back to the address. */
const SHARED_USERS = new Set(["token"]);
export const UNATTRIBUTED = "address:unattributed";

/** An IPv4/IPv6 address, or one with a /prefix (CIDR); null when it is neither. */
export function parseAddressOrCidr(entry: string): { address: string; prefix: number | null; family: "ipv4" | "ipv6" } | null {
  const [address = "", prefixText, extra] = entry.trim().split("/");
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return null;
  const family = version === 4 ? "ipv4" : "ipv6";
  if (prefixText === undefined) return { address, prefix: null, family };
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  return prefix >= 0 && prefix <= (version === 4 ? 32 : 128) ? { address, prefix, family } : null;
}

/** BUSDECK_TRUSTED_PROXIES as a set of addresses and networks; empty means no proxy is trusted. */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const parsed = parseAddressOrCidr(entry);
      if (!parsed) throw new Error(`not an address or CIDR: ${entry}`);
      if (parsed.prefix === null) this.list.addAddress(parsed.address, parsed.family);
      else this.list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
    this.size = entries.length;
  }

  has(address: string): boolean {
    const plain = unmapIpv4(address);
    const version = isIP(plain);
    return version !== 0 && this.list.check(plain, version === 4 ? "ipv4" : "ipv6");
  }
}

/** The client's address from X-Forwarded-For, walking left past trusted proxies; null when none is trusted. */
export function forwardedClient(xForwardedFor: string | null, trusted: TrustedProxies): string | null {
  if (trusted.size === 0 || !xForwardedFor) return null;
  const hops = xForwardedFor.split(",").map((h) => unmapIpv4(h.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!trusted.has(hop)) return isIP(hop) ? hop : null; // a malformed hop is no address to key on
  }
  return hops[0] || null; // every hop is a trusted proxy: the request started at one of them
}

export function limiterKey(request: Request, trusted: TrustedProxies): string {
  const user = requestIdentity(request)?.user;
  if (user && !SHARED_USERS.has(user)) return `user:${user}`;
  const address = forwardedClient(request.headers.get("x-forwarded-for"), trusted);
  return address ? `address:${address}` : UNATTRIBUTED;
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is 192.0.2.1. */
function unmapIpv4(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}
