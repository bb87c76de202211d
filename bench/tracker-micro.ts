/**
 * Consumer tracker alone (docs/benchmarks.md#consumer-tracker--benchtracker): CPU per tick for STREAMS × CONSUMERS
 * consumers, no NATS, so a profile of it shows only the tracker. Prints figures; asserts nothing.
 *
 *   npm run bench:tracker -- [--streams 100] [--consumers 100] [--ticks 200] [--fleet mixed|stall]
 *
 * The mixed fleet (default): a third stuck behind (ack floor never moves), a third caught up, a third on streams
 * that get messages every tick and acking them (ack floor and stream both move). The stall fleet is
 * bench:consumer-sampler's default: every consumer behind, never active and created just before the first tick,
 * so STALL, which turns STOP after a minute without activity; `stopAfterMs` is an hour here so every tick
 * measured is STALL.
 */
import { parseArgs } from "node:util";
import { DEFAULT_HEALTH_CONFIG } from "../lib/consumers/health";
import type { ConsumerBase } from "../lib/consumers/types";
import { consumerSummary } from "../testing/fixtures/consumer";
import type { StreamSummary } from "../lib/streams/types";
import { ConsumerTracker } from "../server/consumers/tracker";
import { percentile } from "../testing/probes/proc-stats";

const { values } = parseArgs({
  options: {
    streams: { type: "string", default: "100" },
    consumers: { type: "string", default: "100" },
    ticks: { type: "string", default: "200" },
    fleet: { type: "string", default: "mixed" },
  },
});
const STREAMS = Number(values.streams);
const PER_STREAM = Number(values.consumers);
const TICKS = Number(values.ticks);
const STALL_FLEET = values.fleet === "stall";
const T0 = Date.parse("2026-12-03T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

const streamAt = (s: number, k: number): StreamSummary => {
  const moving = !STALL_FLEET && s % 3 === 2;
  const last = 1_000 + (moving ? k * 5 : 0);
  return {
    name: `S${s}`,
    state: { first_seq: 1, last_seq: last, first_ts: iso(T0 - 3_600_000), last_ts: iso(moving ? T0 + k * 1_000 : T0 - 60_000) },
  } as unknown as StreamSummary;
};
const consumerAt = (s: number, c: number, k: number): ConsumerBase => {
  const { insight: _, ...base } = consumerSummary(`S${s}`, `c${String(c).padStart(3, "0")}`, { lag: 0 });
  if (STALL_FLEET) {
    const never = { consumer_seq: 0, stream_seq: 0, last_active: null };
    return { ...base, created: iso(T0 - 1_000), num_pending: 1_000, num_ack_pending: 0, ack_floor: never, delivered: never };
  }
  const kind = s % 3;
  const floor = kind === 0 ? 500 : kind === 1 ? 1_000 : 1_000 + k * 5 - (c % 7);
  const last = kind === 2 ? 1_000 + k * 5 : 1_000;
  const active = kind === 2 ? iso(T0 + k * 1_000) : iso(T0 - 120_000);
  return {
    ...base,
    num_pending: last - floor,
    num_ack_pending: 0,
    ack_floor: { consumer_seq: floor, stream_seq: floor, last_active: active },
    delivered: { consumer_seq: last, stream_seq: last, last_active: active },
  };
};

const tracker = new ConsumerTracker({
  intervalMs: 1_000,
  health: STALL_FLEET ? { ...DEFAULT_HEALTH_CONFIG, stopAfterMs: 3_600_000 } : DEFAULT_HEALTH_CONFIG,
});
const times: number[] = [];
for (let k = 0; k < TICKS; k++) {
  const streams = Array.from({ length: STREAMS }, (_, s) => streamAt(s, k));
  const lists = streams.map((_, s) => Array.from({ length: PER_STREAM }, (_, c) => consumerAt(s, c, k)));
  const t0 = performance.now();
  const sample = tracker.begin(streams, T0 + k * 1_000);
  sample.finish(lists.map((l) => sample.add(l)));
  times.push(performance.now() - t0);
}
const steady = times.slice(40).sort((a, b) => a - b);
const counts = new Map<string, number>();
for (const c of tracker.latest) counts.set(c.insight!.health.status, (counts.get(c.insight!.health.status) ?? 0) + 1);
console.log(
  `tracker per tick, ${STREAMS * PER_STREAM} consumers, ticks 40–${TICKS}: p50 ${percentile(steady, 50).toFixed(1)} ms  p90 ${percentile(steady, 90).toFixed(1)} ms  min ${steady[0]!.toFixed(1)} ms`,
);
console.log(`statuses: ${[...counts].map(([s, n]) => `${s} ${n}`).join(", ")}`);
