"use client";
import { useRef, useState, type KeyboardEvent } from "react";
import { exportFileName, toCsvExport, toJsonExport, type Column, type ExportMeta } from "@/lib/review/export/csv";

/** Saves text or bytes as a file through a temporary object URL (no server round trip, CSP-safe). */
export function downloadBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Escape closes an open menu and hands focus back to its toggle. */
export function closeOnEscape(e: KeyboardEvent<HTMLDetailsElement>) {
  if (e.key !== "Escape" || !e.currentTarget.open) return;
  e.currentTarget.removeAttribute("open");
  e.currentTarget.querySelector("summary")?.focus();
  e.stopPropagation();
}

/**
 * "Export ▾" on a table: CSV or JSON of its rows. `rows` is called on click, so a view can hand over what it
 * holds or run a range query first; `meta` names the view, filters and UTC range in the file (a CSV's first,
 * "#" row; a JSON's fields) and in its name.
 */
export function ExportMenu<T>({
  columns,
  rows,
  meta,
  testId,
}: {
  columns: readonly Column<T>[];
  rows: () => readonly T[] | Promise<readonly T[]>;
  meta: Omit<ExportMeta, "generated_at">;
  testId?: string;
}) {
  const details = useRef<HTMLDetailsElement>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (format: "csv" | "json") => {
    details.current?.removeAttribute("open");
    setError(null);
    try {
      const data = await rows();
      const full: ExportMeta = { ...meta, generated_at: new Date().toISOString() };
      const text = format === "csv" ? toCsvExport(columns, data, full) : toJsonExport(columns, data, full);
      downloadBlob(
        new Blob([text], { type: format === "csv" ? "text/csv;charset=utf-8" : "application/json" }),
        exportFileName(meta, format),
      );
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <details className="export-menu" ref={details} data-testid={testId ?? "export-menu"} data-no-export="" onKeyDown={closeOnEscape}>
      <summary className="btn">Export ▾</summary>
      <div className="export-menu-list" role="menu">
        <button type="button" role="menuitem" onClick={() => run("csv")}>
          CSV
        </button>
        <button type="button" role="menuitem" onClick={() => run("json")}>
          JSON
        </button>
      </div>
      {error && <span className="warn-text">export failed: {error}</span>}
    </details>
  );
}
