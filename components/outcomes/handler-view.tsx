"use client";
/**
 * One handler over the URL's range: its counts and flags with their evidence, p50/p95/p99 and its latency over
 * the whole range, its outcomes over time, its error groups and its newest outcomes.
 */
import { useMemo, useState } from "react";
import Link from "@/components/ui/range-link";
import { IgnoredParam } from "@/components/ui/ignored-param";
import { MissingResource } from "@/components/ui/missing-resource";
import { PanelPng } from "@/components/ui/panel-png";
import { StatCard } from "@/components/ui/stat-card";
import { StatusPill } from "@/components/ui/status-pill";
import { ApiError } from "@/components/ui/api-response";
import { useDisplayZone } from "@/components/ui/display-zone";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useNow } from "@/components/ui/use-now";
import { useTimeRange } from "@/components/ui/use-time-range";
import { formatAge, formatCount, formatDuration, formatUtc } from "@/lib/format";
import { links } from "@/lib/links";
import { outcomeFilterToSearch } from "@/lib/outcomes/filter";
import { erroredShare } from "@/lib/outcomes/handler-detail";
import { formatLatency } from "@/lib/outcomes/latency";
import { toOutcomeRow, type HandlerSummary } from "@/lib/outcomes/outcome";
import { describeSilence } from "@/lib/outcomes/silence";
import { OutcomeTimelineChart, type TimelineMode } from "./chart-outcome-timeline";
import { ChartHandlerLatency } from "./chart-handler-latency";
import { ErrorGroups } from "./error-groups";
import { OutcomeFeed } from "./outcome-feed";
import styles from "./outcomes.module.css";
import { effectiveOutcomeFilter, useHandlerDetail, useOutcomeFilter } from "./use-outcomes";

export function HandlerView({ handler }: { handler: string }) {
  // Clock-dependent markup after hydration only (see OutcomesView).
  const hydrated = useHydrated();
  if (!hydrated)
    return (
      <div className="page-head">
        <h1>{handler}</h1>
      </div>
    );
  return <LiveHandlerView handler={handler} />;
}

/** "3 min", "2 h", "1 d": a chart bucket's width. */
const bucketText = (ms: number) =>
  ms < 3_600_000 ? `${ms / 60_000} min` : ms < 86_400_000 ? `${ms / 3_600_000} h` : `${ms / 86_400_000} d`;

const pct = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`);

function LiveHandlerView({ handler }: { handler: string }) {
  const zone = useDisplayZone();
  const now = useNow(1_000);
  const { filter: urlFilter, ignored, patchFilter } = useOutcomeFilter();
  const timeRange = useTimeRange().range;
  const minute = Math.floor(now / 60_000) * 60_000;
  const filter = useMemo(
    () => effectiveOutcomeFilter({ from: urlFilter.from, to: urlFilter.to }, timeRange, minute),
    [urlFilter.from, urlFilter.to, timeRange, minute],
  );
  const q = useHandlerDetail(handler, filter);
  const [mode, setMode] = useState<TimelineMode>("severity");
  const d = q.data;
  const crumbs = (
    <div className={styles.crumbs}>
      <Link href={links.outcomes()}>Reflex outcomes</Link> / handler
    </div>
  );
  const bad = ignored.length > 0 && <IgnoredParam problem={ignored.join("; ")} testId="handler-url-error" />;
  if (!d) {
    if (q.error instanceof ApiError && q.error.status === 404)
      return (
        <>
          {crumbs}
          <MissingResource
            reason={`No outcome of handler "${handler}" is stored or in the live summary`}
            next={{ href: links.outcomes(), label: "see the handlers in Reflex outcomes" }}
            testId="handler-missing"
          />
        </>
      );
    return (
      <>
        {crumbs}
        {bad}
        <p className={q.isError ? "bad-text" : "muted"} data-testid="handler-status">
          {q.isError ? (q.error as Error).message : "Loading handler…"}
        </p>
      </>
    );
  }
  const s = d.summary;
  const rangeText = `${formatUtc(d.range.from, zone)} → ${formatUtc(d.range.to, zone)}`;
  const zoom = (from: number, to: number) => patchFilter({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  return (
    <div data-testid="handler-page">
      {crumbs}
      {bad}
      <div className={styles.detailHead}>
        <h1 data-testid="handler-name">{handler}</h1>
        <PanelPng
          panel="Drill-down"
          entity={{ kind: "handler", parts: [handler] }}
          selector="[data-testid=handler-page]"
          testId="png-handler"
        />
        <Flags s={s} />
        <span className="muted tabular" data-testid="handler-range">
          range {rangeText} ({formatDuration(Date.parse(d.range.to) - Date.parse(d.range.from))})
          {d.complete ? "" : " · partly counted: a raw part of the range was larger than one scan"}
          {d.source === "live" ? " · live only: no history stream" : ""}
        </span>
      </div>
      <Evidence s={s} />
      <Counts s={s} now={now} />
      <div className={styles.twoCol}>
        <ChartHandlerLatency
          handlerId={handler}
          points={d.latency.points}
          axis={d.latency}
          note={`p50/p95/p99 of duration_ms per ${bucketText(d.latency.bucket_ms)}, whole range`}
        />
        <OutcomeTimelineChart
          buckets={d.timeline}
          title="outcomes of this handler over the range"
          entity={{ kind: "handler", parts: [handler] }}
          onZoom={zoom}
          mode={mode}
          onMode={setMode}
        />
      </div>
      <ErrorGroups groups={d.groups} now={now} scope="in this range" live={false} />
      <section className={styles.section}>
        <div className={styles.sectionHead}>
          <h2>Outcomes of this handler</h2>
          <span className="hint">
            newest first · {formatCount(d.records.length)} of {formatCount(d.matched)} listed
            {d.truncated ? " · range larger than one scan: its newest part" : ""}
          </span>
          <Link href={links.outcomes(outcomeFilterToSearch({ handler }))}>open in the feed →</Link>
        </div>
        <OutcomeFeed records={d.records.map(toOutcomeRow)} emptyText="No outcome of this handler in the range." />
      </section>
    </div>
  );
}

function Flags({ s }: { s: HandlerSummary | null }) {
  if (!s) return <StatusPill tone="neutral" label="none in range" testId="handler-state" />;
  const flags = [
    s.flagged && <StatusPill key="err" tone="bad" label="errors ↑" testId="handler-flag" />,
    s.latency_jump && <StatusPill key="lat" tone="warn" label="p95 ↑" testId="handler-latency-flag" />,
    s.silent && <StatusPill key="silent" tone="warn" label="silent" testId="handler-silent-flag" />,
  ].filter(Boolean);
  return flags.length > 0 ? <>{flags}</> : <StatusPill tone="ok" label="no flags" testId="handler-state" />;
}

/** Each flag's evidence in words, as of the range's end. */
function Evidence({ s }: { s: HandlerSummary | null }) {
  if (!s || !(s.flagged || s.latency_jump || s.silent)) return null;
  return (
    <ul className={`${styles.evidence} warn-text`} data-testid="handler-evidence">
      {s.flagged && (
        <li>
          errors ↑: errored {pct(s.recent_errored_ratio)} in the last 5 min vs {pct(s.baseline_errored_ratio)} in the 10 min before
        </li>
      )}
      {s.latency_jump && (
        <li>
          p95 ↑: {formatLatency(s.latency_jump.recent_p95)} over the last 5 min ({formatCount(s.latency_jump.recent_count)} durations) vs{" "}
          {formatLatency(s.latency_jump.baseline_p95)} in the hour before ({formatCount(s.latency_jump.baseline_count)})
        </li>
      )}
      {s.silent && <li>{describeSilence(s.silent)}</li>}
    </ul>
  );
}

/** The range's counts and p50/p95/p99: zeros and dashes when the handler had no outcome in it. */
function Counts({ s, now }: { s: HandlerSummary | null; now: number }) {
  const zone = useDisplayZone();
  const kinds = Object.entries(s?.kinds ?? {})
    .filter(([k]) => k !== "errored")
    .sort((a, b) => b[1] - a[1]);
  const q = s?.latency ?? null;
  return (
    <div className={`${styles.facts} ${styles.handlerFacts}`} data-testid="handler-counts">
      <StatCard size="small" label="Outcomes" value={formatCount(s?.total ?? 0)} testId="handler-total" />
      <StatCard
        size="small"
        label="Errored"
        value={formatCount(s?.errored ?? 0)}
        sub={`${pct(s ? erroredShare(s) : null)} of valid`}
        testId="handler-errored"
      />
      <StatCard
        size="small"
        label="Other kinds"
        value={kinds.length === 0 ? "—" : kinds.map(([k, n]) => `${k} ${formatCount(n)}`).join(" · ")}
        testId="handler-kinds"
      />
      <StatCard size="small" label="Malformed" value={formatCount(s?.malformed ?? 0)} testId="handler-malformed" />
      <StatCard
        size="small"
        label="p50"
        value={formatLatency(q?.p50)}
        sub={q ? `${formatCount(q.count)} durations` : "no durations"}
        testId="handler-p50"
      />
      <StatCard size="small" label="p95" value={formatLatency(q?.p95)} testId="handler-p95" />
      <StatCard size="small" label="p99" value={formatLatency(q?.p99)} testId="handler-p99" />
      <StatCard
        size="small"
        label="Last outcome"
        value={formatUtc(s?.last_at ?? null, zone)}
        sub={s?.last_at ? formatAge(s.last_at, now) : undefined}
        testId="handler-last"
      />
    </div>
  );
}
