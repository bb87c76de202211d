/**
 * Table exports as CSV (RFC 4180) and JSON. Pure: the view hands over its rows and the columns of its table;
 * these functions return text. Timestamps are written as UTC ISO-8601 by the column definitions.
 */

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

/** The same columns as the CSV, as objects keyed by header, under the export's metadata. */
export function toJsonExport<T>(columns: readonly Column<T>[], rows: readonly T[], meta: ExportMeta): string {
  const records = rows.map((r) => Object.fromEntries(columns.map((c) => [c.header, c.value(r) ?? null])));
  return `${JSON.stringify({ ...meta, columns: columns.map((c) => c.header), rows: records }, null, 2)}\n`;
}

/** "20261123T130000Z": an instant that sorts and is safe in a file name on every OS. */
const compactUtc = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? "unknown" : new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
};

/** A file-name-safe rendering of one filter value: letters, digits, single dots, underscore, dash; ≤ 40 chars. */
const safe = (s: string) =>
  s
    .replace(/[^A-Za-z0-9._-]+|\.{2,}/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[._]+|[._]+$/g, "")
    .slice(0, 40);

/** busdeck-consumers_q-analytics_status-WARN_ERR_20261123T130000Z-20261123T143000Z.csv */
export function exportFileName(meta: Pick<ExportMeta, "view" | "filters" | "range">, ext: "csv" | "json" | "png"): string {
  const filters = Object.entries(meta.filters)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${safe(k)}-${safe(v)}`);
  const from = compactUtc(meta.range.from);
  const to = compactUtc(meta.range.to);
  const range = from === to ? from : `${from}-${to}`;
  return [`busdeck-${safe(meta.view)}`, ...filters, range].join("_") + `.${ext}`;
}
