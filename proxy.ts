/** Per-request CSP nonce for pages (Next 16's proxy, formerly middleware). */
import { NextResponse, type NextRequest } from "next/server";
import { buildCsp } from "./lib/csp";

export function proxy(request: NextRequest) {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const nonce = btoa(String.fromCharCode(...bytes));
  const csp = buildCsp(nonce, { dev: process.env.NODE_ENV !== "production" });
  const requestHeaders = new Headers(request.headers);
  // Next reads the nonce from the request's CSP header and stamps it on its own scripts.
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Pages only: API responses and static assets carry no HTML to protect, and the SSE stream must not be touched.
  matcher: [
    {
      source: "/((?!api|metrics|_next/static|_next/image|favicon.ico).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }, { type: "header", key: "purpose", value: "prefetch" }],
    },
  ],
};
