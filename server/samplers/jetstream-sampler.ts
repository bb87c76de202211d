/**
 * Samples every stream and its consumers once per interval: one paged stream list, then one consumer list
 * per stream (concurrency-capped) — never a request per consumer. A failing stream is reported in the
 * snapshot's errors and keeps its last good data; the others are unaffected. The consumer tracker then adds
 * what a window of samples tells (lag seconds, rates, health); its few exact message lookups are budgeted.
 */
import type { JetStreamManager, Lister, StreamInfo } from "@nats-io/jetstream";
import { z } from "zod";
import { keepMissing, LastReadings, REMEMBER_READING_MS } from "../../lib/consumers/provenance";
import { previousByPosition, type ConsumerBase, type ConsumerSummary } from "../../lib/consumers/types";
import { emptyStreamsSnapshot, streamRates, type StreamSummary } from "../../lib/streams/types";
import { everyInterval, mapLimit } from "../concurrency";
import type { ConsumerTracker } from "../consumers/tracker";
import type { Hub } from "../hub/hub";
import { describeError } from "../../lib/errors";
import { mapConsumer, mapStream } from "./jetstream-map";

export interface JetStreamSamplerOptions {
  jsm: () => Promise<JetStreamManager>;
  hub: Hub;
  intervalMs: number;
  concurrency: number;
  /** busdeck's own streams, carried in the streams snapshot so no view counts them as needing attention. */
  ownStreams?: string[];
  /** Derives lag seconds, rates and health; without one, consumers are published with `insight: null`. */
  tracker?: ConsumerTracker;
  now?: () => Date;
  onSample?: (durationMs: number, ok: boolean) => void;
  log?: (msg: string) => void;
}

/**
 * A JetStream list page by page, as the API returns it: the lister's own async iterator yields item by item, an
 * async-generator step (a promise, a microtask, a result object) per consumer, garbage on every sample.
 */
export async function* pagesOf<T>(lister: Lister<T>): AsyncGenerator<T[]> {
  for (let page = await lister.next(); page.length > 0; page = await lister.next()) yield page;
}

/**
 * nats-server 2.9.10 with the node leading an R1 consumer killed: the list reply takes ~4 s, leaves that consumer
 * out of `consumers` and names it in `"missing": ["r1"]`, with `total` counting only the others.
 */
const ConsumerListReplySchema = z.object({ missing: z.array(z.string()).optional() });

/** The consumers the lister's last reply reported missing (the client keeps that reply as `pageInfo`, untyped). */
export function missingOf(lister: Lister<unknown>): string[] {
  const reply = ConsumerListReplySchema.safeParse((lister as unknown as { pageInfo?: unknown }).pageInfo);
  return reply.success ? (reply.data.missing ?? []) : [];
}

const NO_CONSUMERS: readonly ConsumerBase[] = [];

export function startJetStreamSampler(opts: JetStreamSamplerOptions): () => void {
  return everyInterval(opts.intervalMs, createSampleTick(opts), (err) => opts.log?.(`jetstream sampler: ${describeError(err)}`));
}

/** One full sample (lists, mapping, tracker), callable on its own so the bench measures exactly what runs each tick. */
export function createSampleTick(opts: JetStreamSamplerOptions): () => Promise<void> {
  const now = opts.now ?? (() => new Date());
  // Start from what the hub already shows (a replica promoted to sampler has the leader's last sample), so
  // rates continue across a failover instead of restarting from nothing.
  const shown = opts.hub.getState("streams")?.streams ?? [];
  let prevStreams = new Map<string, StreamSummary>(shown.map((s) => [s.name, s]));
  let prevConsumers = new Map<string, ConsumerBase[]>();
  for (const c of opts.hub.getState("consumers")?.consumers ?? []) {
    const list = prevConsumers.get(c.stream);
    if (list) list.push(c);
    else prevConsumers.set(c.stream, [c]);
  }
  // What a consumer named missing is shown as: its last reading, even when the sample before left it out.
  const lastReadings = new LastReadings<ConsumerBase>();
  for (const list of prevConsumers.values()) lastReadings.remember(list, Date.parse(now().toISOString()));

  const tick = async () => {
    const started = Date.now();
    const sampledAt = now().toISOString();
    try {
      const jsm = await opts.jsm();
      // The list API pages by offset: when the list shifts between pages (a stream added, a cluster node
      // down) an entry can come twice. Keyed by name, the later copy wins.
      const byName = new Map<string, StreamInfo>();
      for await (const page of pagesOf(jsm.streams.list())) for (const si of page) byName.set(si.config.name, si);
      const infos = [...byName.values()];
      const errors: { stream: string | null; message: string }[] = [];
      const streams: StreamSummary[] = infos.map((si) => {
        const base = mapStream(si, sampledAt);
        return { ...base, rates: streamRates(prevStreams.get(base.name), base) };
      });
      // Each stream's consumers go through the tracker as soon as their list is in, while the other lists are
      // still on the wire: deriving all 10,000 after the last list added its whole time to the sample's.
      const tracking = opts.tracker?.begin(streams, Date.parse(sampledAt));
      // The listed consumers, and the ones the list reported missing as their last good reading (unknown).
      const listConsumers = async (name: string): Promise<{ list: ConsumerBase[]; unknown: ConsumerBase[] }> => {
        try {
          const list = new Map<string, ConsumerBase>();
          const missing = new Set<string>();
          const before = previousByPosition(prevConsumers.get(name));
          const lister = jsm.consumers.list(name);
          for (let page = await lister.next(); ; page = await lister.next()) {
            for (const m of missingOf(lister)) missing.add(m);
            if (page.length === 0) break;
            for (const ci of page) list.set(ci.name, mapConsumer(ci, sampledAt, before(list.size, name, ci.name)));
          }
          return { list: [...list.values()], unknown: keepMissing(lastReadings.of(name), [...missing], sampledAt) };
        } catch (err) {
          // No list this sample (e.g. a timeout while a node is down): its consumers were not read, so all are unknown.
          errors.push({ stream: name, message: describeError(err) });
          const before = prevConsumers.get(name) ?? lastReadings.of(name);
          return {
            list: [],
            unknown: keepMissing(
              before,
              before.map((c) => c.name),
              sampledAt,
            ),
          };
        }
      };
      const perStream = await mapLimit(streams, opts.concurrency, async (s) => {
        const { list, unknown } = await listConsumers(s.name);
        // unknown ones keep their tracked state (window, history) but are not derived from a reading that is not new;
        // with a tracker the mapped list is not kept to the tick's end (the summaries are what lives on)
        if (tracking) return { list: NO_CONSUMERS, tracked: tracking.add(list), kept: tracking.keep(unknown) };
        return { list: unknown.length ? [...list, ...unknown] : list, tracked: undefined, kept: undefined };
      });
      prevStreams = new Map(streams.map((s) => [s.name, s]));
      // The summaries, not the mapped lists they were made from: the hub holds them until the next sample anyway,
      // and the mapped objects then die young instead of living a whole interval (10,000 promoted a sample).
      const tracked = (p: (typeof perStream)[number]) =>
        p.kept!.consumers.length ? [...p.tracked!.consumers, ...p.kept!.consumers] : p.tracked!.consumers;
      prevConsumers = new Map(streams.map((s, i) => [s.name, perStream[i]!.tracked ? tracked(perStream[i]!) : perStream[i]!.list]));
      for (const list of prevConsumers.values()) lastReadings.remember(list, Date.parse(sampledAt));
      lastReadings.forget(Date.parse(sampledAt) - REMEMBER_READING_MS);
      const consumers: ConsumerSummary[] = tracking
        ? tracking.finish(perStream.flatMap((p) => [p.tracked!, p.kept!]))
        : perStream.flatMap((p) => p.list.map((c) => ({ ...c, insight: null })));
      const duration = Date.now() - started;
      const status = errors.length ? "degraded" : "ok";
      const own_streams = opts.ownStreams ?? [];
      opts.hub.publishState("streams", { status, sampled_at: sampledAt, duration_ms: duration, streams, errors, own_streams });
      opts.hub.publishState("consumers", { status, sampled_at: sampledAt, duration_ms: duration, consumers, errors });
      opts.onSample?.(duration, errors.length === 0);
    } catch (err) {
      // The whole tick failed (NATS down, JetStream unavailable): keep the last data, say it is stale.
      markSamplesDegraded(opts.hub, describeError(err));
      opts.onSample?.(Date.now() - started, false);
    }
  };
  return tick;
}

/** Keeps the last streams and consumers but marks them stale, with the reason as their one error. */
export function markSamplesDegraded(hub: Hub, message: string): void {
  const failed = { stream: null, message };
  hub.updateState("streams", { ...emptyStreamsSnapshot(), status: "degraded" }, (p) => ({
    ...p,
    status: "degraded",
    errors: [failed],
  }));
  hub.updateState("consumers", { status: "degraded", sampled_at: null, duration_ms: null, consumers: [], errors: [] }, (p) => ({
    ...p,
    status: "degraded",
    errors: [failed],
  }));
}
