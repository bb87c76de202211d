/** The outcome feed as the view shows it: live records merged with stored ones, newest first; pause bookkeeping. */
import { filterOutcomes, type OutcomeFilter } from "./filter";
import type { OutcomeRow } from "./outcome";

const newerFirst = (a: OutcomeRow, b: OutcomeRow) =>
  a.received_at < b.received_at ? 1 : a.received_at > b.received_at ? -1 : (b.stream_seq ?? 0) - (a.stream_seq ?? 0);

/**
 * Live records (the SSE cache) and stored ones (a history query) overlap: the same stream sequence arrives
 * through both. Keeps one of each id (and of each Nats-Msg-Id), applies the filter, newest first, at most `limit`.
 */
export function mergeFeed(live: readonly OutcomeRow[], stored: readonly OutcomeRow[], filter: OutcomeFilter, limit = 5_000): OutcomeRow[] {
  const seen = new Set<string>();
  const out: OutcomeRow[] = [];
  for (const r of filterOutcomes(live, filter).concat(filterOutcomes(stored, filter))) {
    // A record received live-only before the history stream was found (`live-N`) is the same message as its
    // stored copy: the Nats-Msg-Id tells.
    const msgId = r.msg_id;
    if (seen.has(r.id) || (msgId !== undefined && seen.has(`msg:${msgId}`))) continue;
    seen.add(r.id);
    if (msgId !== undefined) seen.add(`msg:${msgId}`);
    out.push(r);
  }
  return out.sort(newerFirst).slice(0, limit);
}

/** While paused the view shows a frozen list; this many records arrived above its head since. */
export function countNewSince(records: readonly OutcomeRow[], headId: string | undefined): number {
  if (headId === undefined) return records.length;
  const i = records.findIndex((r) => r.id === headId);
  return i === -1 ? records.length : i;
}
