/**
 * When each lagging consumer's oldest unprocessed message was stored, for its lag in seconds: the exact stored
 * message at ack floor + 1 (first match of the filter at or after it) when the ack floor moved and the per-tick
 * fetch budget allows — cached by ack floor, so a consumer that stays put costs nothing; otherwise interpolated
 * from each stream's short (last_seq, last_ts) series, which costs no request at all.
 */
import "server-only";
import { appendSeqTime, interpolatePublishTime, type SeqTimePoint } from "../../lib/consumers/lag";
import { lagMessages, type ConsumerBase } from "../../lib/consumers/types";
import type { StreamSummary } from "../../lib/streams/types";
import { mapLimit } from "../concurrency";
import type { ExactLookup } from "./consumer-state";

/** Publish time (ms) of the first stored message at or after `seq` matching `filter`; null if none. */
export type FetchPublishTime = (stream: string, seq: number, filter: string | null) => Promise<{ seq: number; ts: number } | null>;

export interface PublishTimeOptions {
  fetchPublishTime?: FetchPublishTime;
  /** Exact message gets per tick at most; the rest interpolate. */
  exactFetchBudget?: number;
  exactFetchConcurrency?: number;
}

/** A stream as each of its consumers needs it in one sample. */
export interface StreamContext {
  stream: StreamSummary;
  /** The first stored message: anchors lag-seconds interpolation before the series' first point. */
  first: SeqTimePoint | null;
}

/** Where a consumer's exact lookup is kept (its tracker state). */
interface HasExact {
  exact: ExactLookup | null;
}

const STREAM_SERIES_POINTS = 4_000;
const NO_SERIES: readonly SeqTimePoint[] = [];

/** Whether the consumer's last exact lookup was made for its current ack floor. */
export const exactForFloor = (c: ConsumerBase, state: HasExact): boolean =>
  state.exact !== null && state.exact.floor === c.ack_floor.stream_seq;

export class PublishTimes {
  private readonly streamSeries = new Map<string, SeqTimePoint[]>();
  private exactInFlight: Promise<void> | null = null;

  constructor(private readonly opts: PublishTimeOptions) {}

  /** Each stream's series and what its consumers need of it in this sample; forgets streams that are gone. */
  trackStreams(streams: readonly StreamSummary[]): Map<string, StreamContext> {
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

  /** When the oldest unprocessed message was stored (ms): the exact lookup's when it is for this ack floor. */
  oldestUnprocessedTs(c: ConsumerBase, state: HasExact, ctx: StreamContext | undefined): number | null {
    const floor = c.ack_floor.stream_seq;
    if (state.exact && state.exact.floor === floor) return state.exact.ts;
    // The stream's first stored message anchors the series' start: nothing older than it is unprocessed.
    const first = ctx?.first ?? null;
    return interpolatePublishTime(this.streamSeries.get(c.stream) ?? NO_SERIES, Math.max(floor + 1, first?.seq ?? 0), first);
  }

  /** Resolves when the exact lookups started by the last tick are done (tests, benches). */
  async settled(): Promise<void> {
    await this.exactInFlight;
  }

  /**
   * Exact lookups for consumers whose ack floor moved since their last one, within the tick's budget. Run in
   * the background so the tick never waits on them: the next tick uses what they found; until then the
   * consumer's lag seconds are interpolated. One batch at a time.
   */
  refresh(consumers: readonly ConsumerBase[], states: readonly HasExact[]): void {
    const fetch = this.opts.fetchPublishTime;
    if (!fetch || this.exactInFlight) return;
    const limit = this.opts.exactFetchBudget ?? 32;
    const budget: { c: ConsumerBase; state: HasExact }[] = [];
    for (let k = 0; k < consumers.length && budget.length < limit; k++) {
      const c = consumers[k]!;
      const state = states[k]!;
      if (lagMessages(c) > 0 && state.exact?.floor !== c.ack_floor.stream_seq) budget.push({ c, state });
    }
    if (budget.length === 0) return;
    this.exactInFlight = this.fetchExact(budget, fetch).finally(() => (this.exactInFlight = null));
  }

  private async fetchExact(budget: { c: ConsumerBase; state: HasExact }[], fetch: FetchPublishTime): Promise<void> {
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
}
