/**
 * Table exports as CSV (RFC 4180) and JSON. Pure: the view hands over its rows and the columns of its table;
 * these functions return text. Timestamps are written as UTC ISO-8601 by the column definitions.
 */
import type { PanelEntity } from "../caption";

export type Cell = string | number | boolean | null | undefined;

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
}

/** What a download says about itself: the view, its filters and the UTC range the rows cover. */
export interface ExportMeta {
  view: string;
  filters: Record<string, string>;
  range: { from: string; to: string };
  generated_at: string;
}

/**
 * A text cell a spreadsheet would read as a formula (=, +, -, @, or a leading tab/CR that some strip first)
 * gets a leading apostrophe, so an exported subject or payload field cannot run anything when opened.
 * Numbers are written as numbers: a negative number is data, not a formula.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One field: quoted when it holds a comma, quote, CR or LF, with inner quotes doubled (RFC 4180 §2.5–2.7). */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return "";
  const text = typeof v === "string" ? guardFormula(v) : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Header row, then one row per record; CRLF line breaks as RFC 4180 asks, with a final CRLF. */
export function toCsv<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const lines = [columns.map((c) => csvField(c.header)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvField(c.value(r))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** A comment row's text: no comma, quote or line break, so any CSV reader keeps it as one leading field. */
const commentText = (s: string) => s.replace(/[\r\n"]+/g, " ").replace(/,/g, "|");

/** "2026-11-23 13:00:00" from an ISO instant; the zone is named once after the range. */
const utcWall = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? "unknown" : new Date(t).toISOString().slice(0, 19).replace("T", " ");
};

/**
 * The first line of a CSV download, saying what it holds:
 * "# busdeck consumers · filters q=analytics · status=WARN|ERR · range 2026-11-23 13:00:00–2026-11-23 14:30:00 UTC · generated … UTC".
 * Commas inside filter values become "|" so spreadsheets keep the line in one cell.
 */
export function csvCommentRow(meta: ExportMeta): string {
  const filters = Object.entries(meta.filters).filter(([, v]) => v !== "");
  const range = meta.range.from === meta.range.to ? utcWall(meta.range.from) : `${utcWall(meta.range.from)}–${utcWall(meta.range.to)}`;
  const parts = [
    `# busdeck ${meta.view}`,
    `filters ${filters.length ? filters.map(([k, v]) => `${k}=${v}`).join(" · ") : "none"}`,
    `range ${range} UTC`,
    `generated ${utcWall(meta.generated_at)} UTC`,
  ];
  return commentText(parts.join(" · "));
}

/** The CSV download: the comment row naming view, filters and range, then the table. */
export function toCsvExport<T>(columns: readonly Column<T>[], rows: readonly T[], meta: ExportMeta): string {
  return `${csvCommentRow(meta)}\r\n${toCsv(columns, rows)}`;
}

/** The same columns as the CSV, as objects keyed by header, under the export's metadata. */
export function toJsonExport<T>(columns: readonly Column<T>[], rows: readonly T[], meta: ExportMeta): string {
  const records = rows.map((r) => Object.fromEntries(columns.map((c) => [c.header, c.value(r) ?? null])));
  return `${JSON.stringify({ ...meta, columns: columns.map((c) => c.header), rows: records }, null, 2)}\n`;
}

/** "20261123T130000Z": an instant that sorts and is safe in a file name on every OS. */
const compactUtc = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t)
    ? "unknown"
    : new Date(t)
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z")
        .replace(/[-:]/g, "");
};

/** A file-name-safe rendering of one filter value: letters, digits, single dots, underscore, dash; ≤ 40 chars. */
const safe = (s: string) =>
  s
    .replace(/[^A-Za-z0-9._-]+|\.{2,}/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[._]+|[._]+$/g, "")
    .slice(0, 40);

/**
 * A panel PNG's name: busdeck-routing-decisions-analytics-consumer-consumer-lag_<from>-<to>.png for a chart about
 * one entity, busdeck-<view>-<panel>_… otherwise. Every part is reduced to file-name-safe characters.
 */
export function panelFileName(p: {
  view: string;
  panel: string;
  entity?: PanelEntity;
  filters: Record<string, string>;
  range: ExportMeta["range"];
}): string {
  const slug = (s: string) => safe(s.toLowerCase().replace(/\s+/g, "-"));
  const subject = p.entity ? [...p.entity.parts.map(safe), p.entity.kind] : [slug(p.view)];
  return nameWithRange(["busdeck", ...subject, slug(p.panel)].filter(Boolean).join("-"), p, "png");
}

/** "<head>_<filter>…_<from>-<to>.<ext>": filters and the UTC range after a head that is already file-name-safe. */
function nameWithRange(head: string, meta: Pick<ExportMeta, "filters" | "range">, ext: "csv" | "json" | "png"): string {
  const filters = Object.entries(meta.filters)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${safe(k)}-${safe(v)}`);
  const from = compactUtc(meta.range.from);
  const to = compactUtc(meta.range.to);
  const range = from === to ? from : `${from}-${to}`;
  return [head, ...filters, range].join("_") + `.${ext}`;
}

/** busdeck-consumers_q-analytics_status-WARN_ERR_20261123T130000Z-20261123T143000Z.csv */
export function exportFileName(meta: Pick<ExportMeta, "view" | "filters" | "range">, ext: "csv" | "json" | "png"): string {
  return nameWithRange(`busdeck-${safe(meta.view)}`, meta, ext);
}
