/**
 * Turns each sampler tick's consumer list into ConsumerSummaries with derived fields (./derive.ts), keeping per
 * consumer its window, history, status changes and dead letters (./consumer-state.ts) and per stream what lag
 * in seconds needs (./publish-times.ts).
 */
import "server-only";
import type { Advisory } from "../../lib/consumers/advisories";
import { DEFAULT_HEALTH_CONFIG, type HealthConfig } from "../../lib/consumers/health";
import type { ConsumerHistoryResponse, HistoryRange } from "../../lib/consumers/series";
import { withInsight, type ConsumerBase, type ConsumerSummary } from "../../lib/consumers/types";
import { emptySample } from "../../lib/consumers/sample-window";
import type { StreamSummary } from "../../lib/streams/types";
import { ConsumerStates, historyOf, noteLeader, noteVerdict, recordSample, type ConsumerState } from "./consumer-state";
import { InsightDeriver, type DeriveOptions } from "./derive";
import { PublishTimes, type PublishTimeOptions } from "./publish-times";

export type { FetchPublishTime } from "./publish-times";

export interface TrackerOptions extends DeriveOptions, PublishTimeOptions {
  intervalMs: number;
  health?: HealthConfig;
  /** Consumers that get a full history (the first ones seen); the rest still get window, status and sparkline. */
  historyMaxConsumers?: number;
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
  /**
   * Keeps consumers this sample could not read (the list reported them missing) as they were: their window and
   * history stay, nothing is derived or recorded from a reading that is not new.
   */
  keep(list: readonly ConsumerBase[]): TrackedPart;
  /** Ends the sample: the parts in list order. Forgets consumers no part listed, starts exact lookups. */
  finish(parts: readonly TrackedPart[]): ConsumerSummary[];
}

export class ConsumerTracker {
  private readonly states: ConsumerStates;
  private readonly publishTimes: PublishTimes;
  private readonly deriver: InsightDeriver;
  /** Reused by adopt() for each consumer's sample (the window copies its numbers). */
  private readonly adoptedSample = emptySample();
  latest: ConsumerSummary[] = [];

  constructor(opts: TrackerOptions) {
    const health = opts.health ?? DEFAULT_HEALTH_CONFIG;
    const overrides = Object.values(health.perConsumer).map((o) => o.windowSize ?? 0);
    const windowKeep = Math.max(health.windowSize, ...overrides);
    this.states = new ConsumerStates({ intervalMs: opts.intervalMs, windowKeep, historyMaxConsumers: opts.historyMaxConsumers });
    this.publishTimes = new PublishTimes(opts);
    this.deriver = new InsightDeriver(health, this.publishTimes, opts);
  }

  /** Folds one tick in and returns the enriched consumers. */
  async observe(streams: readonly StreamSummary[], list: readonly ConsumerBase[], now: number): Promise<ConsumerSummary[]> {
    const sample = this.begin(streams, now);
    return sample.finish([sample.add(list)]);
  }

  /**
   * One sample folded in part by part: the sampler derives each stream's consumers as soon as its list
   * arrives, while the other lists are still on the wire. The result is what observe() gives for the parts'
   * lists concatenated in the order they are passed to finish().
   */
  begin(streams: readonly StreamSummary[], now: number): TrackerSample {
    const byStream = this.publishTimes.trackStreams(streams);
    const listing = this.states.startListing();
    return {
      add: (list) => {
        const states = this.states.track(list, listing, true);
        const consumers = list.map((c, k) => {
          const state = states[k]!;
          const summary = withInsight(c, this.deriver.derive(c, state, byStream.get(c.stream), now));
          noteLeader(state, c);
          state.latest = summary;
          return summary;
        });
        return { consumers, states };
      },
      keep: (list) => {
        const states = this.states.track(list, listing, true);
        const consumers = list.map((c, k) => {
          const state = states[k]!;
          const summary = withInsight(c, state.latest?.insight ?? null);
          state.latest = summary;
          return summary;
        });
        return { consumers, states };
      },
      finish: (parts) => {
        // new consumers get a history in list order, as many as are left, before the gone ones free theirs
        for (const part of parts) for (const state of part.states) if (state.historyPending) this.states.giveHistory(state);
        this.states.end(listing);
        const out = parts.length === 1 ? parts[0]!.consumers : parts.flatMap((p) => p.consumers);
        this.publishTimes.refresh(out, parts.length === 1 ? parts[0]!.states : parts.flatMap((p) => p.states));
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
    const byStream = this.publishTimes.trackStreams(streams);
    const listing = this.states.startListing();
    const states = this.states.track(list, listing, false);
    this.states.end(listing);
    for (let k = 0; k < list.length; k++) {
      const summary = list[k]!;
      const state = states[k]!;
      recordSample(summary, state, byStream.get(summary.stream)?.stream.state.last_seq ?? 0, now, this.adoptedSample);
      // The verdict it carries was judged by the leader, perhaps under other thresholds (its own environment):
      // once this replica samples, it judges a window itself before keeping a verdict (verdictHolds).
      state.steadyRun = 0;
      const insight = summary.insight;
      if (insight) {
        noteVerdict(state, insight.health, now);
        state.history?.add({
          t: now,
          lag_msgs: insight.lag_msgs,
          lag_seconds: insight.lag_seconds,
          consume_per_s: insight.consume_per_s,
          ingest_per_s: insight.ingest_per_s,
        });
      }
      noteLeader(state, summary);
      state.latest = summary;
    }
    this.latest = list as ConsumerSummary[];
  }

  /** Resolves when the exact lookups started by the last tick are done (tests, benches). */
  async settled(): Promise<void> {
    await this.publishTimes.settled();
  }

  /** One consumer in full as of the last sample (the detail page's data; the list pages stream only rows). */
  latestFor(stream: string, name: string): ConsumerSummary | null {
    return this.states.get(stream, name)?.latest ?? null;
  }

  /** A consumer advisory (max deliveries, NAK, terminated); others are ignored. */
  recordAdvisory(a: Advisory): void {
    this.states.recordAdvisory(a);
  }

  history(stream: string, name: string, range: HistoryRange, now: number, maxPoints = 600): ConsumerHistoryResponse | null {
    const state = this.states.get(stream, name);
    return state ? historyOf(state, range, now, maxPoints) : null;
  }
}
