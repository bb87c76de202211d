"use client";
import { useCallback, useDeferredValue, useMemo, useRef } from "react";
import { useTypedFilter } from "@/components/ui/use-typed-filter";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useLiveTopic } from "@/components/live/use-live-events";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useUrlState } from "@/components/ui/use-url-state";
import { useHeldOrder } from "@/components/ui/use-held-order";
import { ResortNote } from "@/components/ui/resort-note";
import { IgnoredParam } from "@/components/ui/ignored-param";
import { ShowInternalToggle } from "@/components/ui/show-internal";
import { useDisplayZone } from "@/components/ui/display-zone";
import banner from "@/components/ui/warning-banner.module.css";
import { formatCount } from "@/lib/format";
import type { ClosedConnectionRow, ConnectionRow } from "@/lib/bus/connections";
import { splitConnections, type BusConnectionsMeta } from "@/lib/bus/connections-topic";
import {
  connectionHaystack,
  connectionsViewStateToSearch,
  listedConnections,
  parseConnectionsViewState,
  selectConnections,
  type ConnectionSort,
  type ConnectionsList,
} from "@/lib/bus/connections-search";
import { BusTabs } from "./bus-tabs";
import { BusConfigureBanner, BusSampleNote } from "./bus-sample-state";
import { CONNECTION_COLUMNS, CONNECTION_ROW_HEIGHT, ConnectionRowView } from "./connection-row";
import { SlowConsumersPanel } from "./slow-consumers-panel";
import styles from "./bus.module.css";
import { EmptyRow } from "@/components/ui/empty-row";
import { SortableHead } from "@/components/ui/sortable-head";

type AnyRow = ConnectionRow | ClosedConnectionRow;

const LISTS: { list: ConnectionsList; label: string }[] = [
  { list: "open", label: "Open" },
  { list: "closed", label: "Closed" },
  { list: "slow", label: "Closed as slow consumers" },
];

/** The bus's top connections and its latest closed ones, with the slow consumers by client: /bus/connections. */
export function ConnectionsView() {
  const live = useLiveTopic("bus_connections").data;
  const topic = useHydrated() ? live : undefined;
  const snap = topic?.meta;
  const zone = useDisplayZone();
  const [state, setState] = useUrlState(parseConnectionsViewState, connectionsViewStateToSearch);
  const now = snap?.sampled_at ? Date.parse(snap.sampled_at) : 0;
  const topicRows = topic?.items;
  const { open, closed } = useMemo(() => (topicRows ? splitConnections(topicRows) : NO_LISTS), [topicRows]);
  const counts = useMemo(
    () =>
      Object.fromEntries(LISTS.map(({ list }) => [list, listedConnections(list, open, closed, state.own).rows.length])) as Record<
        ConnectionsList,
        number
      >,
    [open, closed, state.own],
  );
  const { rows: listed, internal } = useMemo(
    () => listedConnections(state.view, open, closed, state.own),
    [state.view, open, closed, state.own],
  );
  const haystack = useHaystacks();
  // The box filters at once (deferred, so typing stays ahead of the table); the URL follows when typing pauses.
  const writeQuery = useCallback((q: string) => setState({ q }), [setState]);
  const [typed, setTyped] = useTypedFilter(state.q, writeQuery);
  const q = useDeferredValue(typed);
  const selected = useMemo(() => selectConnections(listed, { ...state, q }, now, haystack), [listed, state, q, now, haystack]);
  const order = useHeldOrder(selected, rowKey, `${state.view}|${state.sort}|${state.dir}|${q}|${state.own}`);
  const rows = order.rows;
  const columns = CONNECTION_COLUMNS.filter((c) => !c.closed || state.view !== "open");
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => CONNECTION_ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - items[items.length - 1]!.end : 0;
  const toggleSort = (sort: ConnectionSort) =>
    setState(state.sort === sort ? { dir: state.dir === "asc" ? "desc" : "asc" } : { sort, dir: sort === "name" ? "asc" : "desc" });
  const troubled = snap?.servers.filter((s) => s.state !== "up") ?? [];

  return (
    <>
      <BusTabs />
      <div className="page-head">
        <h1>Connections</h1>
        {snap?.source && (
          <span className="sub" data-testid="bus-connections-summary">
            {summaryLine(snap, open.length)}
          </span>
        )}
        <BusSampleNote snap={snap} />
      </div>
      <BusConfigureBanner snap={snap} what="connection" />
      {troubled.length > 0 && (
        <div className={banner.banner} role="status" data-testid="bus-connections-stale">
          {troubled.map((s) => `${s.name} ${s.state}: ${s.error ?? "no answer"}`).join(" · ")} — its last rows are shown.
        </div>
      )}
      {state.ignored.length > 0 && <IgnoredParam problem={state.ignored.join("; ")} testId="bus-connections-url-error" />}
      {!snap?.configure && (
        <>
          <SlowConsumersPanel clients={snap?.slow_consumers ?? []} now={now} zone={zone} />
          <div className="toolbar">
            <input
              type="search"
              placeholder="Filter: name, address, account, client"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              aria-label="Filter connections"
              data-testid="bus-connections-filter"
              style={{ width: 300 }}
            />
            <div className="seg" role="group" aria-label="Connections to list">
              {LISTS.map((l) => (
                <button
                  key={l.list}
                  type="button"
                  aria-pressed={state.view === l.list}
                  onClick={() => setState({ view: l.list })}
                  data-testid={`bus-connections-list-${l.list}`}
                >
                  {l.label} ({formatCount(counts[l.list])})
                </button>
              ))}
            </div>
            <ShowInternalToggle
              count={internal}
              checked={state.own}
              onChange={(own) => setState({ own })}
              title="busdeck's own connections (every replica's, and its system-account one)"
              testId="bus-connections-show-internal"
            />
            <span className="muted tabular" data-testid="bus-connections-shown">
              {rows.length !== listed.length ? `${formatCount(rows.length)} of ${formatCount(listed.length)} shown` : ""}
            </span>
          </div>
          <div {...order.zoneProps}>
            <ResortNote held={order.held} moved={order.moved} onApply={order.applyNow} testId="bus-connections-resort" />
            <div className={styles.connScroller} ref={scroller} tabIndex={0} role="region" aria-label="Connections table">
              <table className="data" data-testid="bus-connections-table">
                <SortableHead
                  columns={columns}
                  sort={state.sort}
                  dir={state.dir}
                  onSort={toggleSort}
                  testIdPrefix="bus-connections-sort-"
                />
                <tbody>
                  {padTop > 0 && <tr style={{ height: padTop }} aria-hidden />}
                  {items.map((vi) => (
                    <ConnectionRowView key={rows[vi.index]!.key} row={rows[vi.index]!} now={now} zone={zone} />
                  ))}
                  {padBottom > 0 && <tr style={{ height: padBottom }} aria-hidden />}
                  {rows.length === 0 && (
                    <EmptyRow columns={columns.length}>
                      {!snap || snap.samples === 0 ? "Waiting for the first sample…" : listed.length ? "No connection matches." : "None."}
                    </EmptyRow>
                  )}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
    </>
  );
}

const NO_LISTS: { open: ConnectionRow[]; closed: ClosedConnectionRow[] } = { open: [], closed: [] };
const rowKey = (r: AnyRow) => r.key;

/** Each row's lowercased filter text, built once per row object: a keystroke only scans strings. */
function useHaystacks(): (r: AnyRow) => string {
  return useMemo(() => {
    const cache = new WeakMap<AnyRow, string>();
    return (r: AnyRow) => {
      let text = cache.get(r);
      if (text === undefined) cache.set(r, (text = connectionHaystack(r)));
      return text;
    };
  }, []);
}

function summaryLine(snap: BusConnectionsMeta, openListed: number): string {
  const total = snap.servers.reduce((n, s) => n + (s.open_total ?? 0), 0);
  const servers = snap.servers.length;
  const listed = total > openListed ? ` (top ${formatCount(openListed)} listed)` : "";
  return `${formatCount(total)} open${listed} on ${formatCount(servers)} server${servers === 1 ? "" : "s"} · ${formatCount(snap.slow_consumers.length)} slow-consumer client${snap.slow_consumers.length === 1 ? "" : "s"}`;
}
