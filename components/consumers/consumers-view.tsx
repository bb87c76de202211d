"use client";
import { PanelPng } from "@/components/ui/panel-png";
import { useDeferredValue, useEffect, useMemo, useState } from "react";
import { useLiveTopic } from "@/components/live/live-events";
import { SnapshotNote } from "@/components/ui/snapshot-note";
import { HEALTH_STATUSES } from "@/lib/consumer-health";
import { listStateToSearch, parseListState, selectConsumers, summarize, type SortColumn } from "@/lib/consumer-search-params";
import { formatCount } from "@/lib/format";
import styles from "./consumers.module.css";
import { ConsumersTable } from "./consumers-table";
import { SummaryStrip } from "./summary-strip";
import { useUrlState } from "@/components/ui/use-url-state";
import { ExportMenu } from "@/components/ui/export-menu";
import { CONSUMER_COLUMNS } from "@/lib/export/tables";
import { sampleInstant } from "@/lib/time-range";

/** Text columns read naturally A→Z; number and status columns worst (largest) first. */
const firstDir = (col: SortColumn) => (col === "name" || col === "stream" ? "asc" : "desc");

export function ConsumersView() {
  const live = useLiveTopic("consumer_rows").data;
  const [state, update] = useUrlState(parseListState, listStateToSearch);
  const snap = live?.meta;
  const all = live?.items;
  const deferredState = useDeferredValue(state);
  const rows = useMemo(() => selectConsumers(all ?? [], deferredState), [all, deferredState]);
  const summary = useMemo(() => summarize(all ?? []), [all]);
  const streams = useMemo(() => [...new Set((all ?? []).map((c) => c.stream))].sort(), [all]);

  // The box keeps what is typed; the URL follows. A URL change from elsewhere (clear, back) resets the box.
  const [typed, setTyped] = useState(state.q);
  useEffect(() => setTyped(state.q), [state.q]);

  const onSort = (col: SortColumn) => update(state.sort === col ? { dir: state.dir === "asc" ? "desc" : "asc" } : { sort: col, dir: firstDir(col) });
  const toggleStatus = (s: (typeof HEALTH_STATUSES)[number]) =>
    update({ status: state.status.includes(s) ? state.status.filter((x) => x !== s) : [...state.status, s] });

  return (
    <>
      <div className="page-head">
        <h1>Consumer lag</h1>
        <span className="sub">{formatCount(all?.length ?? 0)} consumers</span>
        {snap && <SnapshotNote status={snap.status} sampledAt={snap.sampled_at} durationMs={snap.duration_ms} errors={snap.errors} />}
      </div>
      <SummaryStrip summary={summary} state={state} />
      <div className={styles.filters}>
        <input type="search" placeholder="Filter by consumer name" aria-label="Filter by consumer name" value={typed} onChange={(e) => (setTyped(e.target.value), update({ q: e.target.value }))} data-testid="consumer-filter" />
        <select aria-label="Stream" value={state.stream} onChange={(e) => update({ stream: e.target.value })} data-testid="consumer-stream-filter">
          <option value="">All streams</option>
          {[...new Set([...streams, ...(state.stream ? [state.stream] : [])])].map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        {HEALTH_STATUSES.map((s) => (
          <button key={s} type="button" className={`${styles.statusToggle} ${state.status.includes(s) ? styles.statusToggleOn : ""}`} aria-pressed={state.status.includes(s)} onClick={() => toggleStatus(s)}>
            {s}
          </button>
        ))}
        {(state.q || state.stream || state.status.length > 0) && (
          <button type="button" className="btn btn-ghost" onClick={() => update({ q: "", stream: "", status: [] })}>Clear filters</button>
        )}
        <span className={styles.count} data-testid="consumer-count">{formatCount(rows.length)} of {formatCount(all?.length ?? 0)}</span>
        {/* The table is the latest sample, so the export is of that instant, with the filters shown. */}
        <PanelPng panel="Consumers" selector=".table-wrap:has([data-testid=consumers-table])" testId="png-consumers" />
        <ExportMenu columns={CONSUMER_COLUMNS} rows={() => rows.map((r) => ({ ...r, sampled_at: snap?.sampled_at ?? null }))} meta={{ view: "consumers", filters: { q: state.q, stream: state.stream, status: state.status.join(",") }, range: sampleInstant(snap?.sampled_at) }} testId="consumers-export" />
      </div>
      {rows.length > 0 ? (
        <ConsumersTable rows={rows} state={state} onSort={onSort} />
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="consumers-table"><tbody><tr><td className="empty">{!snap || snap.status === "initializing" ? "Waiting for the first sample…" : all?.length ? "No consumer matches the filters." : "No consumers."}</td></tr></tbody></table>
        </div>
      )}
    </>
  );
}
