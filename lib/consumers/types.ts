/** Consumer wire types: what the sampler publishes per consumer each tick. */
import type { ClusterPlacement, SnapshotStatus } from "../streams/types";
import { consumerKey, type ConsumerInsight } from "./health";
import { lossBrief, sameLossBrief, type LossBrief } from "./loss-forecast";
import { listAt, nullableStringAt, sharedBy, stringAt, type ItemCodec, type PackedValue } from "../wire/packed-items";

export interface SequenceInfo {
  consumer_seq: number;
  stream_seq: number;
  last_active: string | null;
}

export interface ConsumerConfigSummary {
  durable: boolean;
  filter_subjects: string[];
  ack_policy: string;
  ack_wait_ms: number;
  max_deliver: number;
  max_ack_pending: number;
  deliver_policy: string;
  push: boolean;
  paused: boolean;
  description: string | null;
  /** The `io.nats.monitor.*` metadata (natscli's check thresholds), on 2.10+ servers and only when set. */
  monitor_metadata?: Record<string, string>;
}

/** What one JetStream consumer-list entry says, before busdeck derives anything from the sample window. */
export interface ConsumerBase {
  stream: string;
  name: string;
  created: string;
  config: ConsumerConfigSummary;
  num_pending: number;
  num_ack_pending: number;
  num_redelivered: number;
  num_waiting: number;
  delivered: SequenceInfo;
  ack_floor: SequenceInfo;
  cluster: ClusterPlacement | null;
  /** When the reading was taken; for an unknown consumer, its last good reading's time. */
  sampled_at: string;
  /**
   * Set while the consumer list reports the consumer `missing` (its leader did not answer): the ISO time of the
   * first sample that missed it. The reading is then the last good one, kept, never a 0.
   */
  unknown_since?: string;
}

/** The list entry plus what busdeck derives from the window of samples (lag seconds, rates, health, sparkline). */
export interface ConsumerSummary extends ConsumerBase {
  /** null until the consumer tracker has seen it (e.g. a snapshot from a sampler without one). */
  insight: ConsumerInsight | null;
}

/**
 * A list entry with its insight. Spelled out rather than `{ ...c, insight }`: the sampler does this for every
 * consumer on every tick, and V8's generic object spread cost more than all of the tracker's health rules.
 */
export function withInsight(c: ConsumerBase, insight: ConsumerInsight | null): ConsumerSummary {
  const summary: ConsumerSummary = {
    stream: c.stream,
    name: c.name,
    created: c.created,
    config: c.config,
    num_pending: c.num_pending,
    num_ack_pending: c.num_ack_pending,
    num_redelivered: c.num_redelivered,
    num_waiting: c.num_waiting,
    delivered: c.delivered,
    ack_floor: c.ack_floor,
    cluster: c.cluster,
    sampled_at: c.sampled_at,
    insight,
  };
  if (c.unknown_since) summary.unknown_since = c.unknown_since;
  return summary;
}

export interface ConsumersSnapshot {
  status: SnapshotStatus;
  sampled_at: string | null;
  duration_ms: number | null;
  consumers: ConsumerSummary[];
  errors: { stream: string | null; message: string }[];
}

export const emptyConsumersSnapshot = (): ConsumersSnapshot => ({
  status: "initializing",
  sampled_at: null,
  duration_ms: null,
  consumers: [],
  errors: [],
});

/** Unprocessed messages: not yet delivered plus delivered but unacknowledged. */
export function lagMessages(c: Pick<ConsumerSummary, "num_pending" | "num_ack_pending">): number {
  return c.num_pending + c.num_ack_pending;
}

/**
 * One consumer as the list views show it (table, stream detail, leaders): the columns and nothing else, so the
 * `consumer_rows` topic is a fraction of the full snapshot and a row changes only when a column does. Field
 * names match ConsumerSummary's, so a full summary is a row too. The detail page fetches the full summary.
 */
export interface ConsumerRow {
  stream: string;
  name: string;
  num_pending: number;
  num_ack_pending: number;
  num_redelivered: number;
  /** `durable` false: an ephemeral or ordered consumer, hidden from the lists by default (lib/own-resources.ts). */
  config: Pick<ConsumerConfigSummary, "max_ack_pending" | "filter_subjects" | "durable">;
  ack_floor: Pick<SequenceInfo, "stream_seq">;
  cluster: Pick<ClusterPlacement, "leader"> | null;
  insight:
    | (Pick<ConsumerInsight, "lag_seconds" | "lag_seconds_source" | "consume_per_s" | "ingest_per_s" | "drain" | "health" | "spark"> & {
        /**
         * When the oldest unprocessed message was published (ms since the epoch), while lag seconds are known and
         * above 0; else null. A stuck consumer's lag seconds grow every sample but this instant does not: rows
         * are compared by it, so the row is not resent each second, and the browser recomputes `lag_seconds` as
         * the sample's age of it (currentLagSeconds). The server keeps the row (and its `lag_seconds` as of the
         * sample that last changed it) while this instant stays: read rows through currentLagSeconds. Absent on a
         * full ConsumerSummary (also a row): compared by lag seconds then.
         */
        oldest_at?: number | null;
        /** The loss forecast, compact (./loss-forecast.ts LossBrief); absent when there is none. */
        loss_brief?: LossBrief;
      })
    | null;
}

/** The snapshot envelope without the list: whether the rows are fresh, stale or partial. */
export type ConsumersMeta = Omit<ConsumersSnapshot, "consumers">;

/** The rows' envelope: the snapshot's, plus busdeck's own streams, whose consumers the health totals leave out (lib/own-resources.ts). */
export type ConsumerRowsMeta = ConsumersMeta & {
  own_streams: string[];
  /** Consumers the last sample could not read (consumerKey → unknown since, ISO): their rows are the last good reading. */
  unknown?: Record<string, string>;
};

/** Same length and the same items by identity (for lists of numbers and strings: the same values). */
export function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * Whether two rows show the same thing: how the hub tells which rows a sample changed. Field by field rather
 * than a generic deep compare, since it runs for every consumer on every sample. lib/consumers/types.test.ts
 * checks that it looks at every field.
 */
export function sameConsumerRow(a: ConsumerRow, b: ConsumerRow): boolean {
  if (a === b) return true;
  if (
    a.stream !== b.stream ||
    a.name !== b.name ||
    a.num_pending !== b.num_pending ||
    a.num_ack_pending !== b.num_ack_pending ||
    a.num_redelivered !== b.num_redelivered ||
    a.config.max_ack_pending !== b.config.max_ack_pending ||
    a.config.durable !== b.config.durable ||
    !sameList(a.config.filter_subjects, b.config.filter_subjects) ||
    a.ack_floor.stream_seq !== b.ack_floor.stream_seq ||
    (a.cluster === null || b.cluster === null ? a.cluster !== b.cluster : a.cluster.leader !== b.cluster.leader)
  ) {
    return false;
  }
  const i = a.insight;
  const j = b.insight;
  if (i === null || j === null) return i === j;
  return (
    (i.oldest_at ?? null) === (j.oldest_at ?? null) &&
    // with a known oldest message, lag seconds are its age at the sample's time: they follow from it and the meta
    (i.oldest_at != null || i.lag_seconds === j.lag_seconds) &&
    i.lag_seconds_source === j.lag_seconds_source &&
    i.consume_per_s === j.consume_per_s &&
    i.ingest_per_s === j.ingest_per_s &&
    i.drain.state === j.drain.state &&
    i.drain.seconds === j.drain.seconds &&
    sameLossBrief(i.loss_brief, j.loss_brief) &&
    i.health.status === j.health.status &&
    i.health.rule === j.health.rule &&
    i.health.evidence === j.health.evidence &&
    sameList(i.spark, j.spark)
  );
}

export const consumerRowKey = (r: Pick<ConsumerRow, "stream" | "name">) => consumerKey(r.stream, r.name);
/** consumerRowKey(a) === consumerRowKey(b), without building the keys (names never contain the "/"). */
export const sameConsumerRowKey = (a: Pick<ConsumerRow, "stream" | "name">, b: Pick<ConsumerRow, "stream" | "name">) =>
  a.stream === b.stream && a.name === b.name;

/**
 * A consumer's counterpart in the previous sample's list: looked up where it was (the server lists streams and
 * their consumers in name order, so it is nearly always at the same position) and by key only when another
 * consumer is there — no key string and map lookup per consumer per sample.
 */
export function previousByPosition<T extends Pick<ConsumerRow, "stream" | "name">>(
  before: readonly T[] | undefined,
): (position: number, stream: string, name: string) => T | undefined {
  if (!before?.length) return () => undefined;
  let byKey: Map<string, T> | undefined;
  return (position, stream, name) => {
    const there = before[position];
    if (there !== undefined && there.name === name && there.stream === stream) return there;
    byKey ??= new Map(before.map((c) => [consumerRowKey(c), c]));
    return byKey.get(consumerKey(stream, name));
  };
}

/**
 * Date.parse with a one-entry memo, for one pass over a sample: every consumer in it carries the same
 * `sampled_at` string. One per caller.
 */
export function sampleTimeParser(): (iso: string) => number {
  let lastIso: string | null = null;
  let lastMs = NaN;
  return (iso) => {
    if (iso !== lastIso) {
      lastIso = iso;
      lastMs = Date.parse(iso);
    }
    return lastMs;
  };
}

/** Whole milliseconds: lag seconds are rounded to a thousandth, so this gives back the same instant every sample. */
function oldestAt(sampledAtMs: number, lagSeconds: number | null): number | null {
  if (lagSeconds === null || !(lagSeconds > 0)) return null;
  const at = Math.round(sampledAtMs - lagSeconds * 1000);
  return Number.isFinite(at) ? at : null;
}

/** Lag seconds of a row at `nowMs`: the age of its oldest unprocessed message, to a thousandth, never negative. */
export function lagSecondsAt(oldestAtMs: number, nowMs: number): number {
  return Math.max(0, Math.round(nowMs - oldestAtMs)) / 1000;
}

/**
 * The rows with `lag_seconds` as of the meta's sample: the hub leaves a row out of a patch when only its lag
 * seconds grew (its oldest message is the same), so the browser brings them up to the sample it holds. Rows
 * whose value is already right keep their identity (memoized table rows stay put).
 */
export function currentLagSeconds<S extends { meta: ConsumersMeta; items: ConsumerRow[] }>(state: S): S {
  const now = state.meta.sampled_at ? Date.parse(state.meta.sampled_at) : NaN;
  if (!Number.isFinite(now)) return state;
  let changed = false;
  const items = state.items.map((row) => {
    const i = row.insight;
    if (!i || i.oldest_at == null) return row;
    const lag = lagSecondsAt(i.oldest_at, now);
    if (lag === i.lag_seconds) return row;
    changed = true;
    return { ...row, insight: { ...i, lag_seconds: lag } };
  });
  return changed ? { ...state, items } : state;
}

/**
 * currentLagSeconds one row at a time, in the row's packed tuple (consumerRowCodec writes `lag_seconds` at 10):
 * for a state frame that reuses each row's packed tuple around the one value settling changes.
 */
export const settledLagSlot = {
  at: 10,
  settler: (meta: ConsumersMeta) => {
    const now = meta.sampled_at ? Date.parse(meta.sampled_at) : NaN;
    if (!Number.isFinite(now)) return () => undefined;
    return (row: ConsumerRow): number | undefined => {
      const i = row.insight;
      return i && i.oldest_at != null ? lagSecondsAt(i.oldest_at, now) : undefined;
    };
  },
};

/**
 * A consumer's row. With its previous row, the parts that show the same (all of it for a consumer whose columns
 * did not move) are the previous row's objects: each sample's rows live until the next one, so equal copies would be
 * old-generation garbage; identical rows also end the hub's diff at identity. A stuck consumer's
 * row is kept too while only its lag seconds grew: with `oldest_at` they are a function of the sample's time,
 * which every reader brings them up to (currentLagSeconds).
 */
export function toConsumerRow(c: ConsumerSummary, prev?: ConsumerRow, sampledAtMs = Date.parse(c.sampled_at)): ConsumerRow {
  const i = c.insight;
  const config =
    prev &&
    prev.config.max_ack_pending === c.config.max_ack_pending &&
    prev.config.durable === c.config.durable &&
    sameList(prev.config.filter_subjects, c.config.filter_subjects)
      ? prev.config
      : { max_ack_pending: c.config.max_ack_pending, filter_subjects: c.config.filter_subjects, durable: c.config.durable };
  const ackFloor = prev && prev.ack_floor.stream_seq === c.ack_floor.stream_seq ? prev.ack_floor : { stream_seq: c.ack_floor.stream_seq };
  const cluster = c.cluster
    ? prev?.cluster && prev.cluster.leader === c.cluster.leader
      ? prev.cluster
      : { leader: c.cluster.leader }
    : null;
  const insight =
    i && rowInsight(i, oldestAt(sampledAtMs, i.lag_seconds), i.loss ? lossBrief(i.loss, sampledAtMs) : null, prev?.insight ?? undefined);
  if (
    prev &&
    prev.stream === c.stream &&
    prev.name === c.name &&
    prev.num_pending === c.num_pending &&
    prev.num_ack_pending === c.num_ack_pending &&
    prev.num_redelivered === c.num_redelivered &&
    prev.config === config &&
    prev.ack_floor === ackFloor &&
    prev.cluster === cluster &&
    prev.insight === insight
  ) {
    return prev;
  }
  return {
    stream: c.stream,
    name: c.name,
    num_pending: c.num_pending,
    num_ack_pending: c.num_ack_pending,
    num_redelivered: c.num_redelivered,
    config,
    ack_floor: ackFloor,
    cluster,
    insight,
  };
}

type RowInsight = NonNullable<ConsumerRow["insight"]>;

/** Without `oldest_at` when there is none (caught up: most consumers), 16 bytes a row less on the wire. */
function rowInsight(i: ConsumerInsight, oldest: number | null, lossNow: LossBrief | null, prev: RowInsight | undefined): RowInsight {
  const loss = lossNow === null ? undefined : sameLossBrief(prev?.loss_brief, lossNow) ? prev!.loss_brief : lossNow;
  if (prev !== undefined) {
    // the previous row's parts when they show the same: its insight itself when nothing in it changed
    const drain = prev.drain.state === i.drain.state && prev.drain.seconds === i.drain.seconds ? prev.drain : i.drain;
    const health =
      prev.health.status === i.health.status && prev.health.rule === i.health.rule && prev.health.evidence === i.health.evidence
        ? prev.health
        : i.health;
    const spark = sameList(prev.spark, i.spark) ? prev.spark : i.spark;
    if (
      drain === prev.drain &&
      health === prev.health &&
      spark === prev.spark &&
      // the same oldest message: the row's lag seconds stay as of the sample that last changed it (readers
      // settle them: currentLagSeconds), so a stuck consumer's row is the same object sample after sample
      (prev.lag_seconds === i.lag_seconds || (oldest !== null && prev.oldest_at === oldest)) &&
      prev.lag_seconds_source === i.lag_seconds_source &&
      prev.consume_per_s === i.consume_per_s &&
      prev.ingest_per_s === i.ingest_per_s &&
      (prev.oldest_at ?? null) === oldest &&
      prev.loss_brief === loss
    ) {
      return prev;
    }
    return newRowInsight(i, oldest, drain, health, spark, loss);
  }
  return newRowInsight(i, oldest, i.drain, i.health, i.spark, loss);
}

function newRowInsight(
  i: ConsumerInsight,
  oldest: number | null,
  drain: RowInsight["drain"],
  health: RowInsight["health"],
  spark: RowInsight["spark"],
  loss: LossBrief | undefined,
): RowInsight {
  const row: RowInsight = {
    lag_seconds: i.lag_seconds,
    lag_seconds_source: i.lag_seconds_source,
    consume_per_s: i.consume_per_s,
    ingest_per_s: i.ingest_per_s,
    drain,
    health,
    spark,
  };
  if (oldest !== null) row.oldest_at = oldest;
  if (loss !== undefined) row.loss_brief = loss;
  return row;
}

/**
 * A row as a tuple on the wire (lib/wire/packed-items.ts; docs/contracts.md lists the positions). Strings and lists
 * are dictionary indices; `cluster` is -1 for none, else its leader's index (which may be null); then durable (1)
 * or not (0). The insight's
 * ten fields follow only when there is one, then `oldest_at` only when known or when a loss forecast follows it
 * (null then), then the forecast's kind #, limit # and value, so a row without them is shorter.
 */
export const consumerRowCodec: ItemCodec<ConsumerRow> = {
  pack(r, d) {
    const t: unknown[] = [
      d.str(r.stream),
      d.str(r.name),
      r.num_pending,
      r.num_ack_pending,
      r.num_redelivered,
      r.config.max_ack_pending,
      d.list(r.config.filter_subjects),
      r.ack_floor.stream_seq,
      r.cluster === null ? -1 : d.str(r.cluster.leader),
      r.config.durable ? 1 : 0,
    ];
    const i = r.insight;
    if (i === null) return t;
    t.push(
      i.lag_seconds,
      d.str(i.lag_seconds_source),
      i.consume_per_s,
      i.ingest_per_s,
      d.str(i.drain.state),
      i.drain.seconds,
      d.str(i.health.status),
      d.str(i.health.rule),
      d.str(i.health.evidence),
      d.list(i.spark),
    );
    if (i.loss_brief) t.push(i.oldest_at ?? null, d.str(i.loss_brief.kind), d.str(i.loss_brief.limit), i.loss_brief.value);
    else if (i.oldest_at != null) t.push(i.oldest_at);
    return t;
  },
  unpack: (t, v) => consumerRowUnpacker(v)(t),
  unpacker: (v) => consumerRowUnpacker(v),
};

/**
 * Unpacks a frame's rows, the parts most rows have alike — config, ack floor, cluster, drain, health — as one
 * object per distinct value, so the first state's unpacking allocates little between the stream's arrival and
 * the table.
 */
function consumerRowUnpacker(v: readonly PackedValue[]): (t: readonly unknown[]) => ConsumerRow {
  const n = v.length;
  // a dictionary index as a number to key shared parts by; NaN when it is not one, and stringAt then throws
  const index = (at: unknown) => (Number.isInteger(at) && (at as number) >= 0 && (at as number) < n ? (at as number) : NaN);
  const configsByList = sharedBy((list: number) =>
    sharedBy((maxAckPending: number) =>
      sharedBy((durable: unknown) => ({
        max_ack_pending: maxAckPending,
        filter_subjects: listAt<string>(v, list),
        durable: durable === 1,
      })),
    ),
  );
  const ackFloor = sharedBy((seq: number) => ({ stream_seq: seq }));
  const cluster = sharedBy((leader: number) => ({ leader: nullableStringAt(v, leader) }));
  // a drain of so many seconds is one consumer's; drained (0 s), keeping up, never and unknown are everyone's
  const drainOf = (state: unknown, seconds: number | null) => ({ state: stringAt(v, state) as RowInsight["drain"]["state"], seconds });
  const commonDrain = sharedBy((key: number) => drainOf(Math.floor(key / 2), key % 2 === 1 ? 0 : null));
  // three dictionary indices, each below n, as one number
  const health = sharedBy((key: number) => ({
    status: stringAt(v, Math.floor(key / (n * n))) as RowInsight["health"]["status"],
    rule: stringAt(v, Math.floor(key / n) % n) as RowInsight["health"]["rule"],
    evidence: stringAt(v, key % n),
  }));
  const lossAt = (kind: unknown, limit: unknown, value: number): LossBrief => ({
    kind: stringAt(v, kind) as LossBrief["kind"],
    limit: nullableStringAt(v, limit) as LossBrief["limit"],
    value,
  });
  const insight = (t: readonly unknown[]): RowInsight => {
    const seconds = t[15] as number | null;
    const row: RowInsight = {
      lag_seconds: t[10] as number | null,
      lag_seconds_source: stringAt(v, t[11]) as RowInsight["lag_seconds_source"],
      consume_per_s: t[12] as number | null,
      ingest_per_s: t[13] as number | null,
      drain: seconds === null || seconds === 0 ? commonDrain(index(t[14]) * 2 + (seconds === 0 ? 1 : 0)) : drainOf(t[14], seconds),
      health: health((index(t[16]) * n + index(t[17])) * n + index(t[18])),
      spark: listAt<number>(v, t[19]),
    };
    if (t.length > 20 && t[20] !== null) row.oldest_at = t[20] as number;
    if (t.length > 21) row.loss_brief = lossAt(t[21], t[22], t[23] as number);
    return row;
  };
  return (t) => ({
    stream: stringAt(v, t[0]),
    name: stringAt(v, t[1]),
    num_pending: t[2] as number,
    num_ack_pending: t[3] as number,
    num_redelivered: t[4] as number,
    config: configsByList(t[6] as number)(t[5] as number)(t[9]),
    ack_floor: ackFloor(t[7] as number),
    cluster: t[8] === -1 ? null : cluster(t[8] as number),
    insight: t.length > 10 ? insight(t) : null,
  });
}
