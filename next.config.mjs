/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build dirs let several builds (tests, parallel work) coexist.
  distDir: process.env.BUSDECK_DIST_DIR || ".next",
  serverExternalPackages: ["@nats-io/transport-node", "@nats-io/nats-core", "@nats-io/jetstream", "@nats-io/kv", "ws", "prom-client"],
  poweredByHeader: false,
  reactStrictMode: true,
};
export default nextConfig;
