/**
 * A consumer's insight for one sample: lag in seconds, rates, drain time, health verdict, diagnoses, sparkline.
 * A verdict that cannot change (a steady window) is kept without judging again, and every part equal to the
 * previous sample's keeps the previous object.
 */
import "server-only";
import {
  diagnose,
  diagnosesHoldWhileSteady,
  drainTime,
  evaluateHealth,
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
import { ageSeconds } from "../../lib/consumers/lag";
import { forecastLoss, hasLossLimits, sameLossForecast, type LossForecast } from "../../lib/consumers/loss-forecast";
import { emptySample } from "../../lib/consumers/sample-window";
import { lagMessages, type ConsumerBase } from "../../lib/consumers/types";
import type { StreamSummary } from "../../lib/streams/types";
import { NO_DEAD_LETTERS, addHistoryPoint, deadLetterCounts, noteVerdict, recordSample, type ConsumerState } from "./consumer-state";
import { exactForFloor, type PublishTimes, type StreamContext } from "./publish-times";

export interface DeriveOptions {
  /**
   * Judge every consumer's window on every sample, also when nothing changed (tests compare against it); by
   * default an unchanged consumer keeps a verdict that cannot change (see verdictHoldsWhileSteady).
   */
  alwaysJudge?: boolean;
  sparkPoints?: number;
}

/** Wire figures to a millisecond / a thousandth: the digits beyond are noise, sent on every row of every tick. */
const round3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

/**
 * `next` when it differs from `prev`, else `prev`: a tick's output lives until the next tick, so a new equal
 * object only adds GC work, and a kept one lets the hub's row diff stop at identity (bench/RESULTS.md, bench:tracker).
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
  a.spark === b.spark &&
  a.loss === b.loss;

/** The consumer's loss forecast, or null when there is none. Ingest over the window, else the stream's last two samples. */
function lossOf(
  c: ConsumerBase,
  stream: StreamSummary,
  lag: number,
  oldestTs: number | null,
  ingestPerS: number | null,
  now: number,
): LossForecast | null {
  const forecast = forecastLoss({
    stream,
    rate: { msgs_per_s: ingestPerS ?? stream.rates?.msgs_per_s ?? null, bytes_per_s: stream.rates?.bytes_per_s ?? null },
    consumer: {
      ack_floor_seq: c.ack_floor.stream_seq,
      lag_msgs: lag,
      filtered: c.config.filter_subjects.length > 0,
      oldest_unprocessed_ms: oldestTs,
    },
    now,
  });
  return forecast.kind === "none" ? null : forecast;
}

export class InsightDeriver {
  /**
   * Reused for every consumer: the sample being recorded, the first and last of the window read back from its
   * ring, and the window the rules judge (nothing keeps them past the consumer's derive).
   */
  private readonly scratch = { next: emptySample(), first: emptySample(), last: emptySample(), window: [] as ConsumerSample[] };

  constructor(
    private readonly health: HealthConfig,
    private readonly publishTimes: PublishTimes,
    private readonly opts: DeriveOptions,
  ) {}

  /** Records the consumer's sample in its state and derives its insight. */
  derive(c: ConsumerBase, state: ConsumerState, ctx: StreamContext | undefined, now: number): ConsumerInsight {
    const t = (state.thresholds ??= thresholdsFor(this.health, c.stream, c.name));
    const stream = ctx?.stream;
    const lag = lagMessages(c);
    const samples = state.samples;
    state.lastWindowSpanMs = samples.span(t.windowSize);
    recordSample(c, state, stream?.state.last_seq ?? 0, now, this.scratch.next);

    const deadLetters = deadLetterCounts(state, now - t.deadLetterLookbackMs);
    const inWindow = Math.min(samples.length, t.windowSize);
    const last = samples.read(samples.length - 1, this.scratch.last);
    const rates = inWindow < 2 ? null : ratesBetween(samples.read(samples.length - inWindow, this.scratch.first), last);
    const oldestTs = lag > 0 ? this.publishTimes.oldestUnprocessedTs(c, state, ctx) : null;
    const lagSeconds = lag === 0 ? 0 : oldestTs !== null ? ageSeconds(oldestTs, now) : null;
    const exact = exactForFloor(c, state);
    const prev = state.latest?.insight ?? undefined;
    // Most of a big fleet sits still (caught up, stopped, stalled): its verdict and diagnoses cannot change, so
    // judging its window again is skipped.
    const holds = this.verdictHolds(state, last, t, deadLetters, prev, now);
    const diagnosesHold = holds && diagnosesHoldWhileSteady(prev!.health, last);
    // the rules read a window as an array of samples: filled only when they judge it (never when both hold)
    const window = diagnosesHold ? null : samples.newest(t.windowSize, this.scratch.window);
    const health = holds
      ? prev!.health
      : keepIfSame(state.lastVerdict ?? undefined, evaluateHealth(window!, deadLetters, t, now, state.lastVerdict), sameVerdict);
    if (!holds) noteVerdict(state, health, now);
    const distance = Math.max(0, (stream?.state.last_seq ?? 0) - c.ack_floor.stream_seq);
    const drain = drainTime(lag, distance, rates);
    // most consumers keep no history: no point object for them
    if (state.history || state.historyPending)
      addHistoryPoint(state, {
        t: now,
        lag_msgs: lag,
        lag_seconds: lagSeconds,
        consume_per_s: rates?.consume_per_s ?? null,
        ingest_per_s: rates?.ingest_per_s ?? null,
      });
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
    const loss = stream && hasLossLimits(stream.config) ? lossOf(c, stream, lag, oldestTs, rates?.ingest_per_s ?? null, now) : null;
    if (loss) insight.loss = keepIfSame(prev?.loss, loss, sameLossForecast);
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
}
