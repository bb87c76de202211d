"use client";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "@/components/ui/range-link";
import { memo, useRef } from "react";
import { formatUtc } from "@/lib/format";
import { links } from "@/lib/links";
import { FEED_RAW_CHARS, rowText, type OutcomeRow } from "@/lib/outcomes/outcome";
import { KindLabel, MalformedBadge, SeverityPill } from "./outcome-pills";
import styles from "./outcomes.module.css";
import { useDisplayZone } from "@/components/ui/display-zone";

const ROW_HEIGHT = 30;

function FeedRow({ r, top }: { r: OutcomeRow; top: number }) {
  const zone = useDisplayZone();
  const errored = r.valid && r.body.kind === "errored";
  const cls = `${styles.feedRow} ${errored ? styles.rowErrored : ""} ${r.valid ? "" : styles.rowMalformed}`;
  return (
    // No viewport prefetch: under a fast feed every row scrolls through the viewport, and each prefetch is a server render.
    <Link
      href={links.outcome(r.id)}
      prefetch={false}
      className={cls}
      style={{ transform: `translateY(${top}px)` }}
      data-testid="outcome-row"
      data-outcome-id={r.id}
    >
      <span className="tabular">{formatUtc(r.valid ? r.body.emitted_at : r.received_at, zone)}</span>
      <span>{r.handler_id}</span>
      {r.valid ? (
        <>
          <span>
            <SeverityPill severity={r.body.severity} />
          </span>
          <span>
            <KindLabel kind={r.body.kind} />
          </span>
          <span className="mono" title={r.body.target ?? undefined}>
            {r.body.target ?? "—"}
          </span>
          <span title={r.body.summary}>{rowText(r.body)}</span>
        </>
      ) : (
        <>
          <span>
            <MalformedBadge reason={r.error} />
          </span>
          <span className="muted">—</span>
          <span className="muted">—</span>
          <span className={styles.raw} title={r.error}>
            {r.raw.slice(0, FEED_RAW_CHARS)}
          </span>
        </>
      )}
    </Link>
  );
}

/**
 * Newest first; only the visible rows are in the DOM, so thousands of records cost what 30 do. Memoized: the
 * view re-renders for every SSE flush, and each feed render re-measures every record in the virtualizer.
 */
export const OutcomeFeed = memo(function OutcomeFeed({ records, emptyText }: { records: OutcomeRow[]; emptyText: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  // Rows keyed by position, not by outcome id: under a fast feed every visible row changes at each update, and
  // keyed by position the same elements get new text instead of being unmounted and mounted again.
  const virtual = useVirtualizer({
    count: records.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  return (
    <div className={styles.feed} data-testid="outcomes-table">
      <div className={styles.feedHead}>
        <span>Emitted</span>
        <span>Handler</span>
        <span>Severity</span>
        <span>Kind</span>
        <span>Target</span>
        <span>Summary / exception / raw payload</span>
      </div>
      <div ref={scroller} className={styles.feedScroller}>
        {records.length === 0 ? (
          <div className="empty">{emptyText}</div>
        ) : (
          <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
            {virtual.getVirtualItems().map((v) => (
              <FeedRow key={v.key} r={records[v.index]!} top={v.start} />
            ))}
          </div>
        )}
      </div>
    </div>
  );
});
