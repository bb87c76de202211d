"use client";
import Link from "@/components/ui/range-link";
import { StatusPill } from "@/components/ui/status-pill";
import { formatBytes, formatCount, formatUtcTime, formatUtc, type DisplayZone } from "@/lib/format";
import { KV_WATCH_KEEP, type KvChange } from "@/lib/bus/kv";
import { links } from "@/lib/links";
import { OPERATION_TONE } from "./kv-operation";
import type { KvWatchState } from "./use-kv-watch";
import styles from "./kv.module.css";
import { EmptyRow } from "@/components/ui/empty-row";

/** A bucket's live changes, newest first, bounded (the oldest dropped beyond KV_WATCH_KEEP). */
export function KvWatchPanel({
  bucket,
  state,
  changes,
  note,
  zone,
}: {
  bucket: string;
  state: KvWatchState;
  changes: KvChange[];
  note: string | null;
  zone: DisplayZone;
}) {
  return (
    <section className="panel" data-testid="kv-watch">
      <h2>
        Live changes{" "}
        <span className={`muted ${styles.headNote}`}>
          · newest first, the last {formatCount(KV_WATCH_KEEP)} kept (older ones dropped)
          {state === "off" && changes.length > 0 ? " · stopped" : ""}
        </span>
      </h2>
      {note && (
        <p className={`warn-text ${styles.note}`} role="status">
          {note}
        </p>
      )}
      <div className={styles.watchScroller} tabIndex={0} role="region" aria-label="Live changes table">
        <table className="data">
          <thead>
            <tr>
              <th>Written</th>
              <th>Key</th>
              <th className="num">Revision</th>
              <th>Operation</th>
              <th className="num">Size</th>
              <th>Value</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.revision} data-testid="kv-change-row">
                <td className="tabular" title={formatUtc(c.time, zone, true)}>
                  {formatUtcTime(c.time, zone)}
                </td>
                <td className="mono">
                  <Link href={links.busKvKey(bucket, c.key, { rev: c.revision })}>{c.key}</Link>
                </td>
                <td className="num tabular">{formatCount(c.revision)}</td>
                <td>
                  <StatusPill tone={OPERATION_TONE[c.operation]} label={c.operation} />
                </td>
                <td className="num tabular">{formatBytes(c.size)}</td>
                <td className={`mono ${styles.valueCell}`} title={c.value?.text}>
                  {c.value ? c.value.text : <span className="muted">no value ({c.operation})</span>}
                </td>
              </tr>
            ))}
            {changes.length === 0 && <EmptyRow columns={6}>{state === "live" ? "Watching: no change yet." : "Not watching."}</EmptyRow>}
          </tbody>
        </table>
      </div>
    </section>
  );
}
