/**
 * The Consumer lag view's state, all of it in the URL: filters and sort (the time range is lib/time/range.ts).
 * One zod schema parses what the page receives (parseConsumerListState); consumerListStateToSearch writes it
 * back, omitting defaults, so parse(toSearch(s)) == s and shared links stay short. zod/mini, not zod: this module
 * is in the Consumer lag page's bundle, and classic zod's chained methods cannot be tree-shaken out of it.
 */
import * as z from "zod/mini";
import { firstValue, toSearchString, type SearchLike } from "../view/search";
import { quoteParamValue } from "../view/unknown-param";
import { classifyConsumer } from "../own-resources";
import { HEALTH_STATUSES, STATUS_SEVERITY, type HealthStatus } from "./health";
import { currentLagSeconds, lagMessages, type ConsumerRow, type ConsumerRowsMeta } from "./types";

export const SORT_COLUMNS = [
  "status",
  "stream",
  "name",
  "lag_msgs",
  "lag_seconds",
  "ack_pending",
  "redelivered",
  "consume",
  "ingest",
  "drain",
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDir = "asc" | "desc";

export interface ConsumerListState {
  sort: SortColumn;
  dir: SortDir;
  stream: string;
  status: HealthStatus[];
  q: string;
  /**
   * Show internal: also list the consumers on busdeck's own streams (never counted in the totals) and the ephemeral
   * and ordered ones (lib/own-resources.ts classifyConsumer). `own` in the URL, as before ephemeral ones were hidden.
   */
  own: boolean;
}

export const DEFAULT_LIST_STATE: ConsumerListState = { sort: "status", dir: "desc", stream: "", status: [], q: "", own: false };

/** A bad value falls back to its default rather than failing the page: a stale bookmark must still open. */
const lenient = <T extends z.ZodMiniType>(schema: T, fallback: z.output<T>) => z.catch(schema, fallback);

const statusList = z.pipe(
  z.pipe(
    z.string(),
    z.transform((raw: string) => raw.split(",").map((s) => s.trim().toUpperCase())),
  ),
  z.pipe(
    z.array(z.enum(HEALTH_STATUSES)),
    z.transform((list: HealthStatus[]) => [...new Set(list)].sort((a, b) => HEALTH_STATUSES.indexOf(a) - HEALTH_STATUSES.indexOf(b))),
  ),
);

const boundedText = () => z.string().check(z.maxLength(256));

/** What each URL parameter must look like; a value that doesn't is named (parseConsumerListState) and its default applies. */
const LIST_PARAMS = {
  sort: z.enum(SORT_COLUMNS),
  dir: z.enum(["asc", "desc"]),
  stream: boundedText(),
  status: statusList,
  q: boundedText(),
  own: z.enum(["0", "1"]),
} as const;

export const ConsumerListSchema = z.object({
  sort: lenient(LIST_PARAMS.sort, DEFAULT_LIST_STATE.sort),
  dir: lenient(LIST_PARAMS.dir, DEFAULT_LIST_STATE.dir),
  stream: lenient(LIST_PARAMS.stream, ""),
  status: lenient(LIST_PARAMS.status, []),
  q: lenient(LIST_PARAMS.q, ""),
  own: lenient(
    z.pipe(
      z.string(),
      z.transform((v: string) => v === "1"),
    ),
    false,
  ),
});

/** The list's state from the URL; a bad value falls back to its default and is named in `ignored`. */
export function parseConsumerListState(p: SearchLike): ConsumerListState & { ignored: string[] } {
  const raw = Object.fromEntries(
    Object.keys(LIST_PARAMS)
      .map((k) => [k, firstValue(p, k)] as const)
      .filter((e): e is readonly [string, string] => e[1] !== undefined && e[1] !== ""),
  );
  const ignored = Object.entries(raw)
    .filter(([k, v]) => !z.safeParse(LIST_PARAMS[k as keyof typeof LIST_PARAMS], v).success)
    .map(([k, v]) => `${k}: ${quoteParamValue(v)} is not valid`);
  return { ...(ConsumerListSchema.parse(raw) as ConsumerListState), ignored };
}

export function consumerListStateToSearch(s: ConsumerListState): string {
  const q = new URLSearchParams();
  if (s.sort !== DEFAULT_LIST_STATE.sort) q.set("sort", s.sort);
  if (s.dir !== DEFAULT_LIST_STATE.dir) q.set("dir", s.dir);
  if (s.stream) q.set("stream", s.stream);
  if (s.status.length) q.set("status", s.status.join(","));
  if (s.q) q.set("q", s.q);
  if (s.own) q.set("own", "1");
  return toSearchString(q);
}

// ---- applying the state to rows ----

const sortValue = (c: ConsumerRow, col: SortColumn): number | string => {
  const i = c.insight;
  switch (col) {
    case "status":
      // severity first, then how far behind in time, then in messages
      return (
        (i ? STATUS_SEVERITY[i.health.status] : -1) * 1e15 +
        Math.min((i?.lag_seconds ?? 0) * 1e3, 1e14) +
        Math.min(lagMessages(c), 1e3) / 1e3
      );
    case "stream":
      return c.stream;
    case "name":
      return c.name;
    case "lag_msgs":
      return lagMessages(c);
    case "lag_seconds":
      return i?.lag_seconds ?? -1;
    case "ack_pending":
      return c.num_ack_pending;
    case "redelivered":
      return c.num_redelivered;
    case "consume":
      return i?.consume_per_s ?? -1;
    case "ingest":
      return i?.ingest_per_s ?? -1;
    case "drain":
      // never is worst, then longest
      return i?.drain.state === "never" ? Infinity : (i?.drain.seconds ?? -1);
  }
};

export function matchesFilter(
  c: ConsumerRow,
  s: ConsumerListState,
  lowerQ = s.q.toLowerCase(),
  own: ReadonlySet<string> = new Set(),
): boolean {
  if (!s.own && classifyConsumer(c, own) !== "application") return false;
  if (s.stream && c.stream !== s.stream) return false;
  if (s.status.length && !(c.insight && s.status.includes(c.insight.health.status))) return false;
  if (lowerQ && !c.name.toLowerCase().includes(lowerQ)) return false;
  return true;
}

/** Stream, then name, by code unit: the order rows keep when their sort values tie. */
const byStreamThenName = (a: ConsumerRow, b: ConsumerRow) =>
  a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/**
 * Sorted; ties fall back to stream/name so rows don't jump between samples. Runs on every sample over up to
 * 10,000 rows, once of it before the table's first paint, and by default most rows tie (caught up, OK). The hub
 * lists consumers by stream and name: when the rows come in that order (one pass checks), a row's position is its
 * tie rank and a tie costs one subtraction; otherwise the names are compared. Filtering comes after
 * (filterConsumers), so a keystroke in the filter box filters the sorted list and sorts nothing.
 */
export function sortConsumers(all: readonly ConsumerRow[], sort: SortColumn, dir: SortDir): ConsumerRow[] {
  const sign = dir === "asc" ? 1 : -1;
  const values = all.map((c) => sortValue(c, sort));
  const inTieOrder = all.every((c, k) => k === 0 || byStreamThenName(all[k - 1]!, c) <= 0);
  const tie = inTieOrder ? (i: number, j: number) => i - j : (i: number, j: number) => byStreamThenName(all[i]!, all[j]!);
  const order = Array.from(all, (_, k) => k);
  order.sort((i, j) => {
    const a = values[i]!;
    const b = values[j]!;
    const cmp = typeof a === "string" ? a.localeCompare(b as string) : a - (b as number);
    if (cmp !== 0 && !Number.isNaN(cmp)) return sign * cmp;
    return tie(i, j);
  });
  return order.map((k) => all[k]!);
}

/** The rows the filters keep, in the order given: filtering a sorted list leaves it sorted. `own`: busdeck's own streams. */
export function filterConsumers(rows: readonly ConsumerRow[], s: ConsumerListState, own: readonly string[] = []): ConsumerRow[] {
  if (!s.stream && !s.status.length && !s.q && s.own) return rows as ConsumerRow[];
  const q = s.q.toLowerCase();
  const ownSet = new Set(own);
  const kept = rows.filter((c) => matchesFilter(c, s, q, ownSet));
  // nothing filtered out (no internal rows to hide): the list itself, so what derives from it keeps its identity
  return kept.length === rows.length ? (rows as ConsumerRow[]) : kept;
}

/** Filtered and sorted, as the table shows them. */
export function selectConsumers(all: readonly ConsumerRow[], s: ConsumerListState, own: readonly string[] = []): ConsumerRow[] {
  return filterConsumers(sortConsumers(all, s.sort, s.dir), s, own);
}

/** The streams of the listed rows, A→Z: the stream filter's choices (those of internal and ephemeral consumers only when they are listed). */
export function streamNames(all: readonly ConsumerRow[], own: readonly string[] = [], showOwn = false): string[] {
  const ownSet = new Set(own);
  const listed = showOwn ? all : all.filter((c) => classifyConsumer(c, ownSet) === "application");
  return [...new Set(listed.map((c) => c.stream))].sort();
}

/**
 * Rows the server renders into the page's HTML, so the table shows at first paint rather than after the
 * scripts load and the live stream delivers 10,000 rows: a screen's worth (the table's first virtual window
 * is sized from this, see ConsumersTable).
 */
export const FIRST_SCREEN_ROWS = 40;

/** The consumer list as its first screen shows it: counts and summary of every row, the first rows in full. */
export interface ConsumersFirstScreen {
  meta: ConsumerRowsMeta;
  total: number;
  shown: number;
  rows: ConsumerRow[];
  summary: ConsumerSummaryStrip;
  streams: string[];
}

export function consumersFirstScreen(state: { meta: ConsumerRowsMeta; items: ConsumerRow[] }, s: ConsumerListState): ConsumersFirstScreen {
  // as the browser's cache holds it (live-cache applyState): lag seconds brought up to the sample's instant
  const all = currentLagSeconds(state).items;
  const own = state.meta.own_streams;
  const selected = selectConsumers(all, s, own);
  const summary = summarize(all, own);
  return {
    meta: state.meta,
    total: listedTotal(all.length, summary, s.own),
    shown: selected.length,
    rows: selected.slice(0, FIRST_SCREEN_ROWS),
    summary,
    streams: streamNames(all, own, s.own),
  };
}

export interface ConsumerSummaryStrip {
  by_status: Record<HealthStatus, number>;
  total_pending: number;
  worst: { stream: string; name: string; lag_seconds: number | null; lag_msgs: number } | null;
  /** Consumers on busdeck's own streams: listed on request, never counted above. */
  own_rows: number;
  /** Consumers the list hides until "show internal" is on: busdeck's own and the ephemeral ones. */
  internal_rows: number;
}

/** How many consumers the list holds: every row, less the internal and ephemeral ones unless they are shown. */
export function listedTotal(rows: number, summary: Pick<ConsumerSummaryStrip, "internal_rows">, showOwn: boolean): number {
  return rows - (showOwn ? 0 : summary.internal_rows);
}

/** Totals of the application's consumers; those on busdeck's own streams (`own`) are only counted as such. */
export function summarize(all: readonly ConsumerRow[], own: readonly string[] = []): ConsumerSummaryStrip {
  const ownSet = new Set(own);
  let ownRows = 0;
  let ephemeralRows = 0;
  const by_status = Object.fromEntries(HEALTH_STATUSES.map((s) => [s, 0])) as Record<HealthStatus, number>;
  let total = 0;
  let worst: ConsumerRow | null = null;
  const worseLag = (a: ConsumerRow, b: ConsumerRow) =>
    (a.insight?.lag_seconds ?? 0) - (b.insight?.lag_seconds ?? 0) || lagMessages(a) - lagMessages(b);
  for (const c of all) {
    const kind = classifyConsumer(c, ownSet);
    if (kind === "internal") {
      ownRows++;
      continue;
    }
    // hidden from the list by default, but counted in the totals as before
    if (kind === "ephemeral") ephemeralRows++;
    if (c.insight) by_status[c.insight.health.status]++;
    total += lagMessages(c);
    if (!worst || worseLag(c, worst) > 0) worst = c;
  }
  return {
    by_status,
    total_pending: total,
    worst:
      worst && lagMessages(worst) > 0
        ? { stream: worst.stream, name: worst.name, lag_seconds: worst.insight?.lag_seconds ?? null, lag_msgs: lagMessages(worst) }
        : null,
    own_rows: ownRows,
    internal_rows: ownRows + ephemeralRows,
  };
}
