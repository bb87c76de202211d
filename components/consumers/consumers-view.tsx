"use client";
import { PanelPng } from "@/components/ui/panel-png";
import { useCallback, useDeferredValue, useMemo } from "react";
import { useTypedFilter } from "@/components/ui/use-typed-filter";
import { useLiveTopic } from "@/components/live/use-live-events";
import { SnapshotNote } from "@/components/ui/snapshot-note";
import { HEALTH_STATUSES } from "@/lib/consumers/health";
import {
  filterConsumers,
  listedTotal,
  consumerListStateToSearch,
  parseConsumerListState,
  sortConsumers,
  streamNames,
  summarize,
  type ConsumerListState,
  type ConsumersFirstScreen,
  type SortColumn,
} from "@/lib/consumers/search-params";
import { formatCount } from "@/lib/format";
import styles from "./consumers.module.css";
import { ConsumersTable } from "./consumers-table";
import { SummaryStrip } from "./summary-strip";
import { useUrlState } from "@/components/ui/use-url-state";
import { ShowInternalToggle } from "@/components/ui/show-internal";
import { IgnoredParam } from "@/components/ui/ignored-param";
import { unknownFilterValue } from "@/lib/view/unknown-param";
import { ExportMenu } from "@/components/ui/export-menu";
import { CONSUMER_COLUMNS } from "@/lib/review/export/tables";
import { sampleInstant } from "@/lib/time/range";
import type { ConsumerRow } from "@/lib/consumers/types";

/** Text columns read naturally A→Z; number and status columns worst (largest) first. */
const firstDir = (col: SortColumn) => (col === "name" || col === "stream" ? "asc" : "desc");

/**
 * `initial` is the first screen the server rendered from its own copy of the rows (consumersFirstScreen): shown
 * until the live stream delivers them all, so the table is there at first paint.
 */
export function ConsumersView({ initial }: { initial?: ConsumersFirstScreen }) {
  const live = useLiveTopic("consumer_rows").data;
  const [state, update] = useUrlState(parseConsumerListState, consumerListStateToSearch);
  const all = live?.items;
  const writeQuery = useCallback((q: string) => update({ q }), [update]);
  const [typed, setTyped] = useTypedFilter(state.q, writeQuery);
  const deferredTyped = useDeferredValue(typed);
  const deferredState = useDeferredValue(state);
  // A stream no consumer is on (a typo, a deleted stream) is named and ignored rather than shown as an empty table.
  const everyStream = useMemo(() => (all ? streamNames(all, [], true) : null), [all]);
  const badStream = everyStream ? unknownFilterValue("stream", state.stream, everyStream, "stream with consumers named") : null;
  const filters = useMemo(
    () => ({ ...deferredState, q: deferredTyped, stream: badStream ? "" : deferredState.stream }),
    [deferredState, deferredTyped, badStream],
  );
  // sorted once per sample and sort order; a keystroke in the filter box only filters
  const sorted = useMemo(() => (all ? sortConsumers(all, filters.sort, filters.dir) : null), [all, filters.sort, filters.dir]);
  const own = live?.meta.own_streams;
  const liveRows = useMemo(() => (sorted ? filterConsumers(sorted, filters, own) : null), [sorted, filters, own]);
  const liveSummary = useMemo(() => (all ? summarize(all, own) : null), [all, own]);
  const liveStreams = useMemo(() => (all ? streamNames(all, own, state.own) : null), [all, own, state.own]);
  const first = live ? undefined : initial;
  const snap = live?.meta ?? first?.meta;
  const rows = liveRows ?? first?.rows ?? [];
  const shown = liveRows?.length ?? first?.shown ?? 0;
  const summary = liveSummary ?? first?.summary ?? summarize([]);
  const total = all ? listedTotal(all.length, summary, state.own) : (first?.total ?? 0);
  const streams = liveStreams ?? first?.streams ?? [];

  // the strip's links keep what the box shows, also while the URL has not yet caught up with typing
  const stripState = useMemo(() => ({ ...state, q: typed }), [state, typed]);

  const onSort = (col: SortColumn) =>
    update(state.sort === col ? { dir: state.dir === "asc" ? "desc" : "asc" } : { sort: col, dir: firstDir(col) });
  const toggleStatus = (s: (typeof HEALTH_STATUSES)[number]) =>
    update({ status: state.status.includes(s) ? state.status.filter((x) => x !== s) : [...state.status, s] });

  return (
    <>
      <div className="page-head">
        <h1>Consumer lag</h1>
        <span className="sub">{formatCount(total)} consumers</span>
        {snap && <SnapshotNote status={snap.status} sampledAt={snap.sampled_at} durationMs={snap.duration_ms} errors={snap.errors} />}
      </div>
      {(badStream || state.ignored.length > 0) && (
        <IgnoredParam problem={[...state.ignored, ...(badStream ? [badStream] : [])].join("; ")} testId="consumers-url-error" />
      )}
      <SummaryStrip summary={summary} state={stripState} />
      <div className={styles.filters}>
        <input
          type="search"
          placeholder="Filter by consumer name"
          aria-label="Filter by consumer name"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          data-testid="consumer-filter"
        />
        <select
          aria-label="Stream"
          value={state.stream}
          onChange={(e) => update({ stream: e.target.value })}
          data-testid="consumer-stream-filter"
        >
          <option value="">All streams</option>
          {[...new Set([...streams, ...(state.stream ? [state.stream] : [])])].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        {HEALTH_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`${styles.statusToggle} ${state.status.includes(s) ? styles.statusToggleOn : ""}`}
            aria-pressed={state.status.includes(s)}
            onClick={() => toggleStatus(s)}
          >
            {s}
          </button>
        ))}
        {(typed || state.stream || state.status.length > 0) && (
          <button type="button" className="btn btn-ghost" onClick={() => (setTyped(""), update({ q: "", stream: "", status: [] }))}>
            Clear filters
          </button>
        )}
        <ShowInternalToggle
          count={summary.internal_rows}
          checked={state.own}
          onChange={(own) => update({ own })}
          title="Consumers on busdeck's own streams and buckets (never counted in the totals above) and ephemeral or ordered consumers (no durable name, such as the KV watchers' oc_…)"
          testId="consumer-show-own"
        />
        <span className={styles.count} data-testid="consumer-count">
          {formatCount(shown)} of {formatCount(total)}
        </span>
        {/* The table is the latest sample, so the export is of that instant, with the filters shown; busdeck's own
            consumers only when the table lists them. */}
        <PanelPng panel="Consumers" selector="div:has(> [data-testid=consumers-table])" testId="png-consumers" />
        <ExportMenu
          columns={CONSUMER_COLUMNS}
          rows={() => exportRows(liveRows, snap?.sampled_at ?? null)}
          meta={{
            view: "consumers",
            filters: { q: typed, stream: state.stream, status: state.status.join(","), own: state.own ? "1" : "" },
            range: sampleInstant(snap?.sampled_at),
          }}
          testId="consumers-export"
        />
      </div>
      {/* mounted through every filter: a filter that matches nothing, then everything, must not rebuild the table */}
      <ConsumersTable
        rows={rows}
        orderBasis={orderBasis(filters)}
        live={liveRows !== null}
        count={shown}
        state={state}
        onSort={onSort}
        ownStreams={own}
        sampledAt={snap?.sampled_at ?? null}
        unknown={live?.meta.unknown}
        empty={
          !snap || snap.status === "initializing"
            ? "Waiting for the first sample…"
            : total
              ? "No consumer matches the filters."
              : "No consumers."
        }
      />
    </>
  );
}

/** The reader's own sort and filters, which the table applies at once even while it holds its order. */
const orderBasis = (f: ConsumerListState) => [f.sort, f.dir, f.q, f.stream, f.status.join(","), f.own].join("|");

/** Every filtered row, never the server's first screen alone: an export of 40 rows that says 10,000 would mislead. */
function exportRows(rows: ConsumerRow[] | null, sampledAt: string | null) {
  if (!rows) throw new Error("The live rows have not arrived yet: try again in a moment.");
  return rows.map((r) => ({ ...r, sampled_at: sampledAt }));
}
