/**
 * Runs before every page and route (Next 16's proxy, formerly middleware; Node.js runtime):
 * 1. request checks (lib/security/auth-guard.ts): in `none` mode only loopback Host names (DNS rebinding); every write
 *    same-origin and JSON (cross-site requests riding the browser's credentials);
 * 2. auth — one gate for pages, API routes, the SSE stream and /metrics (lib/security/auth.ts decides), failed logins
 *    throttled; /api/health stays open for probes and only learns whether the caller is authenticated;
 * 3. the role for server code, as request headers signed with this process's key (server/auth/gate-signature.ts);
 * 4. a per-request CSP nonce for pages.
 */
import { NextResponse, type NextRequest } from "next/server";
import {
  authenticate,
  IDENTITY_SIGNATURE_HEADER,
  parseBasicAuthorization,
  ROLE_HEADER,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  sessionCookieName,
  TOKEN_PARAM,
  USER_HEADER,
  withoutTokenParam,
  type AuthDecision,
  type Role,
} from "./lib/security/auth";
import { checkHost, checkWriteRequest, FailureThrottle } from "./lib/security/auth-guard";
import { buildCsp } from "./lib/security/csp";
import { signIdentity } from "./server/auth/gate-signature";
import { loadAuth, type LoadedAuth } from "./server/auth/load-auth";

/** Failed logins: a few per address (the guesser), more per user name (many addresses guessing one user). */
const failuresByAddress = new FailureThrottle({ maxFailures: 10, windowMs: 15 * 60_000 });
const failuresByUser = new FailureThrottle({ maxFailures: 30, windowMs: 15 * 60_000 });

const OPEN_PATHS = new Set(["/api/health"]);

let loaded: LoadedAuth | Error | undefined;
/** Parsed once per process. A bad config also stops start-up (server/config.ts); until then, refuse to serve. */
function auth(): LoadedAuth | Error {
  if (loaded === undefined) {
    try {
      loaded = loadAuth(process.env);
    } catch (err) {
      loaded = err as Error;
    }
  }
  return loaded;
}

export function proxy(request: NextRequest) {
  const current = auth();
  if (current instanceof Error) return plain(500, `busdeck is misconfigured: ${current.message}`);

  // A path that does not percent-decode (`%E0`) is the client's mistake: a 400, not a router error.
  if (!decodesAsUri(request.nextUrl.pathname)) return plain(400, "busdeck: the path is not valid percent-encoded UTF-8");

  const refusal = requestRefusal(request, current);
  if (refusal) return forbidden(refusal);

  const throttleKeys = loginThrottleKeys(request);
  const retryAfterMs = Math.max(0, ...throttleKeys.map(([throttle, key]) => throttle.retryAfterMs(key, Date.now())));
  if (retryAfterMs > 0) {
    const response = plain(429, "busdeck: too many failed logins; try again later");
    response.headers.set("Retry-After", String(Math.ceil(retryAfterMs / 1000)));
    return response;
  }

  const decision = authenticate(
    current.config,
    {
      authorization: request.headers.get("authorization"),
      sessionCookie: request.cookies.get(SECURE_SESSION_COOKIE)?.value ?? request.cookies.get(SESSION_COOKIE)?.value,
      queryToken: request.nextUrl.searchParams.get(TOKEN_PARAM),
      headers: (name) => request.headers.get(name),
    },
    current.session && ((cookie) => current.session!.role(cookie, Date.now())),
  );
  recordLoginOutcome(decision, throttleKeys);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.delete(ROLE_HEADER);
  requestHeaders.delete(USER_HEADER);
  requestHeaders.delete(IDENTITY_SIGNATURE_HEADER);

  if (!decision.ok) {
    if (!OPEN_PATHS.has(request.nextUrl.pathname)) {
      const response = plain(401, `busdeck: ${decision.reason}`);
      if (decision.challenge) response.headers.set("WWW-Authenticate", decision.challenge);
      return response;
    }
  } else {
    if (decision.fromQuery && current.session) return tradeTokenForCookie(request, current.session, decision.role);
    // Header values are ByteStrings: a proxy-supplied name outside Latin-1 is percent-encoded.
    const user = encodeURIComponent(decision.user);
    requestHeaders.set(ROLE_HEADER, decision.role);
    requestHeaders.set(USER_HEADER, user);
    requestHeaders.set(IDENTITY_SIGNATURE_HEADER, signIdentity(decision.role, user));
  }

  if (!isPage(request)) return NextResponse.next({ request: { headers: requestHeaders } });
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const nonce = btoa(String.fromCharCode(...bytes));
  const csp = buildCsp(nonce, { dev: process.env.NODE_ENV !== "production" });
  // Next reads the nonce from the request's CSP header and stamps it on its own scripts.
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

/** Why the request is refused before any credential is looked at: a rebound Host in `none` mode, a cross-site or non-JSON write. */
function requestRefusal(request: NextRequest, current: LoadedAuth): string | null {
  if (current.config.mode === "none") {
    const hostRefusal = checkHost(request.headers.get("host"), current.config.allowedHosts);
    if (hostRefusal) return hostRefusal;
  }
  const hasBody = Number(request.headers.get("content-length") ?? 0) > 0 || request.headers.has("transfer-encoding");
  return checkWriteRequest({
    method: request.method,
    secFetchSite: request.headers.get("sec-fetch-site"),
    origin: request.headers.get("origin"),
    contentType: request.headers.get("content-type"),
    hasBody,
    host: firstValue(request.headers.get("x-forwarded-host")) ?? request.headers.get("host"),
  });
}

/**
 * The throttle entries a login attempt counts against: its address (when known: one shared "unknown" entry would
 * let anyone lock everyone out), and the user name it presents (basic).
 */
function loginThrottleKeys(request: NextRequest): [FailureThrottle, string][] {
  const keys: [FailureThrottle, string][] = [];
  const address = clientAddress(request);
  if (address) keys.push([failuresByAddress, address]);
  const basicUser = parseBasicAuthorization(request.headers.get("authorization"))?.user;
  if (basicUser !== undefined) keys.push([failuresByUser, basicUser]);
  return keys;
}

/** Only attempts that presented credentials count: a first visit without them is not a guess. */
function recordLoginOutcome(decision: AuthDecision, keys: [FailureThrottle, string][]): void {
  if (decision.ok) {
    for (const [throttle, key] of keys) if (throttle === failuresByAddress) throttle.forget(key);
    return;
  }
  if (!decision.presented) return;
  for (const [throttle, key] of keys) throttle.recordFailure(key, Date.now());
}

/** Trade the token in the URL for a dated, signed cookie and drop it from the address bar, history and Referer. */
function tradeTokenForCookie(request: NextRequest, session: NonNullable<LoadedAuth["session"]>, role: Role): NextResponse {
  const secure = request.nextUrl.protocol === "https:" || firstValue(request.headers.get("x-forwarded-proto")) === "https";
  const response = NextResponse.redirect(withoutTokenParam(request.nextUrl), 303);
  response.cookies.set(sessionCookieName(secure), session.issue(Date.now(), role), {
    httpOnly: true,
    sameSite: "strict",
    secure,
    path: "/",
    maxAge: session.maxAgeSec,
  });
  return response;
}

/**
 * X-Forwarded-For, else X-Real-IP, as a reverse proxy sets them. Next fills X-Forwarded-For from the socket only
 * after the proxy has run (checked under `next start`), so a direct client has no address here: null.
 */
function clientAddress(request: NextRequest): string | null {
  return firstValue(request.headers.get("x-forwarded-for")) || request.headers.get("x-real-ip");
}

function firstValue(header: string | null): string | null {
  return header?.split(",")[0]?.trim() || null;
}

function forbidden(reason: string): NextResponse {
  return NextResponse.json({ error: "forbidden", reason }, { status: 403, headers: { "Cache-Control": "no-store" } });
}

/** API responses carry no HTML to protect; prefetches reuse the page's nonce. */
function isPage(request: NextRequest): boolean {
  const path = request.nextUrl.pathname;
  if (path.startsWith("/api/") || path === "/metrics") return false;
  return !request.headers.has("next-router-prefetch") && request.headers.get("purpose") !== "prefetch";
}

function decodesAsUri(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function plain(status: number, text: string): NextResponse {
  return new NextResponse(`${text}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

export const config = {
  // Everything but build assets (they hold no data; the secrets e2e checks they hold no credentials either).
  matcher: ["/((?!_next/static|favicon.ico).*)"],
};
