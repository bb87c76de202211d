/**
 * What the tracker keeps per consumer between samples: the sample window, a bounded history (for the first
 * consumers seen), status changes and dead letters (from advisories); and the bookkeeping that finds each listed
 * consumer's state, hands out histories and forgets consumers that are gone.
 */
import "server-only";
import type { Advisory } from "../../lib/consumers/advisories";
import {
  consumerKey,
  noDeadLetters,
  type ConsumerSample,
  type DeadLetterCounts,
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
import { lagMessages, type ConsumerBase, type ConsumerSummary } from "../../lib/consumers/types";
import { SampleWindow } from "../../lib/consumers/sample-window";
import { leaderChange, type LeaderChange } from "../../lib/consumers/provenance";
import { ConsumerHistory } from "./history";

/** The last exact lookup of a consumer's oldest unprocessed message: for which ack floor, which message, when stored. */
export interface ExactLookup {
  floor: number;
  seq: number;
  ts: number;
}

export interface ConsumerState {
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
  /** Changes of the server leading the consumer, oldest first, a bounded few. */
  leaderChanges: LeaderChange[];
  deadLetters: DeadLetterEntry[];
  lastVerdict: HealthVerdict | null;
  exact: ExactLookup | null;
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

const STATUS_CHANGES_KEPT = 200;
const DEAD_LETTERS_KEPT = 500;
/** Shared by every consumer without recent dead letters (nearly all): one object, not one per consumer a tick. */
export const NO_DEAD_LETTERS: DeadLetterCounts = Object.freeze(noDeadLetters());

/** By subject, which the server always sets, rather than the body's type, which a malformed advisory may lack. */
const ADVISORY_KINDS: [string, DeadLetterEntry["kind"]][] = [
  ["$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.", "max_deliveries"],
  ["$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.", "naked"],
  ["$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.", "terminated"],
];

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

/** Pushes the consumer's figures onto its window (`scratch` is reused: the window copies its numbers). */
export function recordSample(c: ConsumerBase, state: ConsumerState, streamLastSeq: number, now: number, scratch: ConsumerSample): void {
  const { createdMs, lastActiveMs: lastActive } = consumerTimes(c, state);
  scratch.at = now;
  scratch.lag = lagMessages(c);
  scratch.ack_floor = c.ack_floor.stream_seq;
  scratch.delivered = c.delivered.stream_seq;
  scratch.ack_pending = c.num_ack_pending;
  scratch.redelivered = c.num_redelivered;
  scratch.stream_last_seq = streamLastSeq;
  scratch.last_active = Number.isFinite(lastActive) ? lastActive : null;
  scratch.max_ack_pending = c.config.max_ack_pending;
  scratch.created = createdMs;
  state.steadyRun = state.samples.push(scratch) ? state.steadyRun + 1 : 0;
}

/** Keeps the verdict, and a status change when its status differs from the last one. */
export function noteVerdict(state: ConsumerState, health: HealthVerdict, now: number): void {
  if (health.status !== state.lastVerdict?.status) {
    state.statusChanges.push({ at: new Date(now).toISOString(), ...health });
    if (state.statusChanges.length > STATUS_CHANGES_KEPT) state.statusChanges.shift();
  }
  state.lastVerdict = health;
}

/** Keeps a change of the consumer's leader between its last reading and this one. */
export function noteLeader(state: ConsumerState, reading: ConsumerBase): void {
  const change = leaderChange(state.latest ?? undefined, reading);
  if (!change) return;
  state.leaderChanges.push(change);
  if (state.leaderChanges.length > STATUS_CHANGES_KEPT) state.leaderChanges.shift();
}

/** Dead letters since `since` (ms) by kind; NO_DEAD_LETTERS itself when there are none. */
export function deadLetterCounts(state: ConsumerState, since: number): DeadLetterCounts {
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

/** A point for the consumer's history, or kept for it until its sample decides whether it gets one. */
export function addHistoryPoint(state: ConsumerState, point: SeriesPoint): void {
  if (state.history) state.history.add(point);
  else if (state.historyPending) (state.pendingPoints ??= []).push(point);
}

/** The consumer's history, status changes and dead letters within `range`, newest first. */
export function historyOf(state: ConsumerState, range: HistoryRange, now: number, maxPoints: number): ConsumerHistoryResponse {
  const since = now - HISTORY_RANGES[range];
  return {
    range,
    points: state.history?.query(since, maxPoints) ?? [],
    status_history: state.statusChanges.filter((s) => Date.parse(s.at) >= since).reverse(),
    leader_changes: state.leaderChanges.filter((l) => Date.parse(l.at) >= since).reverse(),
    dead_letters: state.deadLetters.filter((d) => Date.parse(d.at) >= since).reverse(),
  };
}

export interface ConsumerStatesOptions {
  intervalMs: number;
  /** Samples each window keeps: the largest window any consumer is judged over. */
  windowKeep: number;
  /** Consumers that get a full history (the first ones seen). */
  historyMaxConsumers?: number;
}

/** One sample's listing of consumers: its number, the order it lists them in per stream, how many it saw. */
export interface Listing {
  readonly tick: number;
  readonly next: Map<string, ConsumerState[]>;
  seen: number;
}

/** Every known consumer's state, found in list order sample after sample. */
export class ConsumerStates {
  private readonly byKey = new Map<string, ConsumerState>();
  /** Per stream, its consumers' states in the order of the last sample's list. */
  private order = new Map<string, ConsumerState[]>();
  private historyCount = 0;
  private tick = 0;

  constructor(private readonly opts: ConsumerStatesOptions) {}

  get(stream: string, name: string): ConsumerState | undefined {
    return this.byKey.get(consumerKey(stream, name));
  }

  /** Starts a sample's listing; pass it to track() for each part and to end() once. */
  startListing(): Listing {
    return { tick: ++this.tick, next: new Map(), seen: 0 };
  }

  /**
   * Each listed consumer's state, marked as seen in this listing. A state is looked up where it was in the last
   * sample's list of its stream (lists come in name order), and by key only when another consumer is there. The
   * states come in the list's order (an array beside it, not an object per consumer).
   */
  track(list: readonly ConsumerBase[], listing: Listing, deferHistory: boolean): ConsumerState[] {
    let stream: string | undefined;
    let before: ConsumerState[] | undefined;
    let order: ConsumerState[] = [];
    return list.map((c) => {
      if (c.stream !== stream) {
        stream = c.stream;
        before = this.order.get(stream);
        const known = listing.next.get(stream);
        if (known) order = known;
        else listing.next.set(stream, (order = []));
      }
      const there = before?.[order.length];
      const state =
        there !== undefined && there.name === c.name && there.stream === c.stream ? there : this.stateFor(c.stream, c.name, deferHistory);
      order.push(state);
      if (state.seenTick !== listing.tick) listing.seen++;
      state.seenTick = listing.tick;
      return state;
    });
  }

  /** Ends the listing: its order is the one the next sample looks in; consumers it did not list are dropped. */
  end(listing: Listing): void {
    this.order = listing.next;
    if (listing.seen >= this.byKey.size) return;
    for (const [key, state] of this.byKey) {
      if (state.seenTick !== listing.tick) {
        if (state.history) this.historyCount--;
        this.byKey.delete(key);
      }
    }
  }

  /** A history for a consumer first seen in this sample, if any are left; with the points its sample added. */
  giveHistory(state: ConsumerState): void {
    state.historyPending = false;
    const points = state.pendingPoints;
    // dropped also when no history is left for it: a point array per consumer kept for nothing otherwise
    state.pendingPoints = null;
    if (!this.historyLeft()) return;
    this.historyCount++;
    state.history = new ConsumerHistory({ intervalMs: this.opts.intervalMs });
    for (const p of points ?? []) state.history.add(p);
  }

  /** A consumer advisory (max deliveries, NAK, terminated) kept as a dead letter; others are ignored. */
  recordAdvisory(a: Advisory): void {
    const kind = ADVISORY_KINDS.find(([prefix]) => a.subject.startsWith(prefix))?.[1];
    if (!kind || !a.stream || !a.consumer) return;
    const state = this.stateFor(a.stream, a.consumer);
    state.deadLetters.push({ at: a.at, kind, stream_seq: a.stream_seq, deliveries: a.deliveries });
    if (state.deadLetters.length > DEAD_LETTERS_KEPT) state.deadLetters.shift();
  }

  private historyLeft(): boolean {
    return this.historyCount < (this.opts.historyMaxConsumers ?? 1_000);
  }

  /** A consumer's state, new if need be: with a history if any are left, or (`deferHistory`) decided by giveHistory(). */
  private stateFor(stream: string, name: string, deferHistory = false): ConsumerState {
    const key = consumerKey(stream, name);
    let s = this.byKey.get(key);
    if (!s) {
      const withHistory = !deferHistory && this.historyLeft();
      if (withHistory) this.historyCount++;
      s = {
        stream,
        name,
        samples: new SampleWindow(this.opts.windowKeep),
        history: withHistory ? new ConsumerHistory({ intervalMs: this.opts.intervalMs }) : null,
        historyPending: deferHistory,
        pendingPoints: null,
        statusChanges: [],
        leaderChanges: [],
        deadLetters: [],
        lastVerdict: null,
        exact: null,
        latest: null,
        seenTick: 0,
        steadyRun: 0,
        lastWindowSpanMs: 0,
        times: null,
      };
      this.byKey.set(key, s);
    }
    return s;
  }
}
