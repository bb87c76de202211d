"use client";
import { useState } from "react";
import { formatCount } from "@/lib/format";
import { SCAN_LIMIT_CHOICES, type SearchUrlState } from "@/lib/streams/queries";
import { MessageTable } from "./message-table";
import styles from "./streams.module.css";
import { usePayloadScan } from "./use-payload-search";

/**
 * Scans forward from a start sequence on the server (substring or a field predicate), streaming progress and
 * matches over SSE. Closing the EventSource cancels the scan server-side.
 */
export function PayloadSearch({
  stream,
  subject,
  initial,
  onRun,
}: {
  stream: string;
  subject?: string;
  initial: SearchUrlState;
  onRun: (s: SearchUrlState) => void;
}) {
  // Prefilled from the URL (a shared link shows the search); it runs only when asked, since a scan costs the server.
  const [q, setQ] = useState(initial.q);
  const [mode, setMode] = useState<SearchUrlState["mode"]>(initial.mode);
  const [start, setStart] = useState(initial.from_seq ? String(initial.from_seq) : "");
  const [scanLimit, setScanLimit] = useState(String(initial.scan_limit));
  const { run, matches, begin: scan, stop } = usePayloadScan(stream, subject);

  const begin = () => {
    onRun({ q, mode, scan_limit: Number(scanLimit), from_seq: Number(start) >= 1 ? Number(start) : null });
    scan({ q, mode }, scanLimit, start);
  };

  const running = run.state === "running";
  // Share of the scan budget used; a finished scan is complete whichever limit ended it.
  const progress = run.state === "done" ? 1 : run.state === "idle" ? 0 : Math.min(1, run.scanned / Math.max(1, Number(scanLimit)));
  return (
    <div className={`panel ${styles.searchPanel}`} data-testid="payload-search">
      <div className={styles.panelHead}>
        <h2>Search payloads</h2>
        <span className="muted">scans forward {subject ? `on ${subject} ` : ""}from a start sequence; read-only</span>
      </div>
      <form
        className={styles.searchRow}
        onSubmit={(e) => {
          e.preventDefault();
          if (q.trim()) begin();
        }}
      >
        <select value={mode} onChange={(e) => setMode(e.target.value as typeof mode)} aria-label="Search mode" data-testid="search-mode">
          <option value="substring">contains</option>
          <option value="predicate">JSON predicate</option>
        </select>
        <input
          className={styles.query}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={mode === "predicate" ? 'selectedModel == "gemini-pro" && estimatedCost > 0.01' : "text to find in the payload"}
          aria-label="Search query"
          data-testid="search-query"
        />
        <label className="muted">
          from seq{" "}
          <input
            type="number"
            min={1}
            value={start}
            onChange={(e) => setStart(e.target.value)}
            style={{ width: 100 }}
            placeholder="first"
          />
        </label>
        <label className="muted">
          scan limit{" "}
          <select value={scanLimit} onChange={(e) => setScanLimit(e.target.value)}>
            {SCAN_LIMIT_CHOICES.map((n) => (
              <option key={n} value={String(n)}>
                {formatCount(n)}
              </option>
            ))}
          </select>
        </label>
        {running ? (
          <button type="button" className="btn" onClick={stop} data-testid="search-cancel">
            Cancel
          </button>
        ) : (
          <button type="submit" className="btn" disabled={!q.trim()} data-testid="search-run">
            Search
          </button>
        )}
      </form>
      {run.state !== "idle" && (
        <div className={styles.searchRow} data-testid="search-status">
          <div className={styles.progress} aria-hidden>
            <div style={{ width: `${progress * 100}%` }} />
          </div>
          <span className="tabular">
            scanned <b data-testid="search-scanned">{formatCount(run.scanned)}</b> · matched{" "}
            <b data-testid="search-matched">{formatCount(run.matched)}</b>
            {run.atSeq ? ` · at #${formatCount(run.atSeq)}` : ""}
          </span>
          <span className={run.state === "error" ? styles.error : "muted"}>
            {run.state === "running"
              ? "scanning…"
              : run.state === "done"
                ? `done: ${run.reason}`
                : run.state === "cancelled"
                  ? "cancelled"
                  : `error: ${run.error}`}
          </span>
        </div>
      )}
      {run.state !== "idle" && (
        <MessageTable messages={matches} empty={running ? "No match yet…" : "No match."} testId="search-results" scroll />
      )}
    </div>
  );
}
