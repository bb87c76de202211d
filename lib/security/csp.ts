/**
 * The Content-Security-Policy for pages. Scripts run only with this request's nonce ('strict-dynamic' lets
 * Next's own chunks load), so nothing that arrives in a payload can ever execute, even if a view slipped.
 * Inline style attributes stay allowed: charts and virtualized tables position with them, and a style cannot
 * run code.
 */
export function buildCsp(nonce: string, opts: { dev?: boolean } = {}): string {
  const scriptSrc = ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"];
  if (opts.dev) scriptSrc.push("'unsafe-eval'"); // React's dev tooling evaluates code; never in production
  return [
    "default-src 'self'",
    `script-src ${scriptSrc.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
