/**
 * Runs before every page and route (Next 16's proxy, formerly middleware; Node.js runtime):
 * 1. auth — one gate for pages, API routes, the SSE stream and /metrics (lib/auth.ts decides);
 *    /api/health stays open for probes and only learns whether the caller is authenticated;
 * 2. the role for server code, as a request header clients cannot forge (stripped, then set here);
 * 3. a per-request CSP nonce for pages.
 */
import { NextResponse, type NextRequest } from "next/server";
import { authenticate, ROLE_HEADER, SESSION_COOKIE, TOKEN_PARAM, USER_HEADER, withoutTokenParam } from "./lib/auth";
import { buildCsp } from "./lib/csp";
import { loadAuth, type LoadedAuth } from "./server/auth/load-auth";

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

  const decision = authenticate(
    current.config,
    {
      authorization: request.headers.get("authorization"),
      sessionCookie: request.cookies.get(SESSION_COOKIE)?.value,
      queryToken: request.nextUrl.searchParams.get(TOKEN_PARAM),
      headers: (name) => request.headers.get(name),
    },
    current.sessionValue,
  );
  const requestHeaders = new Headers(request.headers);
  requestHeaders.delete(ROLE_HEADER);
  requestHeaders.delete(USER_HEADER);

  if (!decision.ok) {
    if (!OPEN_PATHS.has(request.nextUrl.pathname)) {
      const response = plain(401, `busdeck: ${decision.reason}`);
      if (decision.challenge) response.headers.set("WWW-Authenticate", decision.challenge);
      return response;
    }
  } else {
    if (decision.fromQuery && current.sessionValue) {
      // Trade the token in the URL for a cookie and drop it from the address bar, history and Referer.
      const response = NextResponse.redirect(withoutTokenParam(request.nextUrl), 303);
      response.cookies.set(SESSION_COOKIE, current.sessionValue, {
        httpOnly: true,
        sameSite: "strict",
        secure: request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https",
        path: "/",
      });
      return response;
    }
    requestHeaders.set(ROLE_HEADER, decision.role);
    // Header values are ByteStrings: a proxy-supplied name outside Latin-1 is percent-encoded.
    requestHeaders.set(USER_HEADER, encodeURIComponent(decision.user));
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

/** API responses carry no HTML to protect; prefetches reuse the page's nonce. */
function isPage(request: NextRequest): boolean {
  const path = request.nextUrl.pathname;
  if (path.startsWith("/api/") || path === "/metrics") return false;
  return !request.headers.has("next-router-prefetch") && request.headers.get("purpose") !== "prefetch";
}

function plain(status: number, text: string): NextResponse {
  return new NextResponse(`${text}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

export const config = {
  // Everything but build assets (they hold no data; the secrets e2e checks they hold no credentials either).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
