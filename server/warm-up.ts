/**
 * Asks for each page once, right after start-up, over loopback, before anyone else does: the first request for a
 * page compiles and warms its render path, and that first visitor is often on-call just after a deploy
 * (bench:consumer-view in bench/RESULTS.md). Pages are asked for once the first sample is in, so their first
 * screens render real data and warm the same code a visitor will use.
 * It holds only with node's --no-flush-bytecode (scripts/serve.sh): V8 otherwise drops the bytecode of functions
 * idle for a few major GCs, and the render path goes cold again.
 * Best effort: a page that fails is logged, nothing is thrown, and the server serves meanwhile as before.
 */
import { selfRequestHeaders } from "../lib/security/auth";
import { links } from "../lib/links";
import { describeError } from "../lib/errors";
import { whenReady } from "../lib/time/wait";
import { loadAuth } from "./auth/load-auth";
import type { Hub } from "./hub/hub";

/** The views' pages. */
export const VIEW_PAGES = ["/", "/streams", "/consumers", "/outcomes", "/failover"] as const;

/**
 * The views' pages, and a stream's, its message browser's and a consumer's page when the sample has one: their
 * routes are code of their own, and a consumer's page is where on-call lands from an alert.
 */
export function pagesToWarm(hub: Hub | undefined): string[] {
  const stream = hub?.getState("streams")?.streams[0]?.name;
  const consumer = hub?.getState("consumers")?.consumers[0];
  return [
    ...VIEW_PAGES,
    ...(stream ? [links.stream(stream), links.browse(stream)] : []),
    ...(consumer ? [links.consumer(consumer.stream, consumer.name)] : []),
  ];
}
const PAGE_TIMEOUT_MS = 30_000;
/** A bus too big or too slow to sample within this still gets its pages warmed, from what there is. */
const FIRST_SAMPLE_WAIT_MS = 60_000;

/** Requests `paths` one after another (not to compete with each other); returns how many answered 2xx. */
export async function warmUpPages(
  origin: string,
  headers: Record<string, string>,
  paths: readonly string[],
  log?: (msg: string) => void,
): Promise<number> {
  let ok = 0;
  for (const path of paths) {
    try {
      const res = await fetch(new URL(path, origin), { headers, redirect: "manual", signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) });
      await res.arrayBuffer(); // the whole page: rendering runs until the body ends
      if (res.ok) ok++;
      else log?.(`warm-up: ${path} answered ${res.status}`);
    } catch (err) {
      log?.(`warm-up: ${path}: ${describeError(err)}`);
    }
  }
  return ok;
}

/** Resolves once the hub holds a consumers sample (the first screens are rendered from it), or after `maxWaitMs`. */
export function firstSample(hub: Hub, maxWaitMs: number): Promise<void> {
  const sampled = () => hub.getState("consumers")?.sampled_at != null;
  return whenReady(sampled, (onChange) => hub.onChange((topic) => topic === "consumers" && onChange()), maxWaitMs);
}

/**
 * Starts the warm-up of a production server in the background. Not awaited: Next holds every request until
 * start-up (instrumentation's register()) has finished, so awaiting the requests there would wait forever.
 * The origin is where `next start` listens, as it records it in the environment.
 */
export function warmUpInBackground(env: Record<string, string | undefined>, hub: Hub | undefined, log: (msg: string) => void): void {
  const origin = env.__NEXT_PRIVATE_ORIGIN ?? (env.PORT ? `http://127.0.0.1:${env.PORT}` : undefined);
  if (env.NODE_ENV !== "production" || !origin) return;
  let headers: Record<string, string>;
  try {
    headers = selfRequestHeaders(loadAuth(env).config);
  } catch {
    return; // a bad auth config stops start-up elsewhere, with its reason
  }
  void (hub ? firstSample(hub, FIRST_SAMPLE_WAIT_MS) : Promise.resolve()).then(() => {
    const started = Date.now();
    const pages = pagesToWarm(hub);
    return warmUpPages(origin, headers, pages, log).then((ok) =>
      log(`warm-up: ${ok} of ${pages.length} pages rendered in ${Date.now() - started} ms`),
    );
  });
}
