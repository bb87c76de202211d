"use client";
import { PanelPng } from "@/components/ui/panel-png";
/**
 * Reflex outcomes: error groups first (what on-call opens the view for), then handlers worst first and the
 * timeline, then the live feed. Every filter is in the URL; a drill-down is one click from a group or a row.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useLiveTopic } from "@/components/live/use-live-events";
import { StatusPill } from "@/components/ui/status-pill";
import { useHydrated } from "@/components/ui/use-hydrated";
import { formatCount, formatDuration, formatUtc, type DisplayZone } from "@/lib/format";
import { queryKeys } from "@/lib/wire/live-cache";
import { countNewSince, mergeFeed } from "@/lib/outcomes/feed";
import {
  filterOutcomes,
  ignoreUnknownOutcomeValues,
  type OutcomeRangeSummary,
  isFilterEmpty,
  outcomeFilterToSearch,
  unmatchedOutcomeValues,
} from "@/lib/outcomes/filter";
import { toOutcomeRow, type ErrorGroup, type OutcomeBucket, type OutcomeRow, type OutcomeStats } from "@/lib/outcomes/outcome";
import { OutcomeTimelineChart, type TimelineMode } from "./chart-outcome-timeline";
import { ErrorGroups } from "./error-groups";
import { HandlerSummaryTable } from "./handler-summary";
import { ChartHandlerLatency, lastHourAxis } from "./chart-handler-latency";
import { OutcomeFeed } from "./outcome-feed";
import { OutcomeFilters } from "./outcome-filters";
import styles from "./outcomes.module.css";
import { useSampledWithClock } from "@/components/ui/use-sampled-with-clock";
import { useThrottled } from "@/components/ui/use-throttled";
import { useTimeRange } from "@/components/ui/use-time-range";
import { ExportMenu } from "@/components/ui/export-menu";
import { IgnoredParam } from "@/components/ui/ignored-param";
import { ERROR_GROUP_COLUMNS, OUTCOME_COLUMNS } from "@/lib/review/export/tables";
import { LIVE, rangeIso, resolveTimeRange } from "@/lib/time/range";
import { effectiveOutcomeFilter, exportFilters, fetchOutcomesForExport, useOutcomeFilter, useOutcomeQuery } from "./use-outcomes";
import { useDisplayZone } from "@/components/ui/display-zone";

const NO_BUCKETS: OutcomeBucket[] = [];
const NO_GROUPS: ErrorGroup[] = [];

/** The handlers and kinds the live summary has seen; errored and logged are always offered by the kind filter. */
const knownOutcomeValues = (stats: OutcomeStats) => {
  const handlers = Object.values(stats.handlers);
  return {
    handlers: handlers.map((h) => h.handler_id),
    kinds: [...new Set(["errored", "logged", ...handlers.flatMap((h) => Object.keys(h.kinds))])],
  };
};

/** Where the live summary starts: the history it loaded at start-up, then everything since (null until known). */
function liveWindowStart(stats: OutcomeStats | null | undefined): number | undefined {
  const h = stats?.history;
  return h?.mode === "stream" ? Date.parse(h.loaded_from) : undefined;
}

const liveRangeIso = (liveFrom: number | undefined, now: number) =>
  liveFrom === undefined
    ? rangeIso(resolveTimeRange(LIVE, now, 3600_000))
    : { from: new Date(liveFrom).toISOString(), to: new Date(now).toISOString() };

/** "live: since 06:10:00 UTC (1h 10m)": the live summary's window, the history loaded at start-up and everything since. */
function liveWindowText(liveFrom: number | undefined, now: number, zone: DisplayZone): string {
  if (liveFrom === undefined) return "live: since busdeck started";
  return `live: since ${formatUtc(liveFrom, zone)} (${formatDuration(now - liveFrom)})`;
}

function rangeWindowText(
  range: { from: string; to: string } | undefined,
  summary: OutcomeRangeSummary | undefined,
  zone: DisplayZone,
): string {
  if (!range || !summary) return "range: loading…";
  const text = `range: ${formatUtc(range.from, zone)} → ${formatUtc(range.to, zone)}`;
  return summary.complete ? text : `${text} · partly counted: a raw part was larger than one scan`;
}

function HistoryNote({ stats }: { stats: OutcomeStats | null | undefined }) {
  const zone = useDisplayZone();
  const h = stats?.history;
  if (!h || h.mode === "pending") return <StatusPill tone="neutral" label="connecting" testId="history-status" />;
  if (h.mode === "live_only")
    return (
      <span className={styles.headStatus}>
        <StatusPill tone="warn" label="live only" title={h.reason} testId="history-status" />
        <span className="warn-text">{h.reason}</span>
      </span>
    );
  return (
    <span className={styles.headStatus}>
      <StatusPill tone={h.loading ? "info" : "ok"} label={h.loading ? "loading history" : "history"} testId="history-status" />
      <span className="muted tabular">
        stream {h.stream} · since {formatUtc(h.loaded_from, zone)}
        {!h.loading &&
          ` · ${formatCount(h.loaded_count)} replayed${h.rolled_up > 0 ? ` + ${formatCount(h.rolled_up)} from per-minute rollups` : ""}${h.load_ms !== null ? ` in ${formatCount(h.load_ms)} ms` : ""}`}
      </span>
    </span>
  );
}

/**
 * Hands the view the live feed rows at most every `everyMs`. A component of its own because the cache changes
 * with every SSE flush: subscribed here, a flush re-renders this (nothing) rather than the whole view.
 */
function LiveRowsSource({ everyMs, onRows }: { everyMs: number; onRows: (rows: OutcomeRow[] | null | undefined) => void }) {
  const rows = useThrottled(useLiveTopic("outcome_rows").data, everyMs);
  useEffect(() => onRows(rows), [rows, onRows]);
  return null;
}

/**
 * Clock- and SSE-dependent markup renders only after hydration: the stream can fill the cache before this
 * boundary hydrates, and a server/client mismatch (React #418) would throw the page's markup away.
 */
export function OutcomesView() {
  const hydrated = useHydrated();
  if (!hydrated) {
    return (
      <div className="page-head">
        <h1>Reflex outcomes</h1>
      </div>
    );
  }
  return <LiveOutcomesView />;
}

function LiveOutcomesView() {
  const zone = useDisplayZone();
  const { filter: urlFilter, ignored: badSyntax, patchFilter } = useOutcomeFilter();
  const stats = useLiveTopic("outcome_stats").data;
  // Groups, handlers and the chart redraw once a second at most: a redraw per update would keep the main thread
  // busy (docs/benchmarks.md, Outcome view frames); their ages' clock ticks with the same sample.
  const { value: slowStats, now } = useSampledWithClock(stats, 1_000);
  // The feed at most 4×/s: each SSE flush re-merges and re-sorts it, and nobody reads rows faster.
  const qc = useQueryClient();
  const [live, setLive] = useState(() => qc.getQueryData<OutcomeRow[] | null>(queryKeys.live("outcome_rows")));
  // The per-minute timeline changes only in its last bar between minutes: redrawing the chart (recharts, the
  // most expensive render on the page) every 5 s is plenty.
  const chartStats = useThrottled(slowStats, 5_000);
  const timeRange = useTimeRange().range;
  const minute = Math.floor(now / 60_000) * 60_000;
  // A handler or kind no outcome names (a typo, a retired handler) is named and ignored rather than shown as an
  // empty feed. Judged on the live view only: the summary knows the recent handlers, not every one in a past range.
  const judgesValues = timeRange.kind === "live" && timeRange.last === null && !urlFilter.to;
  const known = useMemo(() => (judgesValues && slowStats ? knownOutcomeValues(slowStats) : null), [judgesValues, slowStats]);
  const judged = useMemo(() => ignoreUnknownOutcomeValues(urlFilter, known), [urlFilter, known]);
  const ignored = [...badSyntax, ...judged.ignored];
  const filter = useMemo(() => effectiveOutcomeFilter(judged.filter, timeRange, minute), [judged.filter, timeRange, minute]);
  const ranged = Boolean(filter.to);
  // Unfiltered and open-ended, the chart is the live summary's: the query only fills the feed with stored records.
  const useLiveTimeline = !ranged && isFilterEmpty(filter);
  const query = useOutcomeQuery(filter, { timeline: !useLiveTimeline });
  const [timelineMode, setTimelineMode] = useState<TimelineMode>("severity");

  // Stored records as the feed's rows, once per query result (the live ones arrive as rows).
  const stored = useMemo(() => query.data?.records.map(toOutcomeRow) ?? [], [query.data]);
  const records = useMemo<OutcomeRow[]>(() => (ranged ? stored : mergeFeed(live ?? [], stored, filter)), [ranged, stored, live, filter]);

  // Pausing freezes what is shown; the cache keeps filling, and the count says how much is waiting.
  const [frozen, setFrozen] = useState<OutcomeRow[] | null>(null);
  const filterKey = outcomeFilterToSearch(filter);
  useEffect(() => setFrozen(null), [filterKey]);
  const shown = frozen ?? records;
  const newCount = frozen ? countNewSince(records, frozen[0]?.id) : 0;
  // Target and event values no summary knows ahead: kept, and named when nothing matches them.
  const unmatched = !query.isLoading && shown.length === 0 ? unmatchedOutcomeValues(filter) : null;
  const onPause = useCallback((p: boolean) => setFrozen(p ? records : null), [records]);

  const onGroup = useCallback(
    (g: ErrorGroup) => patchFilter({ handler: g.handler_id, kind: "errored", exception: g.exception }),
    [patchFilter],
  );
  const onHandler = useCallback((h: string | undefined) => patchFilter({ handler: h }), [patchFilter]);
  const onZoom = useCallback(
    (from: number, to: number) => patchFilter({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }),
    [patchFilter],
  );

  const timeline = useLiveTimeline ? (chartStats?.timeline ?? NO_BUCKETS) : (query.data?.timeline ?? NO_BUCKETS);
  const timelineTitle = useLiveTimeline
    ? "all outcomes, last hour, per minute (live)"
    : `matching outcomes, ${formatUtc(query.data?.range.from ?? null, zone)} → ${ranged ? formatUtc(query.data?.range.to ?? null, zone) : "now"}`;
  // A picked range (fixed or trailing): header, groups and handler table are the range's summary, not the live one.
  const picked = Boolean(filter.from || filter.to);
  const rangeSummary = picked ? query.data?.summary : undefined;
  const panelStats = picked ? rangeSummary?.stats : slowStats;
  const liveFrom = liveWindowStart(stats);
  const handlers = useMemo(() => Object.values(panelStats?.handlers ?? {}), [panelStats]);
  const scope = picked ? "in this range" : "live window";
  // Built once per summary update, so the memoized groups panel is not redrawn for every feed flush.
  const groupsExport = useMemo(
    () => (
      <>
        <PanelPng panel="Error groups" selector="[data-testid=error-groups]" liveFrom={picked ? undefined : liveFrom} />
        <ExportMenu
          columns={ERROR_GROUP_COLUMNS}
          rows={() => panelStats?.groups ?? []}
          meta={{ view: "error-groups", filters: {}, range: query.data && picked ? query.data.range : liveRangeIso(liveFrom, now) }}
          testId="error-groups-export"
        />
      </>
    ),
    [panelStats, picked, query.data, liveFrom, now],
  );
  const selectedHandler = filter.handler ? panelStats?.handlers[filter.handler] : undefined;
  const handlerIds = useMemo(() => handlers.map((h) => h.handler_id), [handlers]);
  const groupSelection = useMemo(() => ({ handler: filter.handler, exception: filter.exception }), [filter.handler, filter.exception]);
  // The exception filter offers the groups of the chosen handler (all handlers' when none is chosen).
  const exceptions = useMemo(
    () => [
      ...new Set(
        (panelStats?.groups ?? NO_GROUPS).filter((g) => !filter.handler || g.handler_id === filter.handler).map((g) => g.exception),
      ),
    ],
    [panelStats, filter.handler],
  );
  const kinds = useMemo(() => [...new Set(handlers.flatMap((h) => Object.keys(h.kinds)))], [handlers]);
  const liveMatches = useMemo(() => (ranged ? 0 : filterOutcomes(live ?? [], filter).length), [ranged, live, filter]);

  return (
    <>
      <div className="page-head">
        <h1>Reflex outcomes</h1>
        <span className="sub tabular" data-testid="outcome-total">
          {formatCount((picked ? rangeSummary?.stats : stats)?.total ?? 0)} outcomes {picked ? "in range" : "seen"}
        </span>
        <span className="sub tabular">{formatCount((picked ? rangeSummary?.stats : stats)?.malformed ?? 0)} malformed</span>
        <span className="sub tabular" data-testid="outcome-window">
          {picked ? rangeWindowText(query.data?.range, rangeSummary, zone) : liveWindowText(liveFrom, now, zone)}
        </span>
        <HistoryNote stats={stats} />
      </div>
      {ignored.length > 0 && <IgnoredParam problem={ignored.join("; ")} testId="outcomes-url-error" />}

      <ErrorGroups
        groups={panelStats?.groups ?? NO_GROUPS}
        now={now}
        selected={groupSelection}
        onSelect={onGroup}
        actions={groupsExport}
        scope={scope}
        live={!picked}
      />

      <div className={`${styles.twoCol} ${styles.handlersAndTimeline}`}>
        <HandlerSummaryTable handlers={handlers} now={now} selected={filter.handler} onSelect={onHandler} scope={scope} />
        <OutcomeTimelineChart
          buckets={timeline}
          title={timelineTitle}
          entity={urlFilter.handler ? { kind: "handler", parts: [urlFilter.handler] } : undefined}
          onZoom={onZoom}
          mode={timelineMode}
          onMode={setTimelineMode}
        />
      </div>

      {selectedHandler && (
        <ChartHandlerLatency
          handlerId={selectedHandler.handler_id}
          points={selectedHandler.latency_series}
          axis={lastHourAxis(panelStats?.computed_at ? Date.parse(panelStats.computed_at) : now)}
          note={`duration_ms per minute, last hour of the ${picked ? "range" : "live window"} · whole range on the handler's page`}
        />
      )}

      <section className={styles.section}>
        <LiveRowsSource everyMs={250} onRows={setLive} />
        <div className={styles.sectionHead}>
          <h2>{ranged ? "Outcomes in range" : "Live feed"}</h2>
          <span className="hint">
            newest first
            {query.data?.truncated
              ? ` · range larger than one scan: showing its newest ${formatCount(query.data.scanned ? query.data.scanned.to_seq - query.data.scanned.from_seq + 1 : 0)} stored`
              : ""}
            {query.data?.source === "live" ? " · live only: no history stream" : ""}
            {query.isError ? ` · history query failed: ${(query.error as Error).message}` : ""}
            {!ranged ? ` · ${formatCount(liveMatches)} live in browser` : ""}
          </span>
          {/* The range query the view runs, at the API's largest page: every stored match, not just those on screen. */}
          <PanelPng panel="Feed" />
          <ExportMenu
            columns={OUTCOME_COLUMNS}
            rows={() => fetchOutcomesForExport(filter)}
            meta={{
              view: "outcomes",
              filters: exportFilters(filter),
              range: query.data?.range ?? rangeIso(resolveTimeRange(LIVE, minute, 3600_000)),
            }}
            testId="outcomes-export"
          />
        </div>
        <OutcomeFilters
          filter={urlFilter}
          handlers={handlerIds}
          kinds={kinds}
          exceptions={exceptions}
          onChange={patchFilter}
          paused={frozen !== null}
          newCount={newCount}
          onPause={onPause}
          shown={shown.length}
          now={now}
        />
        {unmatched && <IgnoredParam lead="No match for a URL filter" problem={unmatched} testId="outcomes-no-match" />}
        <OutcomeFeed
          records={shown}
          emptyText={query.isLoading ? "Loading…" : isFilterEmpty(filter) ? "No outcomes yet." : "No outcomes match these filters."}
        />
      </section>
    </>
  );
}
