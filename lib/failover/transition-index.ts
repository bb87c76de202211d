/**
 * The Failover view's timeline kept incrementally: entries sorted by time once, new ones inserted as they
 * arrive, windows cut by binary search. Per-singleton figures (failover counts, alarms, time without a leader)
 * are read from per-key arrays in O(log n), so a clock tick costs nothing proportional to the history.
 * Pure: callers pass `now`.
 */
import { entryAt, entryId, type TimelineEntry } from "./timeline";
import { DEFAULT_FLAPPING, TENURE_KINDS, type FlappingRule, type LockTransition, type SingletonAlarms } from "./lock-transitions";

export interface TimelineIndex {
  /** Oldest first; ties keep arrival order. */
  readonly entries: readonly TimelineEntry[];
  /** Time (ms) of each entry, same order, for binary search. */
  readonly times: readonly number[];
  /** This index, by identity (a token: holding it keeps no entries alive). */
  readonly id: object;
  /**
   * The id of the index this one was grown from by appending newer entries at the end, so a reader can extend
   * what it derived from that one instead of starting over; null when entries were inserted.
   */
  readonly appendedTo: object | null;
}

export const EMPTY_INDEX: TimelineIndex = { entries: [], times: [], id: {}, appendedTo: null };

/** First position whose time is >= t. */
export function lowerBound(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position whose time is > t. */
export function upperBound(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the index already holds an entry with this id at time t (only entries of equal time can match). */
function holds(index: TimelineIndex, id: string, t: number): boolean {
  for (let i = lowerBound(index.times, t); i < index.times.length && index.times[i] === t; i++)
    if (entryId(index.entries[i]!) === id) return true;
  return false;
}

/**
 * Adds entries not seen before (by entryId) in time order. Returns the same index when nothing is new, so
 * memos keyed on it stay put. Entries newer than all held are appended (the live case, `appendedTo` says so);
 * older ones are merged in, O(n + m log m). The index is never changed in place.
 */
export function addEntries(index: TimelineIndex, incoming: readonly TimelineEntry[]): TimelineIndex {
  const seen = new Set<string>();
  const fresh: { e: TimelineEntry; t: number }[] = [];
  for (const e of incoming) {
    const id = entryId(e);
    const t = Date.parse(entryAt(e));
    if (seen.has(id) || holds(index, id, t)) continue;
    seen.add(id);
    fresh.push({ e, t });
  }
  if (fresh.length === 0) return index;
  fresh.sort((a, b) => a.t - b.t);
  const last = index.times.at(-1) ?? -Infinity;
  if (fresh[0]!.t >= last)
    return {
      entries: index.entries.concat(fresh.map((f) => f.e)),
      times: index.times.concat(fresh.map((f) => f.t)),
      id: {},
      appendedTo: index.id,
    };
  const entries: TimelineEntry[] = [];
  const times: number[] = [];
  let i = 0;
  for (const f of fresh) {
    while (i < index.times.length && index.times[i]! <= f.t) {
      entries.push(index.entries[i]!);
      times.push(index.times[i++]!);
    }
    entries.push(f.e);
    times.push(f.t);
  }
  for (; i < index.times.length; i++) {
    entries.push(index.entries[i]!);
    times.push(index.times[i]!);
  }
  return { entries, times, id: {}, appendedTo: null };
}

/** Entries in [from, to], oldest first. */
export function entriesBetween(index: TimelineIndex, from: number, to: number): TimelineEntry[] {
  return index.entries.slice(lowerBound(index.times, from), upperBound(index.times, to)) as TimelineEntry[];
}

/**
 * The feed cache holds items newest first and prepends new ones, keeping the old items' identity: the new
 * items are those in front of the previous head. A feed that no longer holds that head was reset: all of it.
 */
export function newFeedItems<T>(previous: readonly T[] | null | undefined, current: readonly T[] | null | undefined): readonly T[] {
  if (!current || current.length === 0) return [];
  if (!previous || previous.length === 0) return current;
  const head = current.indexOf(previous[0]!);
  return head === -1 ? current : current.slice(0, head);
}

/** One singleton's recorded transitions (renews are not recorded), oldest first, with their times. */
export interface KeyTimeline {
  readonly transitions: readonly LockTransition[];
  readonly times: readonly number[];
  /** Each transition's previous_write_at in ms (NaN when it has none), parsed once. */
  readonly previousWriteTimes: readonly number[];
  readonly failoverTimes: readonly number[];
}

export const EMPTY_KEY_TIMELINE: KeyTimeline = { transitions: [], times: [], previousWriteTimes: [], failoverTimes: [] };

/** Lock transitions grouped by key, and the index (its id and length) they were grouped from. */
export interface KeyGroups {
  readonly byKey: ReadonlyMap<string, KeyTimeline>;
  readonly indexId: object;
  readonly length: number;
}

/** Lock transitions grouped by key (as the cards and lanes are), each still oldest first. */
export function groupByKey(index: TimelineIndex): ReadonlyMap<string, KeyTimeline> {
  return groupByKeyFrom(null, index).byKey;
}

/**
 * groupByKey, extending `previous` when `index` was appended to the index it was grouped from: only
 * the new entries are grouped, and keys without new transitions keep their KeyTimeline (memos on it hold).
 */
export function groupByKeyFrom(previous: KeyGroups | null, index: TimelineIndex): KeyGroups {
  if (previous?.indexId === index.id) return previous;
  const extending = previous !== null && previous.indexId === index.appendedTo;
  const added = new Map<
    string,
    { transitions: LockTransition[]; times: number[]; previousWriteTimes: number[]; failoverTimes: number[] }
  >();
  for (let i = extending ? previous.length : 0; i < index.entries.length; i++) {
    const e = index.entries[i]!;
    if (e.source !== "lock") continue;
    const t = e.transition;
    let k = added.get(t.key);
    if (!k) added.set(t.key, (k = { transitions: [], times: [], previousWriteTimes: [], failoverTimes: [] }));
    k.transitions.push(t);
    k.times.push(index.times[i]!);
    k.previousWriteTimes.push(t.previous_write_at ? Date.parse(t.previous_write_at) : NaN);
    if (t.kind === "failover") k.failoverTimes.push(index.times[i]!);
  }
  const byKey = new Map<string, KeyTimeline>(extending ? previous.byKey : []);
  for (const [key, more] of added) {
    const held = byKey.get(key);
    byKey.set(
      key,
      held
        ? {
            transitions: held.transitions.concat(more.transitions),
            times: held.times.concat(more.times),
            previousWriteTimes: held.previousWriteTimes.concat(more.previousWriteTimes),
            failoverTimes: held.failoverTimes.concat(more.failoverTimes),
          }
        : more,
    );
  }
  return { byKey, indexId: index.id, length: index.entries.length };
}

/** Failovers in [from, to]. */
export function failoversBetween(k: KeyTimeline, from: number, to: number): number {
  return Math.max(0, upperBound(k.failoverTimes, to) - lowerBound(k.failoverTimes, from));
}

/** The card's alarms: the newest split-brain within `recentMs`, and more failovers than the rule allows. */
export function keyAlarms(k: KeyTimeline, now: number, rule: FlappingRule = DEFAULT_FLAPPING, recentMs = 3600_000): SingletonAlarms {
  let splitBrain: LockTransition | null = null;
  for (let i = upperBound(k.times, now) - 1; i >= 0 && k.times[i]! >= now - recentMs; i--) {
    if (k.transitions[i]!.split_brain) {
      splitBrain = k.transitions[i]!;
      break;
    }
  }
  const failovers = failoversBetween(k, now - rule.windowMs, now);
  return { split_brain: splitBrain, flapping: failovers > rule.maxFailovers ? { failovers, window_ms: rule.windowMs } : null };
}

const isTenure = (t: LockTransition) => TENURE_KINDS.includes(t.kind);

/**
 * Spans with no live holder, merged and clipped to [from, min(to, now)]: the gap before each takeover (old
 * holder's last activity → new holder's first write) and the time a released or expired key stayed free.
 */
export function leaderlessSpans(k: KeyTimeline, from: number, to: number, now: number): [number, number][] {
  const end = Math.min(to, now);
  if (!(end > from)) return [];
  const spans: [number, number][] = [];
  // The key may already be free when the window opens: start from the last tenure change before it.
  let i = lowerBound(k.times, from);
  while (i > 0 && !isTenure(k.transitions[i - 1]!)) i--;
  if (i > 0) i--;
  let freeSince: number | null = null;
  for (; i < k.transitions.length && k.times[i]! <= end; i++) {
    const t = k.transitions[i]!;
    const at = k.times[i]!;
    const previousWrite = k.previousWriteTimes[i]!;
    if ((t.kind === "failover" || t.kind === "handover") && !Number.isNaN(previousWrite)) spans.push([previousWrite, at]);
    if (!isTenure(t)) continue;
    if (freeSince !== null && t.holder) {
      spans.push([freeSince, at]);
      freeSince = null;
    }
    if (!t.holder) freeSince = t.kind === "expired" && !Number.isNaN(previousWrite) ? previousWrite : at;
  }
  if (freeSince !== null) spans.push([freeSince, end]);
  return mergeSpans(spans.map(([a, b]) => [Math.max(a, from), Math.min(b, end)] as [number, number]).filter(([a, b]) => b > a));
}

function mergeSpans(spans: [number, number][]): [number, number][] {
  spans.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const s of spans) {
    const last = out.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([...s]);
  }
  return out;
}

/** Time without a leader in the window: the sum of its leaderless spans. */
export function timeWithoutLeader(k: KeyTimeline, from: number, to: number, now: number): number {
  return leaderlessSpans(k, from, to, now).reduce((sum, [a, b]) => sum + b - a, 0);
}

export interface WindowFigures {
  failovers: number;
  leaderless_ms: number;
  /** The longest failover gap in the window (ms), null without failovers. */
  max_gap_ms: number | null;
}

/** A singleton's figures over [from, to]: failovers, time without a leader, longest failover gap. */
export function windowFigures(k: KeyTimeline, from: number, to: number, now: number): WindowFigures {
  let maxGap: number | null = null;
  for (let i = lowerBound(k.times, from), end = upperBound(k.times, to); i < end; i++) {
    const t = k.transitions[i]!;
    if (t.kind === "failover" && t.gap_ms !== null && (maxGap === null || t.gap_ms > maxGap)) maxGap = t.gap_ms;
  }
  return { failovers: failoversBetween(k, from, to), leaderless_ms: timeWithoutLeader(k, from, to, now), max_gap_ms: maxGap };
}

export interface TimelineBin {
  t: number;
  failovers: number;
  other: number;
  leaders: number;
}

/** Equal-width time bins over the window with failover / other / leader-change counts: the overview's data. */
export function binIndex(index: TimelineIndex, from: number, to: number, bins = 60): TimelineBin[] {
  const width = Math.max(1, (to - from) / bins);
  const out = Array.from({ length: bins }, (_, i) => ({ t: Math.round(from + i * width), failovers: 0, other: 0, leaders: 0 }));
  for (let i = lowerBound(index.times, from), end = upperBound(index.times, to); i < end; i++) {
    const bin = out[Math.min(bins - 1, Math.floor((index.times[i]! - from) / width))]!;
    const e = index.entries[i]!;
    if (e.source === "jetstream") bin.leaders++;
    else if (e.transition.kind === "failover") bin.failovers++;
    else if (e.transition.kind !== "renew") bin.other++;
  }
  return out;
}
