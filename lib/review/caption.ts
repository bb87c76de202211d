/**
 * The caption strip under an exported panel: what, where and when, so a screenshot pasted into an incident
 * review still says which view, filters, UTC range, cluster and server it shows and when it was taken.
 * Always UTC, whatever the display zone. Pure: `generatedAt` is an argument.
 */
import { formatUtc } from "../format";
import { describeTimeRange, resolveTimeRange, TIME_RANGE_KEYS, TIME_ZONE_KEY, type TimeRange } from "../time/range";

/** What a chart shows when it is about one thing; its PNG's caption and file name name it. */
export interface PanelEntity {
  kind: "stream" | "consumer" | "handler" | "lock" | "server";
  /** Stream and consumer, a handler id, a lock's bucket and key… */
  parts: readonly string[];
}

/** "consumer routing-decisions / analytics-consumer". */
export const describeEntity = (e: PanelEntity) => `${e.kind} ${e.parts.join(" / ")}`;

export interface CaptionInput {
  /** "Consumer lag", "Reflex outcomes"… */
  view: string;
  /** The panel's own title, e.g. "Lag". */
  panel?: string;
  entity?: PanelEntity;
  /** The view's URL parameters; the shell's range and zone are described separately and left out here. */
  params: URLSearchParams;
  range: TimeRange;
  /** The view's default window for a live range with none picked (ms). */
  defaultWindowMs: number;
  /** Where a live range's data starts when the view's source does not start it at now − window (epoch ms). */
  liveFrom?: number;
  cluster: string | null;
  server: string | null;
  version: string | null;
  generatedAt: number;
}

const SHELL_KEYS: readonly string[] = [...TIME_RANGE_KEYS, TIME_ZONE_KEY];

/** "q=analytics, status=WARN,ERR" or "none". */
export function describeFilters(params: URLSearchParams): string {
  const parts: string[] = [];
  for (const [k, v] of params) if (!SHELL_KEYS.includes(k) && v !== "") parts.push(`${k}=${v}`);
  return parts.length ? parts.join(", ") : "none";
}

/** Three lines: view and panel; filters and UTC range; cluster, server and generated-at. */
export function captionLines(c: CaptionInput): [string, string, string] {
  const window = resolveTimeRange(c.range, c.generatedAt, c.defaultWindowMs);
  const resolved = c.range.kind === "live" && c.liveFrom !== undefined ? { ...window, from: c.liveFrom } : window;
  const range =
    c.range.kind === "fixed"
      ? describeTimeRange(c.range, "utc")
      : `${c.range.last ? `last ${c.range.last}` : "live"}: ${formatUtc(resolved.from, "utc")} → ${formatUtc(resolved.to, "utc")}`;
  const where = [`cluster ${c.cluster ?? "—"}`, `server ${c.server ?? "—"}${c.version ? ` v${c.version}` : ""}`];
  return [
    [`busdeck · ${c.view}${c.panel ? ` — ${c.panel}` : ""}`, ...(c.entity ? [describeEntity(c.entity)] : [])].join(" · "),
    `filters: ${describeFilters(c.params)} · range: ${range}`,
    `${where.join(" · ")} · generated ${formatUtc(c.generatedAt, "utc")}`,
  ];
}

/** The view's name for a path, as the nav names it. */
export function viewName(pathname: string): string {
  if (pathname.startsWith("/consumers/")) return "Consumer detail";
  if (pathname.startsWith("/consumers")) return "Consumer lag";
  if (/^\/streams\/[^/]+\/messages\/[^/]+/.test(pathname)) return "Message";
  if (/^\/streams\/[^/]+\/messages/.test(pathname)) return "Message browser";
  if (pathname.startsWith("/streams/")) return "Stream detail";
  if (pathname.startsWith("/streams")) return "Streams";
  if (pathname.startsWith("/outcomes/groups/")) return "Error group";
  if (pathname.startsWith("/outcomes/handlers/")) return "Handler";
  if (/^\/outcomes\/[^/]+/.test(pathname)) return "Outcome";
  if (pathname.startsWith("/outcomes")) return "Reflex outcomes";
  if (pathname.startsWith("/failover")) return "Failover";
  if (pathname.startsWith("/bus/servers/")) return "Bus server";
  return "Overview";
}
