/**
 * The Connections view's URL state (/bus/connections?view=&q=&sort=&dir=&own=) and the selection it makes: which
 * list (open, closed, or closed as slow consumers), busdeck's own connections or not, a text filter over name,
 * address, account, client and server, and the sort. Pure; a bad value is ignored and named (lib/view/unknown-param.ts).
 */
import { z } from "zod";
import { firstValues, toSearchString, type SearchLike } from "../view/search";
import { parseIgnoringBad } from "../view/unknown-param";
import { byShowInternal, classifyConnection } from "../own-resources";
import type { ClosedConnectionRow, ConnectionRow } from "./connections";

export const CONNECTION_VIEWS = ["open", "closed", "slow"] as const;
export type ConnectionsList = (typeof CONNECTION_VIEWS)[number];

export const CONNECTION_SORTS = ["pending", "rate", "subs", "rtt", "uptime", "name", "stopped"] as const;
export type ConnectionSort = (typeof CONNECTION_SORTS)[number];

export const ConnectionsViewStateSchema = z.object({
  view: z.enum(CONNECTION_VIEWS, `one of ${CONNECTION_VIEWS.join(", ")}`).default("open"),
  q: z.string().max(200, "at most 200 characters").default(""),
  sort: z.enum(CONNECTION_SORTS, `one of ${CONNECTION_SORTS.join(", ")}`).default("pending"),
  dir: z.enum(["asc", "desc"], "asc or desc").default("desc"),
  /** Show internal: busdeck's own connections too (lib/own-resources.ts classifyConnection). */
  own: z
    .enum(["0", "1"], "0 or 1")
    .transform((v) => v === "1")
    .default(false),
});
export type ConnectionsViewState = z.infer<typeof ConnectionsViewStateSchema>;
const DEFAULTS: ConnectionsViewState = { view: "open", q: "", sort: "pending", dir: "desc", own: false };

export function parseConnectionsViewState(params: SearchLike): ConnectionsViewState & { ignored: string[] } {
  const { value, ignored } = parseIgnoringBad(ConnectionsViewStateSchema, firstValues(params));
  return { ...value, ignored };
}

/** Only values that differ from the defaults, in a fixed order: the URL round-trips exactly. */
export function connectionsViewStateToSearch(s: Partial<ConnectionsViewState>): string {
  const full = { ...DEFAULTS, ...s };
  const q = new URLSearchParams();
  for (const key of ["view", "q", "sort", "dir"] as const) if (full[key] !== DEFAULTS[key] && full[key] !== "") q.set(key, full[key]);
  if (full.own) q.set("own", "1");
  return toSearchString(q);
}

type AnyRow = ConnectionRow | ClosedConnectionRow;

const stoppedAt = (r: AnyRow) => ("stopped" in r && r.stopped ? Date.parse(r.stopped) : 0);
/** Uptime: until now for an open connection, until it closed for a closed one. */
const uptimeMs = (r: AnyRow, now: number) => (r.started ? ("stopped" in r && r.stopped ? stoppedAt(r) : now) - Date.parse(r.started) : -1);

const SORT_KEY: Record<ConnectionSort, (r: AnyRow, now: number) => number | string> = {
  pending: (r) => r.pending_bytes,
  rate: (r) => r.msgs_per_s ?? -1,
  subs: (r) => r.subscriptions,
  rtt: (r) => r.rtt_ms ?? -1,
  uptime: uptimeMs,
  name: (r) => (r.name ?? "").toLowerCase(),
  stopped: stoppedAt,
};

/** What the text filter matches: name, address, account, client language and version, server, and the closing reason. */
export function connectionHaystack(r: AnyRow): string {
  const reason = "reason" in r ? r.reason : "";
  return `${r.name ?? ""}\n${r.address}\n${r.account ?? ""}\n${r.lang ?? ""} ${r.version ?? ""}\n${r.server}\n${reason}`.toLowerCase();
}

/**
 * The rows of the chosen list that match the filter, sorted; ties by server and connection id. `haystack`
 * lets a caller reuse each row's lowercased text across keystrokes.
 */
export function selectConnections<R extends AnyRow>(
  rows: readonly R[],
  state: Pick<ConnectionsViewState, "q" | "sort" | "dir">,
  now: number,
  haystack: (r: R) => string = connectionHaystack,
): R[] {
  const q = state.q.trim().toLowerCase();
  const key = SORT_KEY[state.sort];
  const sign = state.dir === "asc" ? 1 : -1;
  const keyed = (q ? rows.filter((r) => haystack(r).includes(q)) : rows).map((r) => ({ r, k: key(r, now) }));
  keyed.sort((a, b) => {
    if (a.k < b.k) return -sign;
    if (a.k > b.k) return sign;
    // ties by code-unit order, not localeCompare: a sort of 10,000 rows makes many tie comparisons
    if (a.r.server !== b.r.server) return a.r.server < b.r.server ? -1 : 1;
    return a.r.cid - b.r.cid;
  });
  return keyed.map((x) => x.r);
}

/** The list a view shows: open connections, every closed one, or those closed as slow consumers. */
export function rowsOfList(
  list: ConnectionsList,
  open: readonly ConnectionRow[],
  closed: readonly ClosedConnectionRow[],
): readonly AnyRow[] {
  if (list === "open") return open;
  return list === "slow" ? closed.filter((c) => c.slow_consumer) : closed;
}

const connectionKind = (r: AnyRow) => classifyConnection(r.name);

/** A list's rows as "show internal" has it (busdeck's own connections only when on), and how many of busdeck's it holds. */
export function listedConnections(
  list: ConnectionsList,
  open: readonly ConnectionRow[],
  closed: readonly ClosedConnectionRow[],
  showInternal: boolean,
): { rows: readonly AnyRow[]; internal: number } {
  return byShowInternal(rowsOfList(list, open, closed), connectionKind, showInternal);
}
