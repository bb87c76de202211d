/**
 * Outcome queries for the route handlers: a filtered range (from the history stream when it exists, else
 * from the hub's live ring), one outcome by id, and the stored sensory event that triggered it.
 */
import "server-only";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream, JetStreamApiError, type JetStreamManager } from "@nats-io/jetstream";
import {
  filterOutcomes,
  matchesOutcome,
  newestFirstWindows,
  type OutcomeFilter,
  type OutcomeQueryResult,
  type OutcomeRangeSummary,
} from "../../lib/outcomes/filter";
import { timelineBuckets } from "../../lib/outcomes/stats";
import { inGroupWithId, summarizeErrorGroup, type ErrorGroupDetail } from "../../lib/outcomes/error-group";
import { handlerRangeLatency, rangeRollups, summarizeRange, type RangeSummaryInput } from "../../lib/outcomes/range-summary";
import type { HandlerDetail } from "../../lib/outcomes/handler-detail";
import type { OutcomeRollup } from "../../lib/outcomes/rollup";
import { boundOutcome, DETAIL_OUTCOME_CHARS, FEED_OUTCOME_CHARS, parseOutcome, type OutcomeRecord } from "../../lib/outcomes/outcome";
import type { Hub } from "../hub/hub";
import { isStreamNotFound } from "../errors";
import { headersToRecord } from "../nats-headers";
import { redactParsedOutcome } from "../redaction";
import { scanStream, seqAtOrAfter } from "./stream-scan";
import type { RollupStore } from "./rollup-store";

export interface OutcomeSource {
  nc: NatsConnection;
  jsm: JetStreamManager;
  hub: Hub;
  prefix: string;
  stream: string;
  /** The per-minute rollups (null: turned off); range summaries fall back to raw records without them. */
  rollups?: () => Promise<RollupStore> | null;
}

/** One query reads at most this many stored messages (the newest of the range). */
export const SCAN_CAP = 50_000;
const TIMELINE_BUCKETS = 60;
const DEFAULT_RANGE_MS = 3_600_000;

/** Lists carry a bounded copy of each outcome; the drill-down reads the stored one. */
const forList = (r: OutcomeRecord) => boundOutcome(r, FEED_OUTCOME_CHARS);

export async function queryOutcomes(
  src: OutcomeSource,
  filter: OutcomeFilter,
  limit: number,
  now: number,
  opts: { timeline?: boolean } = {},
): Promise<OutcomeQueryResult> {
  const to = filter.to ? Date.parse(filter.to) : now;
  const from = filter.from ? Date.parse(filter.from) : to - DEFAULT_RANGE_MS;
  const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const ranged: OutcomeFilter = { ...filter, from: range.from, to: range.to };
  try {
    const result = await (opts.timeline === false ? queryStreamNewest : queryStream)(src, ranged, limit, range);
    // A picked range (fixed or trailing): the header, handler table and error groups are of it too.
    if (filter.from || filter.to) result.summary = await queryRangeSummary(src, from, to);
    return result;
  } catch (err) {
    if (!isStreamNotFound(err)) throw err;
  }
  // Live only: the hub's ring is all there is.
  const matches = filterOutcomes(src.hub.getFeed("outcomes", 5_000), ranged).reverse();
  return {
    source: "live",
    records: matches.slice(0, limit).map(forList),
    matched: matches.length,
    truncated: false,
    scanned: null,
    timeline: timelineBuckets(matches, from, to, TIMELINE_BUCKETS),
    range,
  };
}

/** Stored rollups of the minutes in [from, to); none when they are off or unreadable (the summary reads raw records). */
async function readRollups(src: OutcomeSource, from: number, to: number): Promise<OutcomeRollup[]> {
  const store = src.rollups?.();
  if (!store) return [];
  try {
    return (await (await store).read(from, to)).rollups;
  } catch {
    return [];
  }
}

/**
 * The unfiltered summary of arrival range [from, to): its whole minutes from the rollups, the raw outcomes of
 * the partial minute at the start and of the minutes after the last rollup. Each raw part reads at most
 * SCAN_CAP outcomes (its newest); `complete` says whether any was cut.
 */
export async function queryRangeSummary(src: OutcomeSource, from: number, to: number): Promise<OutcomeRangeSummary> {
  const { input, complete } = await readRange(src, from, to);
  return { stats: summarizeRange(input), complete };
}

/** What a range summary is computed from: the range's usable rollups and the raw outcomes around them. */
async function readRange(src: OutcomeSource, from: number, to: number): Promise<{ input: RangeSummaryInput; complete: boolean }> {
  const t0 = Date.now();
  const stored = await readRollups(src, from, to);
  const parts = rangeRollups(stored, from, to);
  const { lo, hi } = await rangeSeqs(src, { from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  const rawSpans = parts.covered
    ? [
        { lo, hi: (await seqAtOrAfter(src.jsm, src.stream, new Date(parts.covered.from).toISOString())) - 1 },
        { lo: parts.resumeSeq + 1, hi },
      ]
    : [{ lo, hi }];
  const raw: OutcomeRecord[] = [];
  let complete = true;
  for (const span of rawSpans) {
    if (span.hi < span.lo) continue;
    const scanFrom = Math.max(span.lo, span.hi - SCAN_CAP + 1);
    if (scanFrom > span.lo) complete = false;
    raw.push(...(await scanMatches(src, {}, scanFrom, span.hi)));
  }
  const rolledUp = parts.rollups.reduce((n, r) => n + r.total, 0);
  const history = {
    mode: "stream" as const,
    stream: src.stream,
    loading: false,
    loaded_from: new Date(from).toISOString(),
    loaded_count: raw.length,
    rolled_up: rolledUp,
    load_ms: Date.now() - t0,
  };
  return { input: { rollups: parts.rollups, raw, from, to, history }, complete };
}

/** Outcomes of one handler listed on its page (the newest). */
const HANDLER_RECORDS = 200;

/**
 * One handler over arrival range [from, to) (default: the hour up to `now`): its row of the range summary, its
 * error groups, its latency per bucket over the whole range, its timeline and newest outcomes. Null when busdeck
 * knows no outcome of that handler at all: none stored, none in the range, none in the live summary.
 */
export async function queryHandler(
  src: OutcomeSource,
  handler: string,
  range: { from?: string; to?: string },
  now: number,
): Promise<HandlerDetail | null> {
  const to = range.to ? Date.parse(range.to) : now;
  const from = range.from ? Date.parse(range.from) : to - DEFAULT_RANGE_MS;
  const iso = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const liveKnows = () => src.hub.getState("outcome_stats")?.handlers[handler] !== undefined;
  const detail = (source: HandlerDetail["source"], input: RangeSummaryInput, complete: boolean, feed: OutcomeQueryResult) => {
    const stats = summarizeRange(input);
    return {
      handler_id: handler,
      range: iso,
      source,
      summary: stats.handlers[handler] ?? null,
      complete,
      groups: stats.groups.filter((g) => g.handler_id === handler),
      latency: handlerRangeLatency(input, handler),
      timeline: feed.timeline,
      records: feed.records,
      matched: feed.matched,
      truncated: feed.truncated,
    };
  };
  try {
    const feed = await queryStream(src, { handler, ...iso }, HANDLER_RECORDS, iso);
    const { input, complete } = await readRange(src, from, to);
    const d = detail("stream", input, complete, feed);
    if (d.summary || liveKnows() || (await storesHandler(src, handler))) return d;
    return null;
  } catch (err) {
    if (!isStreamNotFound(err)) throw err;
  }
  // Live only: the hub's ring is all there is.
  const ring = src.hub.getFeed("outcomes", 5_000);
  const live = filterOutcomes(ring, { handler, ...iso }).reverse();
  const history = { mode: "live_only" as const, reason: `no stream ${src.stream}` };
  const d = detail("live", { rollups: [], raw: ring, from, to, history }, true, {
    source: "live",
    records: live.slice(0, HANDLER_RECORDS).map(forList),
    matched: live.length,
    truncated: false,
    scanned: null,
    timeline: timelineBuckets(live, from, to, TIMELINE_BUCKETS),
    range: iso,
  });
  return d.summary || liveKnows() ? d : null;
}

/** Whether the history stream holds any outcome published on the handler's subject. */
async function storesHandler(src: OutcomeSource, handler: string): Promise<boolean> {
  const subject = `${src.prefix}.${handler}`;
  const info = await src.jsm.streams.info(src.stream, { subjects_filter: subject });
  return (info.state.subjects?.[subject] ?? 0) > 0;
}

/** The stored sequences of a time range: [lo, hi], empty when hi < lo. */
async function rangeSeqs(src: OutcomeSource, range: { from: string; to: string }): Promise<{ lo: number; hi: number }> {
  const info = await src.jsm.streams.info(src.stream);
  const [lo, hiExclusive] = await Promise.all([seqAtOrAfter(src.jsm, src.stream, range.from), seqAtOrAfter(src.jsm, src.stream, range.to)]);
  return { lo, hi: Math.min(hiExclusive - 1, info.state.last_seq) };
}

/** The filter's matches (and `keep`'s) among stored sequences [fromSeq, toSeq], oldest first, masked. */
async function scanMatches(
  src: OutcomeSource,
  f: OutcomeFilter,
  fromSeq: number,
  toSeq: number,
  keep: (r: OutcomeRecord) => boolean = () => true,
): Promise<OutcomeRecord[]> {
  const matches: OutcomeRecord[] = [];
  const needle = f.target?.toLowerCase();
  const unranged = { ...f, from: undefined, to: undefined };
  await scanStream(jetstream(src.nc), src.jsm, {
    stream: src.stream,
    filterSubject: f.handler ? `${src.prefix}.${f.handler}` : `${src.prefix}.>`,
    start: { seq: fromSeq },
    untilSeq: toSeq,
    onMsg: (m) => {
      const r = redactParsedOutcome(
        parseOutcome({
          id: String(m.seq),
          subject: m.subject,
          data: m.data,
          received_at: new Date(Math.floor(m.info.timestampNanos / 1e6)).toISOString(),
          stream_seq: m.seq,
          headers: headersToRecord(m.headers),
          prefix: src.prefix,
        }),
      );
      // The stream's range is by stored time; an outcome emitted just outside it is still the same minute.
      // Matched after masking, so a filter cannot probe for a masked value.
      if (matchesOutcome(r, unranged, needle) && keep(r)) matches.push(r);
    },
  });
  return matches;
}

async function queryStream(
  src: OutcomeSource,
  f: OutcomeFilter,
  limit: number,
  range: { from: string; to: string },
): Promise<OutcomeQueryResult> {
  const { lo, hi } = await rangeSeqs(src, range);
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  if (hi < lo)
    return {
      source: "stream",
      records: [],
      matched: 0,
      truncated: false,
      scanned: null,
      timeline: timelineBuckets([], from, to, TIMELINE_BUCKETS),
      range,
    };
  const scanFrom = Math.max(lo, hi - SCAN_CAP + 1);
  const matches = (await scanMatches(src, f, scanFrom, hi)).reverse();
  return {
    source: "stream",
    records: matches.slice(0, limit).map(forList),
    matched: matches.length,
    truncated: scanFrom > lo,
    scanned: { from_seq: scanFrom, to_seq: hi },
    timeline: timelineBuckets(matches, from, to, TIMELINE_BUCKETS),
    range,
  };
}

/**
 * The newest `limit` matches of the range and no timeline: read newest first in growing windows, stopping once
 * there are enough. Truncated only when the scan cap ran out first.
 */
async function queryStreamNewest(
  src: OutcomeSource,
  f: OutcomeFilter,
  limit: number,
  range: { from: string; to: string },
): Promise<OutcomeQueryResult> {
  const { lo, hi } = await rangeSeqs(src, range);
  const matches: OutcomeRecord[] = [];
  let scannedFrom = hi + 1;
  for (const w of newestFirstWindows(lo, hi, limit, SCAN_CAP)) {
    matches.push(...(await scanMatches(src, f, w.from, w.to)).reverse());
    scannedFrom = w.from;
    if (matches.length >= limit) break;
  }
  return {
    source: "stream",
    records: matches.slice(0, limit).map(forList),
    matched: matches.length,
    truncated: matches.length < limit && scannedFrom > lo,
    scanned: hi < lo ? null : { from_seq: scannedFrom, to_seq: hi },
    timeline: [],
    range,
  };
}

/** Outcomes of one error group listed on its page (the newest); its counts cover every scanned one. */
const GROUP_RECORDS = 200;

/**
 * One error group over arrival range [from, to) (default: the hour up to `now`): the handler's stored outcomes
 * of the range, the newest SCAN_CAP at most, kept when they fall in the group. Masked before matching.
 */
export async function queryErrorGroup(
  src: OutcomeSource,
  group: { handler_id: string; id: string },
  range: { from?: string; to?: string },
  now: number,
): Promise<ErrorGroupDetail> {
  const to = range.to ? Date.parse(range.to) : now;
  const from = range.from ? Date.parse(range.from) : to - DEFAULT_RANGE_MS;
  const iso = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const inGroup = (r: OutcomeRecord) => inGroupWithId(r, group.id);
  try {
    const { lo, hi } = await rangeSeqs(src, iso);
    const scanFrom = Math.max(lo, hi - SCAN_CAP + 1);
    const matches = hi < lo ? [] : await scanMatches(src, { handler: group.handler_id }, scanFrom, hi, inGroup);
    return summarizeErrorGroup(matches.map(forList), group, iso, { limit: GROUP_RECORDS, complete: scanFrom <= lo });
  } catch (err) {
    if (!isStreamNotFound(err)) throw err;
  }
  const live = filterOutcomes(src.hub.getFeed("outcomes", 5_000), { handler: group.handler_id, ...iso }).filter(inGroup);
  return summarizeErrorGroup(live.map(forList), group, iso, { limit: GROUP_RECORDS, complete: true });
}

/** Stream sequences are digits; live-only records are `live-N` and only the hub's ring still has them. */
export async function getOutcome(src: OutcomeSource, id: string): Promise<OutcomeRecord | null> {
  if (/^\d{1,15}$/.test(id)) {
    try {
      const sm = await src.jsm.streams.getMessage(src.stream, { seq: Number(id) });
      if (sm && (sm.subject === src.prefix || sm.subject.startsWith(`${src.prefix}.`))) {
        return boundOutcome(
          redactParsedOutcome(
            parseOutcome({
              id,
              subject: sm.subject,
              data: sm.data,
              received_at: sm.time.toISOString(),
              stream_seq: sm.seq,
              headers: headersToRecord(sm.header),
              prefix: src.prefix,
            }),
          ),
          DETAIL_OUTCOME_CHARS,
        );
      }
      if (sm) return null;
    } catch (err) {
      // Not found (deleted or aged out) or no stream: fall back to what the hub still holds.
      if (!(err instanceof JetStreamApiError)) throw err;
    }
  }
  return src.hub.getFeed("outcomes", 5_000).find((r) => r.id === id) ?? null;
}

export interface EventMessageRef {
  stream: string;
  seq: number;
  /** True when matched by Nats-Msg-Id = event.id; false when only the nearest message on the subject. */
  exact: boolean;
}

const EVENT_SEARCH_WINDOW_MS = 10_000;

/**
 * Where the triggering event is stored: the stream capturing its subject, searched around the time the
 * handler received it for the message whose Nats-Msg-Id is the event id (the nearest one on that subject
 * when the event has no id).
 */
export async function findEventMessage(src: Pick<OutcomeSource, "nc" | "jsm">, record: OutcomeRecord): Promise<EventMessageRef | null> {
  if (!record.valid) return null;
  const { event } = record.body;
  const around = Date.parse(event.received_at ?? record.body.emitted_at);
  if (Number.isNaN(around)) return null;
  let stream: string;
  try {
    stream = await src.jsm.streams.find(event.subject);
  } catch {
    return null; // no stream stores that subject
  }
  let best: EventMessageRef | null = null;
  let bestDistance = Infinity;
  await scanStream(jetstream(src.nc), src.jsm, {
    stream,
    filterSubject: event.subject,
    start: { time: new Date(around - EVENT_SEARCH_WINDOW_MS).toISOString() },
    max: 2_000,
    timeoutMs: 5_000,
    onMsg: (m) => {
      const at = m.info.timestampNanos / 1e6;
      if (event.id && m.headers?.get("Nats-Msg-Id") === event.id) {
        best = { stream, seq: m.seq, exact: true };
        return false;
      }
      const d = Math.abs(at - around);
      if (!event.id && d < bestDistance) {
        bestDistance = d;
        best = { stream, seq: m.seq, exact: false };
      }
      return at <= around + EVENT_SEARCH_WINDOW_MS;
    },
  });
  return best;
}
