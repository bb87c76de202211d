// Every response, pages and API alike. The page CSP (with its per-request nonce) is set in proxy.ts.
const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build dirs let several builds (tests, parallel work) coexist.
  distDir: process.env.BUSDECK_DIST_DIR || ".next",
  // BUSDECK_STANDALONE=1: a self-contained server (<distDir>/standalone/server.js) for the container image.
  ...(process.env.BUSDECK_STANDALONE === "1" ? { output: "standalone" } : {}),
  serverExternalPackages: [
    "@nats-io/transport-node",
    "@nats-io/nats-core",
    "@nats-io/jetstream",
    "@nats-io/kv",
    "@nats-io/obj",
    "ws",
    "prom-client",
    // Its protobuf form (never used: rollups store their own JSON form) requires a package it does not declare.
    "@datadog/sketches-js",
  ],
  poweredByHeader: false,
  // Nothing uses next/image, and /_next/image sits outside proxy.ts's gate: off, it answers 404 to everything.
  images: { unoptimized: true },
  reactStrictMode: true,
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};
export default nextConfig;
