"use client";
import { useMemo } from "react";
import { StatusPill } from "@/components/ui/status-pill";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useNow } from "@/components/ui/use-now";
import type { FindingsSnapshot } from "@/lib/findings/finding";
import { evaluatedText, type OverviewFirstScreen } from "@/lib/findings/overview";
import { TIMELINE_BUCKET_MS, groupByArea, shapeTimeline, snapshotEvents, worstSeverity, type TimelineEvent } from "@/lib/findings/triage";
import { formatCount } from "@/lib/format";
import { FindingsTimelineChart } from "./chart-findings-timeline";
import { FindingsByArea } from "./findings-by-area";
import { ResolvedFindings } from "./resolved-findings";
import { SEVERITY_TONE } from "./severity-pill";
import { useFindings, useViewsHealth } from "./use-findings";
import { ViewsHealthCards } from "./views-health";
import styles from "./overview.module.css";

const NO_HISTORY: TimelineEvent[] = [];

/**
 * The page on-call lands on: open findings worst first, grouped by area, each with its evidence and a link to the
 * page that explains it; the last 24 h of findings; the views' counts. `initial` is the server's render of it.
 */
export function Overview({ initial }: { initial?: OverviewFirstScreen }) {
  const findings = useFindings(initial?.findings);
  const health = useViewsHealth(initial?.health);
  const hydrated = useHydrated();
  const clock = useNow();
  // ages read as of the server's render until hydrated, so the server's markup and hydration's are the same
  const now = hydrated ? clock : (initial?.now ?? clock);
  const groups = useMemo(() => groupByArea(findings?.open ?? []), [findings]);
  const history = initial?.history ?? NO_HISTORY;
  const events = useMemo(() => (findings ? [...history, ...snapshotEvents(findings)] : history), [history, findings]);
  // the strip moves on when the clock enters a new quarter hour, not every second
  const bucketStart = Math.floor(now / TIMELINE_BUCKET_MS) * TIMELINE_BUCKET_MS;
  const timeline = useMemo(() => shapeTimeline(events, bucketStart), [events, bucketStart]);
  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
        <FindingsStatus findings={findings} now={now} />
      </div>
      <ViewsHealthCards health={health} />
      <div className={styles.body}>
        {groups.length > 0 ? <FindingsByArea groups={groups} now={now} /> : <AllClear findings={findings} now={now} />}
        <FindingsTimelineChart timeline={timeline} />
        <ResolvedFindings resolved={findings?.resolved ?? []} />
      </div>
    </>
  );
}

/** One line beside the title: how many findings are open and how bad, and how fresh the judgement is. */
function FindingsStatus({ findings, now }: { findings: FindingsSnapshot | null; now: number }) {
  if (!findings || findings.status === "initializing")
    return <StatusPill tone="neutral" label="findings: waiting for the first evaluation" sentence testId="findings-status" />;
  const worst = worstSeverity(findings.open);
  const evaluated = evaluatedText(findings.evaluated_at, now);
  const open = findings.open.length;
  const label = worst ? `${formatCount(open)} open finding${open === 1 ? "" : "s"} · worst ${worst}` : `no open findings`;
  return (
    <span className="tabular" role="status" aria-live="off">
      <StatusPill tone={worst ? SEVERITY_TONE[worst] : "ok"} label={label} sentence testId="findings-status" />{" "}
      <span className={evaluated.stale ? "warn-text" : "muted"} data-testid="findings-evaluated">
        {evaluated.text}
      </span>
    </span>
  );
}

/** Nothing wrong, said plainly; or, before the first evaluation, that nothing is known yet. */
function AllClear({ findings, now }: { findings: FindingsSnapshot | null; now: number }) {
  if (!findings || findings.status === "initializing")
    return (
      <p className={`panel ${styles.allClear} muted`} data-testid="overview-waiting">
        Findings are not evaluated yet: the first sample is still being taken.
      </p>
    );
  return (
    <p className={`panel ${styles.allClear}`} data-testid="overview-all-clear">
      <StatusPill tone="ok" label="ok" /> No open findings · {evaluatedText(findings.evaluated_at, now).text}
    </p>
  );
}
