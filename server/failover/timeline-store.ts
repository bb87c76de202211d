/**
 * The Failover view's memory of the timeline: entries ordered by time, deduplicated by identity (a restart
 * re-reads both the persisted stream and the bucket history), bounded by count and age. Range queries for the
 * routes are answered from here, never from NATS.
 */
import { TENURE_KINDS } from "../../lib/failover/lock-transitions";
import { entryAt, entryId, type TimelineEntry } from "../../lib/failover/timeline";

export interface TimelineStoreOptions {
  maxEntries?: number;
  maxAgeMs?: number;
}

export interface TimelineRange {
  from: number;
  to: number;
  key?: string;
  limit?: number;
}

export class TimelineStore {
  private readonly entries: { at: number; id: string; entry: TimelineEntry }[] = [];
  private readonly ids = new Set<string>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;

  constructor(opts: TimelineStoreOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 100_000;
    this.maxAgeMs = opts.maxAgeMs ?? 7 * 24 * 3600_000;
  }

  /** Adds an entry unless already known; returns false for a duplicate. Keeps time order for late arrivals. */
  add(entry: TimelineEntry): boolean {
    const id = entryId(entry);
    if (this.ids.has(id)) return false;
    const at = Date.parse(entryAt(entry));
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1]!.at > at) i--; // usually appends: entries arrive nearly in order
    this.entries.splice(i, 0, { at, id, entry });
    this.ids.add(id);
    if (this.entries.length > this.maxEntries) this.drop(this.entries.length - this.maxEntries);
    return true;
  }

  /** Forgets entries older than the max age (call with the current time). */
  prune(now: number): void {
    let n = 0;
    while (n < this.entries.length && this.entries[n]!.at < now - this.maxAgeMs) n++;
    if (n) this.drop(n);
  }

  private drop(n: number) {
    for (const e of this.entries.splice(0, n)) this.ids.delete(e.id);
  }

  get size(): number {
    return this.entries.length;
  }

  oldest(): string | null {
    return this.entries[0] ? entryAt(this.entries[0].entry) : null;
  }

  /** Entries in [from, to], oldest first; `key` keeps one singleton's lock entries plus all leader changes. */
  query(r: TimelineRange): { entries: TimelineEntry[]; truncated: boolean } {
    const lo = lowerBound(this.entries, r.from);
    const out: TimelineEntry[] = [];
    const limit = r.limit ?? 5_000;
    for (let i = lo; i < this.entries.length && this.entries[i]!.at <= r.to; i++) {
      const e = this.entries[i]!.entry;
      if (r.key && e.source === "lock" && e.transition.key !== r.key) continue;
      if (out.length === limit) return { entries: out, truncated: true };
      out.push(e);
    }
    return { entries: out, truncated: false };
  }

  /** Newest tenure transition per bucket/key (plain renews are not stored): what a restart resumes from. */
  lastLockTransitions(): Map<string, Extract<TimelineEntry, { source: "lock" }>["transition"]> {
    const last = new Map<string, Extract<TimelineEntry, { source: "lock" }>["transition"]>();
    for (const { entry } of this.entries)
      if (entry.source === "lock" && TENURE_KINDS.includes(entry.transition.kind))
        last.set(`${entry.transition.bucket}/${entry.transition.key}`, entry.transition);
    return last;
  }
}

function lowerBound(arr: { at: number }[], at: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
