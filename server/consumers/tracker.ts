/**
 * Turns each sampler tick's consumer list into ConsumerSummaries with derived fields: lag in seconds, rates,
 * drain time, health verdict, diagnoses, sparkline. Keeps per consumer the sample window, a bounded history,
 * status changes and dead letters (from advisories); per stream a short (last_seq, last_ts) series.
 *
 * Lag seconds: the exact stored message at ack floor + 1 (first match of the filter at or after it) when the
 * ack floor moved and the per-tick fetch budget allows — cached by sequence, so a consumer that stays put
 * costs nothing; otherwise interpolated from the stream series (no request at all).
 */
import "server-only";
import type { Advisory } from "../../lib/consumers/advisories";
import { appendSeqTime, ageSeconds, interpolatePublishTime, type SeqTimePoint } from "../../lib/consumers/lag";
import {
  DEFAULT_HEALTH_CONFIG,
  consumerKey,
  diagnose,
  diagnosesHoldWhileSteady,
  drainTime,
  evaluateHealth,
  noDeadLetters,
  ratesBetween,
  thresholdsFor,
  verdictHoldsWhileSteady,
  type ConsumerInsight,
  type ConsumerSample,
  type DeadLetterCounts,
  type HealthConfig,
  type HealthThresholds,
  type HealthVerdict,
} from "../../lib/consumers/health";
import {
  HISTORY_RANGES,
  type ConsumerHistoryResponse,
  type DeadLetterEntry,
  type HistoryRange,
  type SeriesPoint,
  type StatusChange,
} from "../../lib/consumers/series";
import { lagMessages, withInsight, type ConsumerBase, type ConsumerSummary } from "../../lib/consumers/types";
import { SampleWindow, emptySample } from "../../lib/consumers/sample-window";
import type { StreamSummary } from "../../lib/streams/types";
import { mapLimit } from "../concurrency";
import { ConsumerHistory } from "./history";

/** Publish time (ms) of the first stored message at or after `seq` matching `filter`; null if none. */
export type FetchPublishTime = (stream: string, seq: number, filter: string | null) => Promise<{ seq: number; ts: number } | null>;

export interface TrackerOptions {
  intervalMs: number;
  health?: HealthConfig;
  fetchPublishTime?: FetchPublishTime;
  /**
   * Judge every consumer's window on every sample, also when nothing changed (tests compare against it); by
   * default an unchanged consumer keeps a verdict that cannot change (see verdictHoldsWhileSteady).
   */
  alwaysJudge?: boolean;
  /** Exact message gets per tick at most; the rest interpolate. */
  exactFetchBudget?: number;
  exactFetchConcurrency?: number;
  /** Consumers that get a full history (the first ones seen); the rest still get window, status and sparkline. */
  historyMaxConsumers?: number;
  sparkPoints?: number;
}

const STATUS_CHANGES_KEPT = 200;
/** Wire figures to a millisecond / a thousandth: 3.8333333333333335 costs 18 bytes × 10,000 consumers per tick. */
const round3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
const DEAD_LETTERS_KEPT = 500;
const STREAM_SERIES_POINTS = 4_000;
/** Shared by every consumer without recent dead letters (nearly all): one object instead of 10,000 a tick. */
const NO_DEAD_LETTERS: DeadLetterCounts = Object.freeze(noDeadLetters());
const NO_SERIES: readonly SeqTimePoint[] = [];

/**
 * `next` when it differs from `prev`, else `prev`: a tick's output lives until the next tick, so every new
 * object survives the young generation and costs a copy and a promotion — at 10,000 consumers that GC work
 * was a third of the tracker's time. Keeping the previous (equal) object costs nothing and lets the hub's
 * row diff stop at identity.
 */
function keepIfSame<T>(prev: T | undefined, next: T, same: (a: T, b: T) => boolean): T {
  return prev !== undefined && same(prev, next) ? prev : next;
}
const sameVerdict = (a: HealthVerdict, b: HealthVerdict) => a.status === b.status && a.rule === b.rule && a.evidence === b.evidence;
const sameDrain = (a: ConsumerInsight["drain"], b: ConsumerInsight["drain"]) => a.state === b.state && a.seconds === b.seconds;
/** Field by field; the objects and lists in it are kept when equal (above), so those compare by identity. */
const sameInsight = (a: ConsumerInsight, b: ConsumerInsight) =>
  a.lag_msgs === b.lag_msgs &&
  a.lag_seconds === b.lag_seconds &&
  a.lag_seconds_source === b.lag_seconds_source &&
  a.consume_per_s === b.consume_per_s &&
  a.ingest_per_s === b.ingest_per_s &&
  a.drain === b.drain &&
  a.health === b.health &&
  a.diagnoses === b.diagnoses &&
  a.dead_letters === b.dead_letters &&
  a.stuck_seq === b.stuck_seq &&
  a.spark === b.spark;

interface ConsumerState {
  stream: string;
  name: string;
  /** The last samples (as many as the largest window): a ring of numbers, not objects (lib/consumers/sample-window.ts). */
  samples: SampleWindow;
  history: ConsumerHistory | null;
  /** First seen in a sample not finished yet: whether it gets a history is decided in list order at the end. */
  historyPending: boolean;
  /** The points its history would have got meanwhile. */
  pendingPoints: SeriesPoint[] | null;
  statusChanges: StatusChange[];
  deadLetters: DeadLetterEntry[];
  lastVerdict: HealthVerdict | null;
  /** Last exact lookup: for which ack floor, which message and when it was stored. */
  exact: { floor: number; seq: number; ts: number } | null;
  latest: ConsumerSummary | null;
  thresholds?: HealthThresholds;
  /** The sample that last listed this consumer: one not listed by the current sample is gone. */
  seenTick: number;
  /** Samples in a row whose data equal the one before (times aside): the window is steady once it spans them. */
  steadyRun: number;
  /** The span of the window before this sample's: a held STALL's text quotes the span (verdictHoldsWhileSteady). */
  lastWindowSpanMs: number;
  /** The last time strings parsed and their value: they rarely change between ticks, Date.parse is not free. */
  times: { created: string; delivered: string | null; acked: string | null; createdMs: number; lastActiveMs: number } | null;
}

/** ms since the epoch, -Infinity for never. */
const parseTime = (iso: string | null): number => (iso ? Date.parse(iso) : -Infinity);

/** Creation and last-activity times of a consumer in ms, re-parsed only when the server's strings changed. */
function consumerTimes(c: ConsumerBase, state: ConsumerState): { createdMs: number; lastActiveMs: number } {
  const t = state.times;
  const delivered = c.delivered.last_active;
  const acked = c.ack_floor.last_active;
  if (t && t.created === c.created && t.delivered === delivered && t.acked === acked) return t;
  const lastActiveMs = Math.max(parseTime(delivered), parseTime(acked));
  state.times = { created: c.created, delivered, acked, createdMs: parseTime(c.created), lastActiveMs };
  return state.times;
}

/** One part of a sample (the sampler's: one stream's consumers), derived; pass it back to finish(). */
export interface TrackedPart {
  readonly consumers: ConsumerSummary[];
  /** @internal Each consumer's state, in the order of `consumers`. */
  readonly states: readonly ConsumerState[];
}

export interface TrackerSample {
  /** Derives one part of the sample's consumers (window, health, rates, history) and returns them. */
  add(list: readonly ConsumerBase[]): TrackedPart;
  /** Ends the sample: the parts in list order. Forgets consumers no part listed, starts exact lookups. */
  finish(parts: readonly TrackedPart[]): ConsumerSummary[];
}

/** A stream as each of its consumers needs it in one sample. */
interface StreamContext {
  stream: StreamSummary;
  /** The first stored message: anchors lag-seconds interpolation before the series' first point. */
  first: SeqTimePoint | null;
}

/** By subject, which the server always sets, rather than the body's type, which a malformed advisory may lack. */
const ADVISORY_KINDS: [string, DeadLetterEntry["kind"]][] = [
  ["$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.", "max_deliveries"],
  ["$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.", "naked"],
  ["$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.", "terminated"],
];

export class ConsumerTracker {
  private readonly consumers = new Map<string, ConsumerState>();
  /** Per stream, its consumers' states in the order of the last sample's list. */
  private order = new Map<string, ConsumerState[]>();
  private readonly streamSeries = new Map<string, SeqTimePoint[]>();
  private readonly health: HealthConfig;
  private historyCount = 0;
  private tick = 0;
  private readonly windowKeep: number;
  /**
   * Reused for every consumer: the sample being recorded, the first and last of the window read back from its
   * ring, and the window the rules judge (nothing keeps them past the consumer's derive).
   */
  private readonly scratch = { next: emptySample(), first: emptySample(), last: emptySample(), window: [] as ConsumerSample[] };
  latest: ConsumerSummary[] = [];

  constructor(private readonly opts: TrackerOptions) {
    this.health = opts.health ?? DEFAULT_HEALTH_CONFIG;
    const overrides = Object.values(this.health.perConsumer).map((o) => o.windowSize ?? 0);
    this.windowKeep = Math.max(this.health.windowSize, ...overrides);
  }

  /** Folds one tick in and returns the enriched consumers. */
  async observe(streams: readonly StreamSummary[], list: readonly ConsumerBase[], now: number): Promise<ConsumerSummary[]> {
    const sample = this.begin(streams, now);
    return sample.finish([sample.add(list)]);
  }

  /**
   * One sample folded in part by part: the sampler derives each stream's consumers as soon as its list
   * arrives, while the other lists are still on the wire, instead of all 10,000 after the last one. The
   * result is what observe() gives for the parts' lists concatenated in the order they are passed to finish().
   */
  begin(streams: readonly StreamSummary[], now: number): TrackerSample {
    const byStream = this.trackStreams(streams);
    const tick = ++this.tick;
    const next = new Map<string, ConsumerState[]>();
    let seen = 0;
    return {
      add: (list) => {
        const tracked = this.trackConsumers(list, tick, next, true);
        seen += tracked.seen;
        const states = tracked.states;
        const consumers = list.map((c, k) => {
          const state = states[k]!;
          const summary = withInsight(c, this.derive(c, state, byStream.get(c.stream), now));
          state.latest = summary;
          return summary;
        });
        return { consumers, states };
      },
      finish: (parts) => {
        // new consumers get a history in list order, as many as are left, before the gone ones free theirs
        for (const part of parts) for (const state of part.states) if (state.historyPending) this.giveHistory(state);
        this.order = next;
        this.forgetUnseen(tick, seen);
        const out = parts.length === 1 ? parts[0]!.consumers : parts.flatMap((p) => p.consumers);
        this.refreshExactTimes(out, parts.length === 1 ? parts[0]!.states : parts.flatMap((p) => p.states));
        this.latest = out;
        return out;
      },
    };
  }

  /**
   * Folds in a sample another replica's sampler derived (the elected leader publishes its consumers with
   * insights): the same window, history and status changes as observe(), without deriving again and without
   * a single JetStream request. Keeps this replica ready to take over with a warm window.
   */
  adopt(streams: readonly StreamSummary[], list: readonly ConsumerSummary[], now: number): void {
    const byStream = this.trackStreams(streams);
    const tick = ++this.tick;
    const next = new Map<string, ConsumerState[]>();
    const { states, seen } = this.trackConsumers(list, tick, next, false);
    this.order = next;
    this.forgetUnseen(tick, seen);
    for (let k = 0; k < list.length; k++) {
      const summary = list[k]!;
      const state = states[k]!;
      this.recordSample(summary, state, byStream.get(summary.stream), now);
      // The verdict it carries was judged by the leader, perhaps under other thresholds (its own environment):
      // once this replica samples, it judges a window itself before keeping a verdict (verdictHolds).
      state.steadyRun = 0;
      const insight = summary.insight;
      if (insight) {
        this.noteVerdict(state, insight.health, now);
        state.history?.add({
          t: now,
          lag_msgs: insight.lag_msgs,
          lag_seconds: insight.lag_seconds,
          consume_per_s: insight.consume_per_s,
          ingest_per_s: insight.ingest_per_s,
        });
      }
      state.latest = summary;
    }
    this.latest = list as ConsumerSummary[];
  }

  /** Each stream's series and what its consumers need of it in this sample; forgets streams that are gone. */
  private trackStreams(streams: readonly StreamSummary[]): Map<string, StreamContext> {
    const byStream = new Map<string, StreamContext>();
    for (const s of streams) {
      if (s.state.last_ts)
        this.streamSeries.set(
          s.name,
          appendSeqTime(
            this.streamSeries.get(s.name) ?? [],
            { seq: s.state.last_seq, ts: Date.parse(s.state.last_ts) },
            STREAM_SERIES_POINTS,
          ),
        );
      // parsed once per stream, not once per consumer
      byStream.set(s.name, { stream: s, first: s.state.first_ts ? { seq: s.state.first_seq, ts: Date.parse(s.state.first_ts) } : null });
    }
    for (const name of this.streamSeries.keys()) if (!byStream.has(name)) this.streamSeries.delete(name);
    return byStream;
  }

  /**
   * Each listed consumer's state, marked as seen in this sample (`seen` counts the states marked first here).
   * A state is looked up where it was in the last sample's list of its stream (lists come in name order), and
   * by key only when another consumer is there; `next` collects this sample's order. The states come in the
   * list's order (an array beside it, not an object per consumer).
   */
  private trackConsumers<C extends ConsumerBase>(
    list: readonly C[],
    tick: number,
    next: Map<string, ConsumerState[]>,
    deferHistory: boolean,
  ) {
    let seen = 0;
    let stream: string | undefined;
    let before: ConsumerState[] | undefined;
    let order: ConsumerState[] = [];
    const states = list.map((c) => {
      if (c.stream !== stream) {
        stream = c.stream;
        before = this.order.get(stream);
        const known = next.get(stream);
        if (known) order = known;
        else next.set(stream, (order = []));
      }
      const there = before?.[order.length];
      const state =
        there !== undefined && there.name === c.name && there.stream === c.stream ? there : this.stateFor(c.stream, c.name, deferHistory);
      order.push(state);
      if (state.seenTick !== tick) seen++;
      state.seenTick = tick;
      return state;
    });
    return { states, seen };
  }

  /** Drops the consumers the sample did not list (`seen` of them were: when that is all, nothing to look for). */
  private forgetUnseen(tick: number, seen: number): void {
    if (seen >= this.consumers.size) return;
    for (const [key, state] of this.consumers) {
      if (state.seenTick !== tick) {
        if (state.history) this.historyCount--;
        this.consumers.delete(key);
      }
    }
  }

  /** A history for a consumer first seen in this sample, if any are left; with the point its sample added. */
  private giveHistory(state: ConsumerState): void {
    state.historyPending = false;
    const points = state.pendingPoints;
    // (dropped also when no history is left for it: a point array per consumer kept for nothing otherwise)
    state.pendingPoints = null;
    if (this.historyCount >= (this.opts.historyMaxConsumers ?? 1_000)) return;
    this.historyCount++;
    state.history = new ConsumerHistory({ intervalMs: this.opts.intervalMs });
    for (const p of points ?? []) state.history.add(p);
  }

  /** A consumer's state, new if need be: with a history if any are left, or (`deferHistory`) decided by the sample's finish(). */
  private stateFor(stream: string, name: string, deferHistory = false): ConsumerState {
    const key = consumerKey(stream, name);
    let s = this.consumers.get(key);
    if (!s) {
      const withHistory = !deferHistory && this.historyCount < (this.opts.historyMaxConsumers ?? 1_000);
      if (withHistory) this.historyCount++;
      s = {
        stream,
        name,
        samples: new SampleWindow(this.windowKeep),
        history: withHistory ? new ConsumerHistory({ intervalMs: this.opts.intervalMs }) : null,
        historyPending: deferHistory,
        pendingPoints: null,
        statusChanges: [],
        deadLetters: [],
        lastVerdict: null,
        exact: null,
        latest: null,
        seenTick: 0,
        steadyRun: 0,
        lastWindowSpanMs: 0,
        times: null,
      };
      this.consumers.set(key, s);
    }
    return s;
  }

  private exactInFlight: Promise<void> | null = null;

  /** Resolves when the exact lookups started by the last tick are done (tests, benches). */
  async settled(): Promise<void> {
    await this.exactInFlight;
  }

  /**
   * Exact lookups for consumers whose ack floor moved since their last one, within the tick's budget. Run in
   * the background so the tick never waits on them: the next tick uses what they found; until then the
   * consumer's lag seconds are interpolated. One batch at a time.
   */
  private refreshExactTimes(consumers: readonly ConsumerBase[], states: readonly ConsumerState[]): void {
    const fetch = this.opts.fetchPublishTime;
    if (!fetch || this.exactInFlight) return;
    const limit = this.opts.exactFetchBudget ?? 32;
    const budget: { c: ConsumerBase; state: ConsumerState }[] = [];
    for (let k = 0; k < consumers.length && budget.length < limit; k++) {
      const c = consumers[k]!;
      const state = states[k]!;
      if (lagMessages(c) > 0 && state.exact?.floor !== c.ack_floor.stream_seq) budget.push({ c, state });
    }
    if (budget.length === 0) return;
    this.exactInFlight = this.fetchExact(budget, fetch).finally(() => (this.exactInFlight = null));
  }

  private async fetchExact(budget: { c: ConsumerBase; state: ConsumerState }[], fetch: FetchPublishTime): Promise<void> {
    await mapLimit(budget, this.opts.exactFetchConcurrency ?? 8, async ({ c, state }) => {
      const floor = c.ack_floor.stream_seq;
      const filter = c.config.filter_subjects.length === 1 ? c.config.filter_subjects[0]! : null;
      try {
        const found = await fetch(c.stream, floor + 1, filter);
        state.exact = found ? { floor, ...found } : null;
      } catch {
        state.exact = null; // message gone or API error: interpolation covers it
      }
    });
  }

  /** When the oldest unprocessed message was stored (ms): the exact lookup's when it is for this ack floor. */
  private oldestUnprocessedTs(c: ConsumerBase, state: ConsumerState, ctx: StreamContext | undefined): number | null {
    const floor = c.ack_floor.stream_seq;
    if (state.exact && state.exact.floor === floor) return state.exact.ts;
    // The stream's first stored message anchors the series' start: nothing older than it is unprocessed.
    const first = ctx?.first ?? null;
    return interpolatePublishTime(this.streamSeries.get(c.stream) ?? NO_SERIES, Math.max(floor + 1, first?.seq ?? 0), first);
  }

  private derive(c: ConsumerBase, state: ConsumerState, ctx: StreamContext | undefined, now: number): ConsumerInsight {
    const t = (state.thresholds ??= thresholdsFor(this.health, c.stream, c.name));
    const stream = ctx?.stream;
    const lag = lagMessages(c);
    const samples = state.samples;
    state.lastWindowSpanMs = samples.span(t.windowSize);
    this.recordSample(c, state, ctx, now);

    const deadLetters = this.deadLetterCounts(state, now - t.deadLetterLookbackMs);
    const inWindow = Math.min(samples.length, t.windowSize);
    const last = samples.read(samples.length - 1, this.scratch.last);
    const rates = inWindow < 2 ? null : ratesBetween(samples.read(samples.length - inWindow, this.scratch.first), last);
    const oldestTs = lag > 0 ? this.oldestUnprocessedTs(c, state, ctx) : null;
    const lagSeconds = lag === 0 ? 0 : oldestTs !== null ? ageSeconds(oldestTs, now) : null;
    const exact = state.exact !== null && state.exact.floor === c.ack_floor.stream_seq;
    const prev = state.latest?.insight ?? undefined;
    // Most of a big fleet sits still (caught up, stopped, stalled): its verdict and diagnoses cannot change, so judging
    // its windows and writing their evidence again is skipped (bench:tracker: about 15% of the mixed fleet's time,
    // 40% of an all-STALL fleet's).
    const holds = this.verdictHolds(state, last, t, deadLetters, prev, now);
    const diagnosesHold = holds && diagnosesHoldWhileSteady(prev!.health, last);
    // the rules read a window as an array of samples: filled only when they judge it (never when both hold)
    const window = diagnosesHold ? null : samples.newest(t.windowSize, this.scratch.window);
    const health = holds
      ? prev!.health
      : keepIfSame(state.lastVerdict ?? undefined, evaluateHealth(window!, deadLetters, t, now, state.lastVerdict), sameVerdict);
    if (!holds) this.noteVerdict(state, health, now);
    const distance = Math.max(0, (stream?.state.last_seq ?? 0) - c.ack_floor.stream_seq);
    const drain = drainTime(lag, distance, rates);
    if (state.history || state.historyPending) {
      // (most consumers keep no history: no point object for them)
      const point = {
        t: now,
        lag_msgs: lag,
        lag_seconds: lagSeconds,
        consume_per_s: rates?.consume_per_s ?? null,
        ingest_per_s: rates?.ingest_per_s ?? null,
      };
      if (state.history) state.history.add(point);
      else (state.pendingPoints ??= []).push(point);
    }
    const diagnoses = diagnosesHold ? prev!.diagnoses : diagnose(window!, rates, deadLetters, t, now);
    const insight: ConsumerInsight = {
      lag_msgs: lag,
      lag_seconds: round3(lagSeconds),
      lag_seconds_source: lag === 0 || oldestTs === null ? "none" : exact ? "exact" : "interpolated",
      consume_per_s: round3(rates?.consume_per_s ?? null),
      ingest_per_s: round3(rates?.ingest_per_s ?? null),
      drain:
        drain.seconds === null || drain.seconds === 0
          ? drain
          : keepIfSame(prev?.drain, { state: drain.state, seconds: round3(drain.seconds) }, sameDrain),
      health,
      diagnoses: diagnoses.length === 0 && prev?.diagnoses.length === 0 ? prev.diagnoses : diagnoses,
      dead_letters: deadLetters,
      stuck_seq: lag > 0 ? (exact ? state.exact!.seq : c.ack_floor.stream_seq + 1) : null,
      spark: this.spark(state, prev?.spark),
    };
    // a caught-up consumer's insight is the same sample after sample: keep the previous object
    return keepIfSame(prev, insight, sameInsight);
  }

  /** Whether the last verdict (and its diagnoses) stand without judging the window again. */
  private verdictHolds(
    state: ConsumerState,
    last: ConsumerSample,
    t: HealthThresholds,
    deadLetters: DeadLetterCounts,
    prev: ConsumerInsight | undefined,
    now: number,
  ): boolean {
    if (this.opts.alwaysJudge || prev === undefined || prev.health !== state.lastVerdict) return false;
    // windowSize + 1 equal samples in a row: this window and the last one both full of them
    const steady = state.steadyRun >= t.windowSize;
    return (
      steady &&
      deadLetters === NO_DEAD_LETTERS &&
      prev.dead_letters === NO_DEAD_LETTERS &&
      verdictHoldsWhileSteady(prev.health, last, state.samples.span(t.windowSize), state.lastWindowSpanMs, t, now)
    );
  }

  /** The sparkline: the previous array while its values are unchanged (no new array to compare and drop). */
  private spark(state: ConsumerState, prev: number[] | undefined): number[] {
    if (state.history) return state.history.spark(this.opts.sparkPoints ?? 30, prev);
    return state.samples.lags(prev);
  }

  private recordSample(c: ConsumerBase, state: ConsumerState, ctx: StreamContext | undefined, now: number): void {
    const { createdMs, lastActiveMs: lastActive } = consumerTimes(c, state);
    const s = this.scratch.next;
    s.at = now;
    s.lag = lagMessages(c);
    s.ack_floor = c.ack_floor.stream_seq;
    s.delivered = c.delivered.stream_seq;
    s.ack_pending = c.num_ack_pending;
    s.redelivered = c.num_redelivered;
    s.stream_last_seq = ctx?.stream.state.last_seq ?? 0;
    s.last_active = Number.isFinite(lastActive) ? lastActive : null;
    s.max_ack_pending = c.config.max_ack_pending;
    s.created = createdMs;
    state.steadyRun = state.samples.push(s) ? state.steadyRun + 1 : 0;
  }

  private noteVerdict(state: ConsumerState, health: HealthVerdict, now: number): void {
    if (health.status !== state.lastVerdict?.status) {
      state.statusChanges.push({ at: new Date(now).toISOString(), ...health });
      if (state.statusChanges.length > STATUS_CHANGES_KEPT) state.statusChanges.shift();
    }
    state.lastVerdict = health;
  }

  private deadLetterCounts(state: ConsumerState, since: number): DeadLetterCounts {
    const newestAt = state.deadLetters[state.deadLetters.length - 1]?.at;
    if (newestAt === undefined || Date.parse(newestAt) < since) return NO_DEAD_LETTERS;
    const counts = noDeadLetters();
    for (let i = state.deadLetters.length - 1; i >= 0; i--) {
      const d = state.deadLetters[i]!;
      if (Date.parse(d.at) < since) break;
      counts[d.kind]++;
    }
    return counts;
  }

  /** One consumer in full as of the last sample (the detail page's data; the list pages stream only rows). */
  latestFor(stream: string, name: string): ConsumerSummary | null {
    return this.consumers.get(consumerKey(stream, name))?.latest ?? null;
  }

  /** A consumer advisory (max deliveries, NAK, terminated); others are ignored. */
  recordAdvisory(a: Advisory): void {
    const kind = ADVISORY_KINDS.find(([prefix]) => a.subject.startsWith(prefix))?.[1];
    if (!kind || !a.stream || !a.consumer) return;
    const state = this.stateFor(a.stream, a.consumer);
    state.deadLetters.push({ at: a.at, kind, stream_seq: a.stream_seq, deliveries: a.deliveries });
    if (state.deadLetters.length > DEAD_LETTERS_KEPT) state.deadLetters.shift();
  }

  history(stream: string, name: string, range: HistoryRange, now: number, maxPoints = 600): ConsumerHistoryResponse | null {
    const state = this.consumers.get(consumerKey(stream, name));
    if (!state) return null;
    const since = now - HISTORY_RANGES[range];
    return {
      range,
      points: state.history?.query(since, maxPoints) ?? [],
      status_history: state.statusChanges.filter((s) => Date.parse(s.at) >= since).reverse(),
      dead_letters: state.deadLetters.filter((d) => Date.parse(d.at) >= since).reverse(),
    };
  }
}
