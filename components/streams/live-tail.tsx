"use client";
import { formatCount } from "@/lib/format";
import { MessageTable } from "./message-table";
import banner from "@/components/ui/warning-banner.module.css";
import styles from "./streams.module.css";
import { useLiveTail } from "./use-live-tail";

/**
 * New messages as they are stored, newest first. Pause closes the server's consumer; resume continues from the
 * sequence after the last one shown, so a pause leaves no gap (unless the backlog grew too large to replay).
 */
export function LiveTail({ stream, subject }: { stream: string; subject?: string }) {
  const { state, rows, note, open, pause, clear } = useLiveTail(stream, subject);
  return (
    <div className="panel" data-testid="live-tail">
      <div className={styles.panelHead}>
        <h2>Live tail</h2>
        <span className="muted">{subject ? `new messages on ${subject}` : "new messages on every subject"}</span>
        <div className={styles.right}>
          <span className="muted tabular" data-testid="tail-state">
            {state === "live" ? "● live" : state === "paused" ? "paused" : state === "error" ? "stopped" : "off"} ·{" "}
            {formatCount(rows.length)} shown
          </span>
          {state === "live" ? (
            <button type="button" className="btn" onClick={pause} data-testid="tail-pause">
              Pause
            </button>
          ) : (
            <button type="button" className="btn" onClick={open} data-testid="tail-start">
              {state === "off" ? "Start" : "Resume"}
            </button>
          )}
          <button type="button" className="btn btn-ghost" onClick={clear} disabled={rows.length === 0}>
            Clear
          </button>
        </div>
      </div>
      {note && <div className={banner.banner}>{note}</div>}
      {state !== "off" && (
        <MessageTable
          messages={rows}
          empty={state === "live" ? "Waiting for the next message…" : "Nothing yet."}
          testId="tail-table"
          scroll
        />
      )}
    </div>
  );
}
