/**
 * Consumer health from a sliding window of samples, in the spirit of Burrow's evaluator: a handful of rules,
 * checked in a fixed order, each naming itself and the evidence it saw. Plus the rate and drain-time math.
 * Pure: every time is an argument.
 *
 * The rules, first match wins (docs/consumer-health.md repeats them for operators):
 *   REWIND  the ack floor moved backwards between two samples (consumer reset, deleted and recreated).
 *   ERR     messages hit max deliver recently (dead letters), or a redelivery storm: at least
 *           `redeliveryStormMin` redelivered-but-unacked messages in every sample of a full window.
 *   OK      caught up: nothing pending and nothing awaiting ack.
 *   OK      short window: fewer than `minSamples` samples — no verdict yet, so no false alarm at start-up.
 *   STOP    lag > 0 and no delivery or ack for longer than `stopAfterMs`, ack floor unchanged across the window.
 *   STALL   lag > 0 in every sample and the ack floor did not move across the whole window.
 *   WARN    lag above the KEDA-style `lagThreshold`, or lag growing across the window (ends higher than it
 *           started by at least `warnMinGrowth`, positive trend, and no more than half the steps going down).
 *   WARN    falling behind: over a full window the consume rate stayed more than `fallingBehindRatio` below
 *           the ingest rate, lag rose, and lag was above 0 in every sample (one that caught up meanwhile kept
 *           up) — a slow stream's slow leak, too gentle for warnMinGrowth.
 *           Hysteresis for both WARN rules: once WARN by either, it stays WARN (the same rule, or falling_behind
 *           while consume is below ingest) until the lag ends a window at least warnMinGrowth lower than it
 *           began, or reaches 0. A smaller fall is batch noise, as a smaller rise is; consume reaching ingest
 *           for one window does not release it either: bursty ingest dips below consume now and then.
 *   OK      lag shrinking or steady.
 */
import type { LossForecast } from "./loss-forecast";
import { formatCount as formatCountIntl, formatDuration as formatDurationIntl, formatAgo, formatRate, formatUtc } from "../format";

/**
 * Evidence is written for every consumer on every tick (10,000 on a big bus), and the same counts and spans
 * recur across consumers: memoize the formatters rather than pay Intl each time. Bounded, so never a leak.
 */
function memo<T>(f: (x: T) => string, max = 20_000): (x: T) => string {
  const cache = new Map<T, string>();
  return (x) => {
    let v = cache.get(x);
    if (v === undefined) {
      if (cache.size >= max) cache.clear();
      v = f(x);
      cache.set(x, v);
    }
    return v;
  };
}
const formatCount = memo(formatCountIntl);
const formatDuration = memo(formatDurationIntl);

export const HEALTH_STATUSES = ["OK", "WARN", "STALL", "STOP", "REWIND", "ERR"] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** Worst first: the default table order and the summary strip's order. */
export const STATUS_SEVERITY: Record<HealthStatus, number> = { ERR: 5, STOP: 4, STALL: 3, REWIND: 2, WARN: 1, OK: 0 };

export type HealthRule =
  | "rewind"
  | "max_deliveries"
  | "redelivery_storm"
  | "caught_up"
  | "short_window"
  | "no_activity"
  | "ack_floor_stuck"
  | "above_lag_threshold"
  | "lag_growing"
  | "falling_behind"
  | "lag_shrinking"
  | "lag_steady";

export interface HealthVerdict {
  status: HealthStatus;
  rule: HealthRule;
  evidence: string;
}

/** One consumer as seen by one sampler tick, reduced to what the rules need. */
export interface ConsumerSample {
  /** Sample time, ms since the epoch. */
  at: number;
  /** Unprocessed messages: num_pending + num_ack_pending. */
  lag: number;
  ack_floor: number;
  delivered: number;
  ack_pending: number;
  redelivered: number;
  stream_last_seq: number;
  /** Latest of delivered/ack-floor last_active, ms; null if never active. */
  last_active: number | null;
  max_ack_pending: number;
  /** Consumer creation time, ms: a change means it was recreated. */
  created: number;
}

export interface HealthThresholds {
  /** Samples the rules look at (Burrow's window). */
  windowSize: number;
  /** Fewer samples than this: no verdict but OK. */
  minSamples: number;
  /** No activity for this long while lag > 0 is STOP. */
  stopAfterMs: number;
  /** A growing window must grow by at least this many messages to be WARN (ignores batch noise). */
  warnMinGrowth: number;
  /** KEDA-style target: lag above this is WARN. null = off. */
  lagThreshold: number | null;
  /** Redelivered-but-unacked messages in every sample of a full window that make a storm. */
  redeliveryStormMin: number;
  /** How far back max-deliver advisories count towards ERR. */
  deadLetterLookbackMs: number;
  /** Samples in a row with ack pending at max_ack_pending before that diagnosis shows. */
  pinnedSamples: number;
  /** Consume below ingest by more than this fraction over a full window, with lag rising, is WARN. */
  fallingBehindRatio: number;
}

export interface HealthConfig extends HealthThresholds {
  /** Overrides per consumer, keyed "stream/consumer" (e.g. a lagThreshold per KEDA ScaledObject). */
  perConsumer: Record<string, Partial<HealthThresholds>>;
}

export const DEFAULT_HEALTH_CONFIG: HealthConfig = {
  windowSize: 10,
  minSamples: 5,
  stopAfterMs: 60_000,
  warnMinGrowth: 20,
  lagThreshold: null,
  redeliveryStormMin: 25,
  deadLetterLookbackMs: 10 * 60_000,
  pinnedSamples: 3,
  fallingBehindRatio: 0.1,
  perConsumer: {},
};

export const consumerKey = (stream: string, name: string) => `${stream}/${name}`;

export function thresholdsFor(config: HealthConfig, stream: string, name: string): HealthThresholds {
  const override = config.perConsumer[consumerKey(stream, name)];
  if (!override) return config; // a HealthConfig is a HealthThresholds; no copy for the common case
  const { perConsumer: _, ...base } = config;
  return { ...base, ...override };
}

/** Dead-letter counts the rules and diagnoses use, from advisories within the lookback. */
export interface DeadLetterCounts {
  max_deliveries: number;
  naked: number;
  terminated: number;
}

export const noDeadLetters = (): DeadLetterCounts => ({ max_deliveries: 0, naked: 0, terminated: 0 });

/**
 * The newest `n` items: the array itself when it holds no more (the common case — the tracker keeps exactly a
 * window), else a copy of its tail. Read-only use: every consumer runs this several times per tick.
 */
export function newest<T>(items: readonly T[], n: number): readonly T[] {
  return items.length <= n ? items : items.slice(-n);
}

const samplesWord = (n: number) => `${n} sample${n === 1 ? "" : "s"}`;
export const spanOf = (w: readonly ConsumerSample[]) => (w.length > 1 ? w[w.length - 1]!.at - w[0]!.at : 0);

/** Least-squares slope of lag over time, msgs per second. */
export function lagSlope(window: readonly ConsumerSample[]): number {
  if (window.length < 2) return 0;
  const t0 = window[0]!.at;
  const xs = window.map((s) => (s.at - t0) / 1000);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = window.reduce((a, s) => a + s.lag, 0) / window.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < window.length; i++) {
    num += (xs[i]! - mx) * (window[i]!.lag - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den > 0 ? num / den : 0;
}

export function evaluateHealth(
  samples: readonly ConsumerSample[],
  deadLetters: DeadLetterCounts,
  t: HealthThresholds,
  now: number,
  previous: HealthVerdict | null = null,
): HealthVerdict {
  const window = newest(samples, t.windowSize);
  const last = window[window.length - 1];
  if (!last) return { status: "OK", rule: "short_window", evidence: "no samples yet" };

  const rewind = findRewind(window);
  if (rewind) return rewind;

  if (deadLetters.max_deliveries > 0) {
    return {
      status: "ERR",
      rule: "max_deliveries",
      evidence: `${formatCount(deadLetters.max_deliveries)} message${deadLetters.max_deliveries === 1 ? "" : "s"} hit max deliver in the last ${formatDuration(t.deadLetterLookbackMs)}`,
    };
  }
  const full = window.length >= t.windowSize;
  if (full && window.every((s) => s.redelivered >= t.redeliveryStormMin)) {
    const least = Math.min(...window.map((s) => s.redelivered));
    return {
      status: "ERR",
      rule: "redelivery_storm",
      evidence: `at least ${formatCount(least)} redelivered in each of ${samplesWord(window.length)}`,
    };
  }

  if (last.lag === 0) return { status: "OK", rule: "caught_up", evidence: "nothing pending or awaiting ack" };
  if (window.length < t.minSamples) {
    return { status: "OK", rule: "short_window", evidence: `${samplesWord(window.length)} of ${t.minSamples} needed; no verdict yet` };
  }

  const floorStuck = window.every((s) => s.ack_floor === window[0]!.ack_floor);
  if (floorStuck && idleMs(last, now) > t.stopAfterMs) {
    // "since <instant>", not "for <duration>": the text (and so the consumer's row) stays the same every sample
    const since = last.last_active === null ? "never active" : `no delivery or ack since ${formatUtc(last.last_active, "utc")}`;
    return { status: "STOP", rule: "no_activity", evidence: `${since}, lag ${formatCount(last.lag)} msgs` };
  }
  if (floorStuck && window.every((s) => s.lag > 0)) {
    return {
      status: "STALL",
      rule: "ack_floor_stuck",
      // the span in whole seconds: sampling jitter of a few ms must not change the text (and resend the row)
      evidence: `ack floor unchanged at ${formatCount(last.ack_floor)} for ${samplesWord(window.length)} (${formatDuration(Math.round(spanOf(window) / 1000) * 1000)}), lag ${formatCount(last.lag)} msgs`,
    };
  }

  if (t.lagThreshold !== null && last.lag > t.lagThreshold) {
    return {
      status: "WARN",
      rule: "above_lag_threshold",
      evidence: `lag ${formatCount(last.lag)} above lagThreshold ${formatCount(t.lagThreshold)}`,
    };
  }
  const first = window[0]!;
  const growth = last.lag - first.lag;
  const slope = lagSlope(window);
  const downSteps = window.slice(1).filter((s, i) => s.lag < window[i]!.lag).length;
  const rates = full ? consumerRates(window) : null;
  if (growth >= t.warnMinGrowth && slope > 0 && downSteps <= (window.length - 1) / 2) {
    return {
      status: "WARN",
      rule: "lag_growing",
      evidence: `lag grew from ${formatCount(first.lag)} to ${formatCount(last.lag)} over ${samplesWord(window.length)} (${formatRate(slope, "/s")})`,
    };
  }
  // hysteresis: a consumer already WARN for growth or for falling behind stays WARN until its lag ends a window
  // at least warnMinGrowth lower than it began (or reaches 0: caught_up above). A smaller fall is batch noise, as
  // a smaller rise is for lag_growing: releasing on it, or on consume merely reaching ingest for one window,
  // made the verdict flap WARN → OK → WARN whenever bursty ingest dipped below consume for ten seconds
  const held =
    previous?.status === "WARN" && (previous.rule === "lag_growing" || previous.rule === "falling_behind") && growth > -t.warnMinGrowth;
  // once WARN, consume counts as below ingest until it reaches ingest, not only while fallingBehindRatio below
  const behindRatio = held ? 0 : t.fallingBehindRatio;
  if (rates && consumesBelowIngest(window, rates, behindRatio) && (growth > 0 || held)) {
    return {
      status: "WARN",
      rule: "falling_behind",
      evidence: `consume ${formatRate(rates.consume_per_s)} below ingest ${formatRate(rates.ingest_per_s)} over ${samplesWord(window.length)}; lag ${formatCount(first.lag)} → ${formatCount(last.lag)}`,
    };
  }
  if (held) {
    const howFar = growth >= 0 ? "not shrinking yet" : `down by less than ${formatCount(t.warnMinGrowth)}`;
    return {
      status: "WARN",
      rule: previous.rule,
      evidence: `still behind: lag ${formatCount(first.lag)} → ${formatCount(last.lag)} over ${samplesWord(window.length)}, ${howFar}`,
    };
  }
  if (growth < 0)
    return {
      status: "OK",
      rule: "lag_shrinking",
      evidence: `lag fell from ${formatCount(first.lag)} to ${formatCount(last.lag)} over ${samplesWord(window.length)}`,
    };
  return { status: "OK", rule: "lag_steady", evidence: `lag ${formatCount(last.lag)}, not growing over ${samplesWord(window.length)}` };
}

/**
 * Consume more than `ratio` below ingest over the window, and the consumer never caught up within it (lag > 0 in
 * every sample). Ingest is the whole stream's and the consume rate the ack floor's advance in stream sequences,
 * so over a window a filtered consumer's rates differ by where its last matching message happens to sit: the
 * demo's consolidation-consumer read WARN falling_behind at lag 0 → 1 (consume 4.5/s against the stream's 5.3/s).
 * A consumer whose lag touched 0 in the window kept up, whatever the rates say.
 */
function consumesBelowIngest(window: readonly ConsumerSample[], rates: ConsumerRates, ratio: number): boolean {
  return rates.ingest_per_s > 0 && rates.consume_per_s < rates.ingest_per_s * (1 - ratio) && window.every((s) => s.lag > 0);
}

/**
 * Whether `verdict` still holds after one more sample, given that the window it was judged on and the window now
 * (its last sample `last`, spanning `windowSpanMs`) are full and hold nothing but samples with equal data (only their times differ), and no dead
 * letter is in the lookback either time. Then the rules can only see:
 *   - no rewind, no dead letters, the same redelivered count (storm or not, as before);
 *   - lag 0 in every sample: `caught_up`, with the same text; or lag > 0 with an unmoved ack floor: STOP or
 *     STALL, never a WARN rule;
 *   - `no_activity` (STOP): idle time only grows, so it stays STOP, and its text names an instant, not a span;
 *   - `ack_floor_stuck` (STALL): it stays STALL until idle longer than `stopAfterMs` (then STOP), and its text
 *     is the same while the window's span rounds to the same whole seconds as the last window's
 *     (`lastWindowSpanMs`).
 * Everything else is judged each sample.
 */
export function verdictHoldsWhileSteady(
  verdict: HealthVerdict,
  last: ConsumerSample,
  windowSpanMs: number,
  lastWindowSpanMs: number,
  t: HealthThresholds,
  now: number,
): boolean {
  if (verdict.rule === "caught_up" || verdict.rule === "no_activity") return true;
  if (verdict.rule !== "ack_floor_stuck") return false;
  return idleMs(last, now) <= t.stopAfterMs && Math.round(windowSpanMs / 1000) === Math.round(lastWindowSpanMs / 1000);
}

/**
 * Whether the diagnoses that came with a verdict that holds (verdictHoldsWhileSteady) hold too. Equal data: no
 * stream growth and no consume rate, so only the pinned and NAK-loop texts (same data, same text) and
 * `active_but_stuck`, whose text ages, can show. That one needs activity within `stopAfterMs` with lag > 0:
 * never under `caught_up` (no lag) or `no_activity` (idle longer); under STALL only for a consumer that was
 * ever active (one never active is STALL only while young, STOP after).
 */
export function diagnosesHoldWhileSteady(verdict: HealthVerdict, last: ConsumerSample): boolean {
  return verdict.rule !== "ack_floor_stuck" || last.last_active === null;
}

/** How long the consumer has done nothing: since its last delivery or ack, else since it was created. */
const idleMs = (s: ConsumerSample, now: number) => (s.last_active === null ? now - s.created : now - s.last_active);

function findRewind(window: readonly ConsumerSample[]): HealthVerdict | null {
  for (let i = window.length - 1; i > 0; i--) {
    const prev = window[i - 1]!;
    const cur = window[i]!;
    if (cur.created !== prev.created) {
      return {
        status: "REWIND",
        rule: "rewind",
        evidence: `consumer recreated (ack floor ${formatCount(prev.ack_floor)} → ${formatCount(cur.ack_floor)})`,
      };
    }
    if (cur.ack_floor < prev.ack_floor) {
      return {
        status: "REWIND",
        rule: "rewind",
        evidence: `ack floor moved back from ${formatCount(prev.ack_floor)} to ${formatCount(cur.ack_floor)}`,
      };
    }
  }
  return null;
}

// ---- rates and drain time ----

export interface ConsumerRates {
  /** Ack floor advance, stream sequences per second. */
  consume_per_s: number;
  /** Stream last_seq advance, messages per second. */
  ingest_per_s: number;
}

/** Rates of a consumer and stream that did not move: one shared object (nearly every consumer, every sample). */
const STILL: ConsumerRates = Object.freeze({ consume_per_s: 0, ingest_per_s: 0 });

/**
 * Rates over the window, first to last sample (smooths batchy acks). Both are in stream-sequence space, so a
 * filtered consumer that keeps up advances its floor as fast as the stream grows. null without two samples,
 * or across a rewind (no honest rate from that pair).
 */
export function consumerRates(window: readonly ConsumerSample[]): ConsumerRates | null {
  return window.length < 2 ? null : ratesBetween(window[0]!, window[window.length - 1]!);
}

/** consumerRates for a window given by its first and last sample (two distinct samples). */
export function ratesBetween(a: ConsumerSample, b: ConsumerSample): ConsumerRates | null {
  const dt = (b.at - a.at) / 1000;
  if (!(dt > 0) || b.ack_floor < a.ack_floor || b.stream_last_seq < a.stream_last_seq || a.created !== b.created) return null;
  // most of a fleet moves neither way: one shared object for them (this runs per consumer per sample)
  if (b.ack_floor === a.ack_floor && b.stream_last_seq === a.stream_last_seq) return STILL;
  return { consume_per_s: (b.ack_floor - a.ack_floor) / dt, ingest_per_s: (b.stream_last_seq - a.stream_last_seq) / dt };
}

export type DrainEstimate =
  | { state: "drained"; seconds: 0 }
  | { state: "keeping_up"; seconds: null }
  | { state: "draining"; seconds: number }
  | { state: "never"; seconds: null }
  | { state: "unknown"; seconds: null };

/**
 * Time until the consumer catches up at current rates: the stream-sequence distance still to ack
 * (stream last_seq − ack floor) over the net rate (consume − ingest). "keeping up" when consume is within
 * KEEPING_UP_TOLERANCE of ingest (its lag is in-flight work, not a backlog: there is nothing to drain);
 * "never" when ingest clearly outpaces consume — including a consumer that consumes nothing.
 */
/** Window rates are noisy (acks come in batches): within 5% of ingest counts as keeping up. */
export const KEEPING_UP_TOLERANCE = 0.05;

/** The estimates without a figure: one shared object each (the tracker gives every consumer one per sample). */
const DRAINED: DrainEstimate = Object.freeze({ state: "drained", seconds: 0 });
const UNKNOWN_DRAIN: DrainEstimate = Object.freeze({ state: "unknown", seconds: null });
const KEEPING_UP: DrainEstimate = Object.freeze({ state: "keeping_up", seconds: null });
const NEVER_DRAINS: DrainEstimate = Object.freeze({ state: "never", seconds: null });

export function drainTime(lag: number, distance: number, rates: ConsumerRates | null): DrainEstimate {
  if (lag === 0) return DRAINED;
  if (!rates) return UNKNOWN_DRAIN;
  const net = rates.consume_per_s - rates.ingest_per_s;
  if (net <= 0 && rates.consume_per_s > 0 && rates.consume_per_s >= rates.ingest_per_s * (1 - KEEPING_UP_TOLERANCE)) return KEEPING_UP;
  if (net <= 0) return NEVER_DRAINS;
  return { state: "draining", seconds: Math.max(distance, lag) / net };
}

/**
 * Whether a "never" drain is news: only when the verdict is not OK. An OK consumer whose consume rate dips a hair
 * under ingest for a window reads "never" without being in trouble; painting it red raised a false alarm.
 */
export function drainIsAlarming(i: { drain: Pick<DrainEstimate, "state">; health: { status: HealthStatus } } | null | undefined): boolean {
  return i?.drain.state === "never" && i.health.status !== "OK";
}

export function formatDrain(d: Pick<DrainEstimate, "state" | "seconds">): string {
  switch (d.state) {
    case "drained":
      return "caught up";
    case "keeping_up":
      return "keeping up";
    case "never":
      return "never";
    case "unknown":
      return "—";
    case "draining":
      return formatDuration((d.seconds ?? 0) * 1000);
  }
}

// ---- diagnoses ----

export type DiagnosisKind =
  "ack_pending_pinned" | "nak_loop" | "active_but_stuck" | "idle_while_stream_grows" | "slower_than_ingest" | "dead_letters";

export interface Diagnosis {
  kind: DiagnosisKind;
  /** Plain language: what is happening, the evidence, and what to do. */
  text: string;
}

export function diagnose(
  samples: readonly ConsumerSample[],
  rates: ConsumerRates | null,
  deadLetters: DeadLetterCounts,
  t: HealthThresholds,
  now: number,
): Diagnosis[] {
  const window = newest(samples, t.windowSize);
  const last = window[window.length - 1];
  if (!last) return [];
  const out: Diagnosis[] = [];
  const full = window.length >= t.minSamples;

  const pinned = newest(window, t.pinnedSamples);
  if (last.max_ack_pending > 0 && pinned.length >= t.pinnedSamples && pinned.every((s) => s.ack_pending >= s.max_ack_pending)) {
    out.push({
      kind: "ack_pending_pinned",
      text: `ack pending ${formatCount(last.ack_pending)} at its max (${formatCount(last.max_ack_pending)}) for ${samplesWord(pinned.length)}: handlers are wedged or too slow; the server delivers nothing more until they ack`,
    });
  }
  if (full && window.every((s) => s.redelivered > 0)) {
    out.push({
      kind: "nak_loop",
      text: `redeliveries in every one of ${samplesWord(window.length)} (now ${formatCount(last.redelivered)} redelivered): messages are NAKed or time out and come back — check the handler's errors and ack_wait`,
    });
  }
  const floorStuck = window.every((s) => s.ack_floor === window[0]!.ack_floor);
  const recentlyActive = last.last_active !== null && now - last.last_active <= t.stopAfterMs;
  if (full && floorStuck && last.lag > 0 && recentlyActive) {
    out.push({
      kind: "active_but_stuck",
      text: `active ${formatAgo(now - last.last_active!)} but the ack floor has not moved from ${formatCount(last.ack_floor)} in ${formatDuration(spanOf(window))} (lag ${formatCount(last.lag)} msgs): the message at ack floor + 1 is likely being retried or never acked`,
    });
  }
  const streamGrew = window[0]!.stream_last_seq < last.stream_last_seq;
  if (full && streamGrew && window.every((s) => s.delivered === window[0]!.delivered) && !recentlyActive) {
    out.push({
      kind: "idle_while_stream_grows",
      text: `idle while the stream grew by ${formatCount(last.stream_last_seq - window[0]!.stream_last_seq)} messages: no client is pulling — is the consumer's service running?`,
    });
  }
  // as the falling_behind rule judges it: a hair's difference, or a consumer that caught up meanwhile, is not advice
  if (rates && rates.consume_per_s > 0 && consumesBelowIngest(window, rates, t.fallingBehindRatio)) {
    out.push({
      kind: "slower_than_ingest",
      text: `consume ${formatRate(rates.consume_per_s)} vs ingest ${formatRate(rates.ingest_per_s)}: add consumers or speed up the handler`,
    });
  }
  if (deadLetters.max_deliveries > 0 || deadLetters.terminated > 0) {
    const parts = [];
    if (deadLetters.max_deliveries > 0) parts.push(`${formatCount(deadLetters.max_deliveries)} hit max deliver`);
    if (deadLetters.terminated > 0) parts.push(`${formatCount(deadLetters.terminated)} were terminated`);
    out.push({
      kind: "dead_letters",
      text: `${parts.join(" and ")} in the last ${formatDuration(t.deadLetterLookbackMs)}: those messages will not be delivered again — inspect them in the Streams browser`,
    });
  }
  return out;
}

// ---- the derived block published per consumer ----

export interface ConsumerInsight {
  lag_msgs: number;
  /** Age of the oldest unprocessed message; 0 when caught up; null when unknown. */
  lag_seconds: number | null;
  /** How lag_seconds was obtained: the exact stored message, or interpolated from stream samples. */
  lag_seconds_source: "exact" | "interpolated" | "none";
  consume_per_s: number | null;
  ingest_per_s: number | null;
  drain: { state: DrainEstimate["state"]; seconds: number | null };
  health: HealthVerdict;
  diagnoses: Diagnosis[];
  dead_letters: DeadLetterCounts;
  /** The stream sequence it is stuck on (ack floor + 1) while lag > 0, else null. */
  stuck_seq: number | null;
  /** Recent lag in messages, oldest first, for the table's sparkline. */
  spark: number[];
  /** When its stream's limits take messages it has not processed (./loss-forecast.ts); absent when none. */
  loss?: LossForecast;
}

export const statusTone = (s: HealthStatus): "ok" | "warn" | "bad" | "info" =>
  s === "OK" ? "ok" : s === "WARN" ? "warn" : s === "REWIND" ? "info" : "bad";
