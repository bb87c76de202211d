# busdeck container image: Next's standalone server, no nats-server inside (NATS_URL is required).
# Build: docker build -t busdeck .   Run: docker run -e NATS_URL=nats://nats:4222 -e BUSDECK_AUTH=token \
#   -e BUSDECK_AUTH_TOKEN=... -p 3000:3000 busdeck
# e2e/deploy.spec.ts runs the standalone output exactly as the last stage does (no Docker engine in CI).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No system packages: the image never starts nats-server, so `npm run setup` is not needed.
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 BUSDECK_STANDALONE=1 BUSDECK_DIST_DIR=.next
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN node node_modules/next/dist/bin/next build && mkdir -p public

FROM node:20-bookworm-slim AS run
WORKDIR /app
# HOSTNAME is what standalone server.js binds; 0.0.0.0 is off loopback, so BUSDECK_AUTH=none is refused at
# start: the image needs BUSDECK_AUTH=token|basic|proxy (see docs/security.md "Who may see what").
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
RUN groupadd --system --gid 10001 busdeck && useradd --system --uid 10001 --gid busdeck --no-create-home --shell /usr/sbin/nologin busdeck
# The same three copies e2e/deploy.spec.ts makes: the traced server, its static assets, public/.
COPY --from=build --chown=root:root /app/.next/standalone ./
COPY --from=build --chown=root:root /app/.next/static ./.next/static
COPY --from=build --chown=root:root /app/public ./public
# The launcher that starts node with the server's flags (scripts/serve.sh).
COPY --from=build --chown=root:root /app/scripts/serve.sh ./scripts/serve.sh
# Code stays root-owned and read-only to the app; only Next's cache dir is writable.
RUN mkdir -p .next/cache && chown busdeck:busdeck .next/cache
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Without NATS_URL busdeck would try to start an embedded nats-server, which the image does not have.
CMD ["sh", "-c", "[ -n \"$NATS_URL\" ] || { echo 'busdeck: NATS_URL is required in the container image (it has no nats-server)' >&2; exit 64; }; exec sh scripts/serve.sh server.js"]
