import { describe, expect, it } from "vitest";
import { IDENTITY_SIGNATURE_HEADER, ROLE_HEADER, USER_HEADER } from "../lib/security/auth";
import { signIdentity } from "./auth/gate-signature";
import { TrustedProxies, UNATTRIBUTED, forwardedClient, limiterKey, parseAddressOrCidr } from "./client-key";
import { parseConfig } from "./config";

const NO_PROXY = new TrustedProxies([]);
const PROXIES = new TrustedProxies(["10.0.0.0/8", "192.0.2.10", "2001:db8::/32"]);

function request(headers: Record<string, string>): Request {
  return new Request("http://busdeck.test/api/events", { headers });
}
/** Identity headers as the gate (proxy.ts) sets them: signed, or requestIdentity ignores them. */
const signedIn = (user: string, more: Record<string, string> = {}) =>
  request({
    [ROLE_HEADER]: "viewer",
    [USER_HEADER]: encodeURIComponent(user),
    [IDENTITY_SIGNATURE_HEADER]: signIdentity("viewer", encodeURIComponent(user)),
    ...more,
  });

describe("client key for per-client limits", () => {
  it("client key - without a trusted proxy a forged X-Forwarded-For buys no fresh allowance", () => {
    const keys = ["198.51.100.1", "198.51.100.2", "203.0.113.9, 10.0.0.1"].map((xff) =>
      limiterKey(request({ "x-forwarded-for": xff }), NO_PROXY),
    );
    expect(new Set(keys)).toEqual(new Set([UNATTRIBUTED]));
  });

  it("client key - a named user is counted as themselves wherever they connect from", () => {
    expect(limiterKey(signedIn("alice", { "x-forwarded-for": "198.51.100.1" }), NO_PROXY)).toBe("user:alice");
    expect(limiterKey(signedIn("alice", { "x-forwarded-for": "198.51.100.2" }), PROXIES)).toBe("user:alice");
    expect(limiterKey(signedIn("bob"), NO_PROXY)).toBe("user:bob");
    // The token mode's one identity is shared by everyone holding the token: it falls back to the address.
    expect(limiterKey(signedIn("token", { "x-forwarded-for": "198.51.100.3, 10.1.2.3" }), PROXIES)).toBe("address:198.51.100.3");
  });

  it("client key - behind trusted proxies the right-most untrusted hop is the client", () => {
    expect(forwardedClient("198.51.100.7", PROXIES)).toBe("198.51.100.7");
    // A client-sent (forged) first entry is left of what the proxies appended.
    expect(forwardedClient("6.6.6.6, 198.51.100.7, 10.9.8.7", PROXIES)).toBe("198.51.100.7");
    expect(forwardedClient("198.51.100.7, 192.0.2.10", PROXIES)).toBe("198.51.100.7");
    expect(forwardedClient("2001:db8::5, ::ffff:10.0.0.3", PROXIES)).toBe("2001:db8::5");
    expect(forwardedClient("10.0.0.5, 10.0.0.6", PROXIES)).toBe("10.0.0.5"); // started at a proxy
    expect(forwardedClient("not-an-address, 10.0.0.6", PROXIES)).toBeNull();
    expect(forwardedClient(null, PROXIES)).toBeNull();
    expect(limiterKey(request({ "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.9.8.7" }), PROXIES)).toBe("address:198.51.100.7");
    expect(limiterKey(request({}), PROXIES)).toBe(UNATTRIBUTED);
  });

  it("client key - BUSDECK_TRUSTED_PROXIES takes addresses and CIDRs and names a bad entry", () => {
    expect(parseAddressOrCidr("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseAddressOrCidr("::1")).toEqual({ address: "::1", prefix: null, family: "ipv6" });
    for (const bad of ["10.0.0.0/33", "proxy.local", "10.0.0.1/8/1", "10.0.0/8", "::1/129", "1.2.3.4/x"])
      expect(parseAddressOrCidr(bad)).toBeNull();
    expect(parseConfig({ BUSDECK_TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.1" }).trustedProxies).toEqual(["10.0.0.0/8", "192.0.2.1"]);
    expect(parseConfig({}).trustedProxies).toEqual([]);
    expect(() => parseConfig({ BUSDECK_TRUSTED_PROXIES: "10.0.0.0/8, proxy.local" })).toThrow(/BUSDECK_TRUSTED_PROXIES.*proxy\.local/);
  });
});
