"use client";
import { PanelPng } from "@/components/ui/panel-png";
import { useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useUrlState } from "@/components/ui/use-url-state";
import { ExportMenu } from "@/components/ui/export-menu";
import { STREAM_COLUMNS } from "@/lib/review/export/tables";
import { sampleInstant } from "@/lib/time/range";
import { useLiveTopic } from "@/components/live/use-live-events";
import { SnapshotNote } from "@/components/ui/snapshot-note";
import { formatCount } from "@/lib/format";
import { busStreams } from "@/lib/own-resources";
import { internalStreamCount, selectStreams, type StreamRow } from "@/lib/streams/list";
import { parseStreamsListState, streamsListStateToSearch, type StreamSort } from "@/lib/streams/queries";
import { ROW_HEIGHT, StreamRowView } from "./stream-row";
import styles from "./streams.module.css";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useHeldOrder } from "@/components/ui/use-held-order";
import { ResortNote } from "@/components/ui/resort-note";
import { IgnoredParam } from "@/components/ui/ignored-param";
import { ShowInternalToggle } from "@/components/ui/show-internal";
import { EmptyRow } from "@/components/ui/empty-row";
import { SortableHead } from "@/components/ui/sortable-head";

const COLUMNS: { label: string; sort?: StreamSort; num?: boolean; className?: string }[] = [
  { label: "Stream", sort: "name", className: styles.nameCol },
  { label: "Subjects" },
  { label: "Config" },
  { label: "Messages", sort: "messages", num: true },
  { label: "Bytes", sort: "bytes", num: true },
  { label: "Ingest", sort: "ingest", num: true },
  { label: "Fill vs limits", sort: "fill" },
  { label: "Sequences", num: true },
  { label: "Last msg", sort: "last" },
  { label: "Subj.", num: true },
  { label: "Cons.", sort: "consumers", num: true },
];

export function StreamsView() {
  const live = useLiveTopic("streams").data;
  const snap = useHydrated() ? live : undefined;
  const [state, setState] = useUrlState(parseStreamsListState, streamsListStateToSearch);
  const streams = snap?.streams ?? [];
  const now = snap?.sampled_at ? Date.parse(snap.sampled_at) : 0;
  // Rows stay put while the pointer or keyboard focus is on the table; the reader's own sort or search applies at once.
  const own = snap?.own_streams ?? [];
  const order = useHeldOrder(
    selectStreams(streams, state, now, own),
    streamRowKey,
    `${state.sort}|${state.dir}|${state.q}|${state.show}|${state.own}`,
  );
  const rows = order.rows;
  const attention = selectStreams(streams, { ...state, q: "", show: "attention" }, now, own).length;
  const ownCount = streams.length - busStreams(streams, own).length;
  const internalCount = internalStreamCount(streams, now, own);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - items[items.length - 1]!.end : 0;

  const toggleSort = (sort: StreamSort) =>
    setState(state.sort === sort ? { dir: state.dir === "asc" ? "desc" : "asc" } : { sort, dir: sort === "name" ? "asc" : "desc" });

  return (
    <>
      <div className="page-head">
        <h1>Streams</h1>
        <span className="sub" data-testid="stream-count">
          {formatCount(streams.length - ownCount)} streams{ownCount > 0 && ` · ${formatCount(ownCount)} of busdeck's own`}
        </span>
        {snap && <SnapshotNote status={snap.status} sampledAt={snap.sampled_at} durationMs={snap.duration_ms} errors={snap.errors} />}
      </div>
      {state.ignored.length > 0 && <IgnoredParam problem={state.ignored.join("; ")} testId="streams-url-error" />}
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search name, subject, description"
          value={state.q}
          onChange={(e) => setState({ q: e.target.value })}
          aria-label="Search streams"
          data-testid="streams-search"
          style={{ width: 280 }}
        />
        <div className="seg" role="group" aria-label="Show">
          <button type="button" aria-pressed={state.show === "all"} onClick={() => setState({ show: "all" })}>
            All
          </button>
          <button
            type="button"
            aria-pressed={state.show === "attention"}
            onClick={() => setState({ show: "attention" })}
            data-testid="streams-attention"
          >
            Needs attention ({attention})
          </button>
        </div>
        <ShowInternalToggle
          count={internalCount}
          checked={state.own}
          onChange={(checked) => setState({ own: checked })}
          title="busdeck's own streams (never counted as needing attention) and the streams behind KV buckets and object stores; one that needs attention is always listed"
          testId="streams-show-internal"
        />
        <span className="muted">{rows.length !== streams.length ? `${formatCount(rows.length)} shown` : ""}</span>
        <span style={{ marginLeft: "auto" }}>
          <PanelPng panel="Streams" selector="[data-testid=streams-table]" />{" "}
          <ExportMenu
            columns={STREAM_COLUMNS}
            rows={() => rows}
            meta={{
              view: "streams",
              filters: { q: state.q, show: state.show === "all" ? "" : state.show, own: state.own ? "1" : "" },
              range: sampleInstant(snap?.sampled_at),
            }}
            testId="streams-export"
          />
        </span>
      </div>
      <div {...order.zoneProps}>
        <ResortNote held={order.held} moved={order.moved} onApply={order.applyNow} testId="streams-resort" />
        <div className={styles.scroller} ref={scroller}>
          <table className="data" data-testid="streams-table">
            <SortableHead columns={COLUMNS} sort={state.sort} dir={state.dir} onSort={toggleSort} testIdPrefix="streams-sort-" />
            <tbody>
              {padTop > 0 && <tr style={{ height: padTop }} aria-hidden />}
              {items.map((vi) => (
                <StreamRowView key={rows[vi.index]!.stream.name} row={rows[vi.index]!} now={now} />
              ))}
              {padBottom > 0 && <tr style={{ height: padBottom }} aria-hidden />}
              {rows.length === 0 && (
                <EmptyRow columns={COLUMNS.length}>
                  {snap?.status === "initializing"
                    ? "Waiting for the first sample…"
                    : streams.length
                      ? "No stream matches."
                      : "No streams on this server."}
                </EmptyRow>
              )}
            </tbody>
          </table>
        </div>
      </div>
    </>
  );
}

const streamRowKey = (row: StreamRow) => row.stream.name;
