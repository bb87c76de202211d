"use client";
import { PanelPng } from "@/components/ui/panel-png";
import { useCallback, useMemo } from "react";
import { useLiveTopic } from "@/components/live/use-live-events";
import { useUrlState } from "@/components/ui/use-url-state";
import { rangeIso, TIME_RANGE_KEYS } from "@/lib/time/range";
import { ExportMenu } from "@/components/ui/export-menu";
import { FAILOVER_COLUMNS } from "@/lib/review/export/tables";
import { useHydrated } from "@/components/ui/use-hydrated";
import { StatusPill } from "@/components/ui/status-pill";
import {
  failoverViewStateToSearch,
  parseFailoverViewState,
  RANGE_PRESETS,
  resolveWindow,
  type RangePreset,
} from "@/lib/failover/search-params";
import { binIndex, EMPTY_KEY_TIMELINE, entriesBetween, windowFigures, type WindowFigures } from "@/lib/failover/transition-index";
import { formatCount, formatDuration, formatUtc } from "@/lib/format";
import { ChartFailoverOverview } from "./chart-failover-overview";
import { ChartHolderTimeline, ChartLeaderTimeline } from "./chart-holder-timeline";
import { LazyVisible } from "./lazy-visible";
import { JetStreamLeadersLive } from "./jetstream-leaders";
import { SingletonCard } from "./singleton-card";
import { TransitionsTable } from "./transitions-table";
import { useNow } from "@/components/ui/use-now";
import { useFailoverTimeline } from "./use-failover-timeline";
import { useServerClockOffset } from "./use-server-clock";
import styles from "./failover.module.css";
import { useDisplayZone } from "@/components/ui/display-zone";

const NO_FIGURES: WindowFigures = { failovers: 0, leaderless_ms: 0, max_gap_ms: null };

/** Who holds each singleton lock, how healthy the lease is, and every failover on a shared timeline. */
export function FailoverView() {
  const zone = useDisplayZone();
  // range/from/to are the shared time range (lib/time/range.ts): this view reads and writes the same keys.
  const [params, setParams] = useUrlState(parseFailoverViewState, failoverViewStateToSearch, TIME_RANGE_KEYS);
  const hydrated = useHydrated();
  const now = useNow();
  // Charts slide in 5 s steps (hundreds of timelines redrawn every second would starve the main thread); the
  // step is rounded up so the window always reaches the present and the counts agree with the cards.
  const chartNow = Math.ceil(now / 5_000) * 5_000;
  const win = resolveWindow(params, chartNow);
  const singletons = useLiveTopic("singletons").data;

  // The window on screen, and the trailing day for the cards' "last hour / last day" counts and alarms. Both
  // are sorted indexes that grow as transitions arrive; the clock only moves binary searches over them.
  const timeline = useFailoverTimeline(win.from, win.to, !win.zoomed);
  const day = useFailoverTimeline(now - 24 * 3600_000, now, true);
  const dayByKey = day.byKey;
  const windowByKey = timeline.byKey;
  const entries = useMemo(() => entriesBetween(timeline.index, win.from, win.to), [timeline.index, win.from, win.to]);
  const leaders = useMemo(() => entries.flatMap((e) => (e.source === "jetstream" ? [e.leader] : [])), [entries]);
  // Focusing one singleton keeps its transitions and every leader change (they may explain its failovers).
  const tableEntries = useMemo(
    () => entries.filter((e) => !params.key || e.source !== "lock" || e.transition.key === params.key),
    [entries, params.key],
  );
  const bins = useMemo(() => binIndex(timeline.index, win.from, win.to), [timeline.index, win.from, win.to]);
  // Per singleton, once per window step or new transition: shared by its card and its lane.
  const figures = useMemo(
    () => new Map([...windowByKey].map(([key, k]) => [key, windowFigures(k, win.from, win.to, chartNow)])),
    [windowByKey, win.from, win.to, chartNow],
  );
  // Leases are judged on the server's clock, against when the server sampled what the browser shows.
  const dataAt = singletons?.sampled_at ? Date.parse(singletons.sampled_at) : null;
  const serverNow = now - useServerClockOffset(singletons?.sampled_at);

  const zoom = useCallback(
    (from: number, to: number) => setParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }),
    [setParams],
  );
  const focus = useCallback((key: string | undefined) => setParams({ key }), [setParams]);
  const setRange = (range: RangePreset) => setParams({ range, from: undefined, to: undefined });
  const shown = (singletons?.singletons ?? []).filter((s) => !params.key || s.key === params.key);

  // Clock- and SSE-dependent markup differs between the server render and hydration (React #418): render it
  // only once hydrated, behind a header of the same shape.
  if (!hydrated) {
    return (
      <div className="page-head">
        <h1>Failover</h1>
        <span className="sub">loading…</span>
      </div>
    );
  }

  return (
    <>
      <div className="page-head">
        <h1>Failover</h1>
        <span className="sub">
          {singletons ? `${formatCount(singletons.singletons.length)} singletons` : "waiting for lock buckets…"}
          {singletons?.history.persisted &&
            ` · timeline recorded in ${singletons.history.stream} since ${formatUtc(singletons.history.oldest, zone)}`}
        </span>
        {singletons?.status === "degraded" && <StatusPill tone="warn" label="degraded" />}
        <span style={{ marginLeft: "auto" }}>
          <PanelPng
            panel="Singletons"
            entity={params.key ? { kind: "lock", parts: [params.key] } : undefined}
            selector="[data-testid=singleton-cards]"
            testId="png-singletons"
          />
        </span>
        {singletons?.errors.map((e, i) => (
          <span key={i} className="warn-text">
            {e.message}
          </span>
        ))}
      </div>

      <div className={styles.cards} data-testid="singleton-cards">
        {shown.map((s) => (
          <SingletonCard
            key={`${s.bucket}/${s.key}`}
            s={s}
            day={dayByKey.get(s.key) ?? EMPTY_KEY_TIMELINE}
            figures={figures.get(s.key) ?? NO_FIGURES}
            windowLabel={win.zoomed ? "zoomed" : `last ${params.range}`}
            now={serverNow}
            dataAt={dataAt}
            focused={params.key === s.key}
            onFocus={focus}
          />
        ))}
        {singletons && shown.length === 0 && (
          <div className="panel muted">
            No lock keys seen in {Object.keys(singletons.max_age_ms).join(", ") || "the configured buckets"} yet.
          </div>
        )}
      </div>

      <section className="panel">
        <div className="toolbar">
          <b>Timeline</b>
          <div className={styles.segmented} role="group" aria-label="range">
            {(Object.keys(RANGE_PRESETS) as RangePreset[]).map((r) => (
              <button
                key={r}
                type="button"
                className={`btn ${!win.zoomed && params.range === r ? styles.on : ""}`}
                onClick={() => setRange(r)}
                aria-pressed={!win.zoomed && params.range === r}
              >
                {r}
              </button>
            ))}
          </div>
          {win.zoomed && (
            <button type="button" className="btn" onClick={() => setRange(params.range)} data-testid="reset-zoom">
              reset zoom
            </button>
          )}
          <span className="muted tabular">
            {/* A zoomed window is the shell's fixed range, spelled out there; a live one is resolved here. */}
            {win.zoomed
              ? `${formatDuration(win.to - win.from)} · zoomed`
              : `${formatUtc(win.from, zone)} → ${formatUtc(win.to, zone)} (${formatDuration(win.to - win.from)}) · live`}
          </span>
          <PanelPng
            panel="Timeline"
            entity={params.key ? { kind: "lock", parts: [params.key] } : undefined}
            testId="png-failover-timeline"
          />
          {timeline.truncated && <span className="warn-text">window truncated to the newest 20,000 entries</span>}
          {timeline.error && <span className="warn-text">{timeline.error.message}</span>}
        </div>
        {/* Keyed by the window's identity (not its sliding start) so the brush resets on a new window only. */}
        <div className={styles.timelineRow}>
          <div className={styles.timelineLabel}>
            <b>All</b>
            <span className="muted tabular">{bins.reduce((n, b) => n + b.failovers + b.other + b.leaders, 0)} transitions</span>
          </div>
          <ChartFailoverOverview key={`${params.range}|${params.from}|${params.to}`} bins={bins} onZoom={zoom} />
        </div>
        <div className={styles.legend}>
          <span>
            <i className={styles.legendGap} /> gap in service (old holder&apos;s last renew → new holder&apos;s first write)
          </span>
          <span>
            <i style={{ borderColor: "var(--bad)" }} className={styles.legendLine} /> failover
          </span>
          <span>
            <i style={{ borderColor: "var(--info)" }} className={styles.legendLine} /> handover
          </span>
          <span>
            <i style={{ borderColor: "var(--muted)" }} className={`${styles.legendLine} ${styles.dashed}`} /> release
          </span>
          <span>
            <i style={{ borderColor: "var(--warn)" }} className={`${styles.legendLine} ${styles.dashed}`} /> expired / late renew
          </span>
        </div>
        {shown.map((s) => {
          const lane = windowByKey.get(s.key) ?? EMPTY_KEY_TIMELINE;
          const f = figures.get(s.key) ?? NO_FIGURES;
          return (
            <div key={`${s.bucket}/${s.key}`} className={styles.timelineRow} data-testid={`timeline-row-${s.key}`}>
              <div className={styles.timelineLabel}>
                <b>{s.key}</b>
                <span className="muted tabular">
                  {f.failovers} failovers
                  {f.max_gap_ms !== null ? ` · max gap ${formatDuration(f.max_gap_ms)}` : ""}
                </span>
                <span className="muted tabular" data-testid="lane-leaderless">
                  {formatDuration(f.leaderless_ms)} without a leader
                </span>
              </div>
              <LazyVisible height={74}>
                <ChartHolderTimeline keyName={s.key} timeline={lane} from={win.from} to={win.to} now={chartNow} />
              </LazyVisible>
            </div>
          );
        })}
        <div className={styles.timelineRow}>
          <div className={styles.timelineLabel}>
            <b>JetStream</b>
            <span className="muted tabular">{leaders.length} leader changes</span>
          </div>
          <ChartLeaderTimeline events={leaders} from={win.from} to={win.to} />
        </div>
        <div className={styles.leadersRow}>
          <span className="muted">Current leaders:</span> <JetStreamLeadersLive />
        </div>
      </section>

      <div className="toolbar">
        <h2 className={styles.h2}>Transitions in the window</h2>
        <span style={{ marginLeft: "auto" }}>
          <PanelPng panel="Transitions" selector="[data-testid=transitions-table]" />{" "}
          <ExportMenu
            columns={FAILOVER_COLUMNS}
            rows={() => tableEntries}
            meta={{ view: "failovers", filters: { key: params.key ?? "" }, range: rangeIso({ ...win, live: !win.zoomed }) }}
            testId="failovers-export"
          />
        </span>
      </div>
      <TransitionsTable entries={tableEntries} />
    </>
  );
}
