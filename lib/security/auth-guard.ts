/**
 * Request checks the gate (proxy.ts) makes besides authentication. Pure, like lib/security/auth.ts:
 * - writes must be same-origin and JSON, so a page on another site cannot act as the signed-in operator;
 * - in `none` mode the Host must be a loopback name (or an allowed one), so DNS rebinding cannot read busdeck;
 * - failed logins are throttled per user and per address.
 */
import { isLoopbackHost } from "./auth";

/** Methods that never change state; everything else goes through checkWriteRequest. */
const SAFE_METHODS = new Set(["GET", "HEAD"]);
/** `none`: the user typed the URL or used a bookmark. */
const SAME_ORIGIN_FETCH_SITES = new Set(["same-origin", "none"]);

export interface WriteRequestFacts {
  method: string;
  /** Sec-Fetch-Site, sent by every current browser and unforgeable by pages. */
  secFetchSite: string | null;
  origin: string | null;
  contentType: string | null;
  /** Content-Length above 0 or a Transfer-Encoding. */
  hasBody: boolean;
  /** host[:port] the client addressed: X-Forwarded-Host (a cross-site page cannot set it) or Host. */
  host: string | null;
}

/**
 * Why a state-changing request is refused, or null when it may go on. Browsers always send Sec-Fetch-Site or
 * Origin on cross-site writes; a request with neither is a script (curl, a Bearer client), which no page can make
 * carry credentials it does not hold. A body must be JSON: a page can only send JSON cross-site after a CORS
 * preflight, which busdeck never grants, and forms (text/plain, urlencoded, multipart) are refused.
 */
export function checkWriteRequest(req: WriteRequestFacts): string | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  const site = req.secFetchSite?.trim().toLowerCase();
  if (site && !SAME_ORIGIN_FETCH_SITES.has(site)) return `cross-site write refused (Sec-Fetch-Site: ${site})`;
  if (!site && req.origin !== null && !originMatchesHost(req.origin, req.host)) {
    return `cross-origin write refused (Origin ${req.origin} is not ${req.host ?? "this server"})`;
  }
  if ((req.hasBody || req.contentType !== null) && !isJsonContentType(req.contentType)) {
    return `writes take Content-Type: application/json (got ${req.contentType ?? "none"})`;
  }
  return null;
}

/** `application/json`, optionally with parameters (`; charset=utf-8`). */
export function isJsonContentType(value: string | null): boolean {
  return value !== null && /^application\/json\s*(;.*)?$/i.test(value.trim());
}

/** Host-and-port comparison: Sec-Fetch-Site covers current browsers; Origin is the fallback for older ones. */
function originMatchesHost(origin: string, host: string | null): boolean {
  if (!host) return false;
  try {
    const o = new URL(origin);
    const h = new URL(`${o.protocol}//${host}`);
    return o.host === h.host;
  } catch {
    return false; // "null" (sandboxed frames, some redirects) or garbage
  }
}

/** The name part of a Host header: `127.0.0.1:3000` → `127.0.0.1`, `[::1]:3000` → `[::1]`. */
export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const colon = h.lastIndexOf(":");
  return colon >= 0 ? h.slice(0, colon) : h;
}

/**
 * `none` mode: why the Host header is refused, or null. A DNS-rebinding page reaches 127.0.0.1 under its own
 * name (evil.example), so only loopback names and BUSDECK_ALLOWED_HOSTS are served. Host only, never
 * X-Forwarded-Host: a rebound page is same-origin to the browser and could set that header itself.
 */
export function checkHost(hostHeader: string | null, allowedHosts: readonly string[]): string | null {
  if (!hostHeader?.trim()) return "no Host header";
  const name = hostName(hostHeader);
  if (isLoopbackHost(name) || allowedHosts.includes(name)) return null;
  return `Host ${name} is not a loopback name; with BUSDECK_AUTH=none busdeck answers only localhost, 127.x.x.x, [::1] and BUSDECK_ALLOWED_HOSTS`;
}

export interface ThrottleLimits {
  /** Failures allowed within `windowMs` before further attempts are refused unchecked. */
  maxFailures: number;
  windowMs: number;
}

/**
 * Counts failed logins per key (a user name, an address) in a fixed window that starts at the first failure.
 * A blocked key is refused before its credentials are checked, so guessing costs a window per few tries.
 */
export class FailureThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();
  constructor(
    private readonly limits: ThrottleLimits,
    private readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  retryAfterMs(key: string, now: number): number {
    const entry = this.failures.get(key);
    if (!entry) return 0;
    const ends = entry.since + this.limits.windowMs;
    if (now >= ends) {
      this.failures.delete(key);
      return 0;
    }
    return entry.count >= this.limits.maxFailures ? ends - now : 0;
  }

  recordFailure(key: string, now: number): void {
    const entry = this.failures.get(key);
    if (entry && now < entry.since + this.limits.windowMs) entry.count++;
    else {
      // Bounded memory: a flood of distinct keys forgets the oldest first.
      if (this.failures.size >= this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(key, { count: 1, since: now });
    }
  }

  forget(key: string): void {
    this.failures.delete(key);
  }
}
