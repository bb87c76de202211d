/**
 * Loss forecast: when will a consumer's unprocessed messages be removed by its stream's limits, or publishes be
 * refused? Pure: every time is an argument.
 *
 * The oldest unprocessed message is taken to be ack floor + 1. What is approximated:
 *   - a filtered consumer's oldest unprocessed message may lie further on (ack floor + 1 may not match its
 *     filter), so its forecast is the earliest eviction, and an already-evicted count is an upper bound; with
 *     nothing pending it reads none (a rare subject's caught-up consumer looks just like one that lost all), nor on
 *     an interest or work-queue stream, where other consumers' acks remove the messages between;
 *   - max_msgs and max_bytes count the messages stored from the oldest unprocessed on as the stream's message
 *     count less its sequences before it (interior deletes below it are taken as none), at the average size;
 *   - max_msgs_per_subject assumes publishes spread evenly over the stream's current subjects;
 *   - the oldest message's publish time is the tracker's (exact or interpolated), else interpolated linearly
 *     between the stream's first and last message by sequence;
 *   - messages removed by hand below the ack floor count as evicted.
 */
import { z } from "zod";
import { formatBytes, formatCount, formatDuration, formatRate } from "../format";
import type { StreamConfigSummary, StreamState } from "../streams/types";

export const LOSS_KINDS = ["none", "evicts_in", "already_evicted", "rejects_in"] as const;
export type LossKind = (typeof LOSS_KINDS)[number];
export const LOSS_LIMITS = ["max_age", "max_msgs", "max_bytes", "max_msgs_per_subject"] as const;
export type LossLimit = (typeof LOSS_LIMITS)[number];

export interface LossInputs {
  stream: {
    config: Pick<StreamConfigSummary, "max_age_ms" | "max_bytes" | "max_msgs" | "max_msgs_per_subject" | "discard"> &
      Partial<Pick<StreamConfigSummary, "retention">>;
    state: Pick<StreamState, "first_seq" | "last_seq" | "messages" | "bytes" | "first_ts" | "last_ts" | "num_subjects">;
  };
  /** Ingest into the stream; null when not known yet. */
  rate: { msgs_per_s: number | null; bytes_per_s: number | null };
  consumer: {
    ack_floor_seq: number;
    /** Unprocessed messages (num_pending + num_ack_pending). */
    lag_msgs: number;
    filtered: boolean;
    /** Publish time of the oldest unprocessed message (ms since the epoch), when known. */
    oldest_unprocessed_ms: number | null;
  };
  now: number;
}

export interface LossForecast {
  kind: LossKind;
  /** Until the eviction or the first refused publish (evicts_in, rejects_in); 0 = now. */
  ms: number | null;
  /** Messages already evicted before the consumer processed them (already_evicted). */
  evicted: number | null;
  /** false when the figure is a bound or rests on an approximation named in the evidence. */
  exact: boolean;
  limit: LossLimit | null;
  evidence: string;
}

/** A forecast as a sample carries it between replicas (lib/wire/fleet.ts). */
export const LossForecastSchema = z.object({
  kind: z.enum(LOSS_KINDS),
  ms: z.number().nonnegative().nullable(),
  evicted: z.number().int().nonnegative().nullable(),
  exact: z.boolean(),
  limit: z.enum(LOSS_LIMITS).nullable(),
  evidence: z.string(),
});

export const NO_LOSS: LossForecast = { kind: "none", ms: null, evicted: null, exact: true, limit: null, evidence: "" };

export const sameLossForecast = (a: LossForecast, b: LossForecast) =>
  a.kind === b.kind && a.ms === b.ms && a.evicted === b.evicted && a.exact === b.exact && a.limit === b.limit && a.evidence === b.evidence;

interface Candidate {
  kind: "evicts_in" | "rejects_in";
  limit: LossLimit;
  ms: number;
  exact: boolean;
  why: string;
}

/** A stream at 99.5 % of a size limit is full: under discard=new it refuses publishes now. */
const FULL_RATIO = 0.995;

const positive = (x: number | null | undefined): x is number => typeof x === "number" && Number.isFinite(x) && x > 0;
const untilMs = (units: number, perS: number) => Math.max(0, (units / perS) * 1000);
type StateIn = LossInputs["stream"]["state"];
const averageSize = (state: StateIn) => (state.messages > 0 ? state.bytes / state.messages : 0);
/** Net bytes/s is zero on a stream already dropping old data: the message rate × the average size, as fillLevels does. */
const bytesRate = (state: StateIn, msgsPerS: number | null, bytesPerS: number | null) =>
  Math.max(bytesPerS ?? 0, (msgsPerS ?? 0) * averageSize(state));

/** Whether the stream has any limit a forecast could come from (the cheap check before anything else). */
export function hasLossLimits(config: LossInputs["stream"]["config"]): boolean {
  return config.max_age_ms > 0 || config.max_msgs > 0 || config.max_bytes > 0 || (config.max_msgs_per_subject ?? 0) > 0;
}

/** Publish time of message `seq`, interpolated between the stream's first and last message. */
export function interpolatePublishMs(state: StateIn, seq: number): number | null {
  const first = state.first_ts ? Date.parse(state.first_ts) : NaN;
  if (!Number.isFinite(first)) return null;
  if (seq <= state.first_seq) return first;
  const last = state.last_ts ? Date.parse(state.last_ts) : NaN;
  if (!Number.isFinite(last) || state.last_seq <= state.first_seq) return null;
  return first + ((Math.min(seq, state.last_seq) - state.first_seq) / (state.last_seq - state.first_seq)) * (last - first);
}

export function forecastLoss(inp: LossInputs): LossForecast {
  if (!hasLossLimits(inp.stream.config)) return NO_LOSS;
  const evicted = alreadyEvicted(inp);
  if (evicted) return evicted;
  const candidates = [...(inp.consumer.lag_msgs > 0 ? evictions(inp) : []), ...rejections(inp)];
  if (candidates.length === 0) return NO_LOSS;
  const first = candidates.reduce((a, b) => (b.ms < a.ms ? b : a));
  const when = first.ms < 1 ? "now" : `in ${formatDuration(first.ms)}`;
  const what =
    first.kind === "rejects_in"
      ? `publishes are rejected ${when} (discard new)`
      : `oldest unprocessed message #${formatCount(inp.consumer.ack_floor_seq + 1)} is evicted ${when}`;
  return {
    kind: first.kind,
    ms: Math.round(first.ms),
    evicted: null,
    exact: first.exact,
    limit: first.limit,
    evidence: `${what}: ${first.why}`,
  };
}

function alreadyEvicted({ stream: { config, state }, consumer }: LossInputs): LossForecast | null {
  const count = state.first_seq - consumer.ack_floor_seq - 1;
  const removedByAcks = config.retention !== undefined && config.retention !== "limits";
  if (count <= 0 || (consumer.filtered && (consumer.lag_msgs === 0 || removedByAcks))) return null;
  const words = `${consumer.filtered ? "up to " : ""}${formatCount(count)} message${count === 1 ? " was" : "s were"}`;
  const evidence =
    `${words} already evicted before this consumer processed them: the stream's first message is #${formatCount(state.first_seq)}, ` +
    `its ack floor #${formatCount(consumer.ack_floor_seq)}${consumer.filtered ? " (filtered: only those matching its filter were its)" : ""}`;
  return { kind: "already_evicted", ms: null, evicted: count, exact: !consumer.filtered, limit: null, evidence };
}

/** Each limit that will evict the oldest unprocessed message, with when. */
function evictions({ stream: { config, state }, rate, consumer, now }: LossInputs): Candidate[] {
  const out: Candidate[] = [];
  const oldest = consumer.ack_floor_seq + 1;
  const approx = consumer.filtered ? "; filtered: the earliest it can be" : "";
  if (config.max_age_ms > 0) {
    const known = consumer.oldest_unprocessed_ms;
    const published = known ?? interpolatePublishMs(state, oldest);
    if (published !== null) {
      const how = known !== null ? "" : " (interpolated)";
      const why = `max_age ${formatDuration(config.max_age_ms)}, published ${new Date(published).toISOString()}${how}${approx}`;
      out.push({
        kind: "evicts_in",
        limit: "max_age",
        ms: Math.max(0, published + config.max_age_ms - now),
        exact: known !== null && !consumer.filtered,
        why,
      });
    }
  }
  const msgsPerS = rate.msgs_per_s;
  if (!positive(msgsPerS)) return out;
  const storedFrom = Math.max(0, state.messages - Math.max(0, oldest - state.first_seq));
  const ingest = `ingest ${formatRate(msgsPerS)}`;
  if (config.discard !== "new" && config.max_msgs > 0) {
    const why = `max_msgs ${formatCount(config.max_msgs)}, ${formatCount(storedFrom)} stored from it on, ${ingest}${approx}`;
    out.push({ kind: "evicts_in", limit: "max_msgs", ms: untilMs(config.max_msgs - storedFrom + 1, msgsPerS), exact: false, why });
  }
  const bytesPerS = bytesRate(state, msgsPerS, rate.bytes_per_s);
  if (config.discard !== "new" && config.max_bytes > 0 && positive(bytesPerS)) {
    const bytesFrom = storedFrom * averageSize(state);
    const why = `max_bytes ${formatBytes(config.max_bytes)}, about ${formatBytes(bytesFrom)} stored from it on, ingest ${formatBytes(bytesPerS)}/s${approx}`;
    out.push({ kind: "evicts_in", limit: "max_bytes", ms: untilMs(config.max_bytes - bytesFrom, bytesPerS), exact: false, why });
  }
  const perSubject = config.max_msgs_per_subject ?? 0;
  if (perSubject > 0 && state.num_subjects > 0) {
    // evenly spread: its subject gets 1 in num_subjects of the publishes, and it goes at the per-subject limit's next
    const publishes = perSubject * state.num_subjects - (state.last_seq - oldest);
    const why = `max_msgs_per_subject ${formatCount(perSubject)} over ${formatCount(state.num_subjects)} subjects, taken as evenly published, ${ingest}${approx}`;
    out.push({ kind: "evicts_in", limit: "max_msgs_per_subject", ms: untilMs(publishes, msgsPerS), exact: false, why });
  }
  return out;
}

/** On a discard-new stream, when a size limit starts refusing publishes. */
function rejections({ stream: { config, state }, rate }: LossInputs): Candidate[] {
  if (config.discard !== "new") return [];
  const out: Candidate[] = [];
  const msgsPerS = rate.msgs_per_s;
  const sized = (limit: "max_msgs" | "max_bytes", used: number, max: number, perS: number | null, show: (n: number) => string) => {
    const full = used >= max * FULL_RATIO;
    if (!full && !positive(perS)) return;
    const why = `${limit} ${show(max)}, ${show(used)} stored${full ? "" : `, ingest ${show(perS!)}/s`}`;
    out.push({ kind: "rejects_in", limit, ms: full ? 0 : untilMs(max - used, perS!), exact: full, why });
  };
  if (config.max_msgs > 0) sized("max_msgs", state.messages, config.max_msgs, msgsPerS, formatCount);
  if (config.max_bytes > 0) sized("max_bytes", state.bytes, config.max_bytes, bytesRate(state, msgsPerS, rate.bytes_per_s), formatBytes);
  return out;
}

/**
 * A forecast as a consumers-table row carries it: for evicts_in and rejects_in `value` is the instant (ms since
 * the epoch, whole seconds) it happens, which stays put sample after sample for an age eviction; for
 * already_evicted the count.
 */
export interface LossBrief {
  kind: Exclude<LossKind, "none">;
  limit: LossLimit | null;
  value: number;
}

export function lossBrief(f: LossForecast, sampledAtMs: number): LossBrief | null {
  if (f.kind === "none") return null;
  const value = f.kind === "already_evicted" ? (f.evicted ?? 0) : Math.round((sampledAtMs + (f.ms ?? 0)) / 1000) * 1000;
  return { kind: f.kind, limit: f.limit, value };
}

export const sameLossBrief = (a: LossBrief | undefined, b: LossBrief | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.kind === b.kind && a.limit === b.limit && a.value === b.value);

/** How loud a forecast is: messages lost is bad; an eviction or refusal within the hour a warning; later, calm. */
export const LOSS_SOON_MS = 3_600_000;
export function lossTone(b: LossBrief, nowMs: number): "bad" | "warn" | "calm" {
  if (b.kind === "already_evicted") return "bad";
  return b.value - nowMs <= LOSS_SOON_MS ? "warn" : "calm";
}

/** The table cell: "evicts in 2h 10m", "412 lost" ("≤ 412 lost" for a filtered consumer: a bound), "rejects now". */
export function lossBriefText(b: LossBrief, filtered: boolean, nowMs: number): string {
  if (b.kind === "already_evicted") return `${filtered ? "≤ " : ""}${formatCount(b.value)} lost`;
  const ms = Math.max(0, b.value - nowMs);
  const verb = b.kind === "rejects_in" ? "rejects" : "evicts";
  return ms < 1000 ? `${verb} now` : `${verb} in ${formatDuration(ms)}`;
}
