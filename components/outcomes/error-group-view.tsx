"use client";
import { PanelPng } from "@/components/ui/panel-png";
/**
 * One error group over the URL's range: how often and since when, on which targets, with which values, its
 * newest tracebacks side by side with what differs in their event payloads, and the group's outcomes.
 */
import Link from "@/components/ui/range-link";
import { useMemo, useState } from "react";
import { StatCard } from "@/components/ui/stat-card";
import { StatusPill } from "@/components/ui/status-pill";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useNow } from "@/components/ui/use-now";
import { useTimeRange } from "@/components/ui/use-time-range";
import { useDisplayZone } from "@/components/ui/display-zone";
import { formatAge, formatCount, formatUtc } from "@/lib/format";
import { links } from "@/lib/links";
import { outcomeFilterToSearch } from "@/lib/outcomes/filter";
import { LATEST_SIDE_BY_SIDE, payloadDifferences, type ErrorGroupDetail } from "@/lib/outcomes/error-group";
import { GROUP_ACTIVE_MS } from "@/lib/outcomes/summary-view";
import { toOutcomeRow, type OutcomeRecord } from "@/lib/outcomes/outcome";
import { OutcomeTimelineChart, type TimelineMode } from "./chart-outcome-timeline";
import { OutcomeFeed } from "./outcome-feed";
import styles from "./outcomes.module.css";
import { effectiveOutcomeFilter, useErrorGroup, useOutcomeFilter } from "./use-outcomes";
import { EmptyRow } from "@/components/ui/empty-row";

export function ErrorGroupView({ handler, id }: { handler: string; id: string }) {
  // Clock-dependent markup after hydration only (see OutcomesView).
  const hydrated = useHydrated();
  if (!hydrated)
    return (
      <div className="page-head">
        <h1>Error group</h1>
      </div>
    );
  return <LiveErrorGroupView handler={handler} id={id} />;
}

function LiveErrorGroupView({ handler, id }: { handler: string; id: string }) {
  const zone = useDisplayZone();
  const now = useNow(1_000);
  const { filter: urlFilter, patchFilter } = useOutcomeFilter();
  const timeRange = useTimeRange().range;
  const minute = Math.floor(now / 60_000) * 60_000;
  const filter = useMemo(() => effectiveOutcomeFilter(urlFilter, timeRange, minute), [urlFilter, timeRange, minute]);
  const q = useErrorGroup(handler, id, filter);
  const [mode, setMode] = useState<TimelineMode>("severity");
  const d = q.data;
  const crumbs = (
    <div className={styles.crumbs}>
      <Link href={links.outcomes()}>Reflex outcomes</Link> / <Link href={links.handler(handler)}>{handler}</Link> / error group
    </div>
  );
  if (!d)
    return (
      <>
        {crumbs}
        <p className={q.isError ? "bad-text" : "muted"} data-testid="error-group-status">
          {q.isError ? (q.error as Error).message : "Loading error group…"}
        </p>
      </>
    );
  const firing = d.last_seen !== null && now - Date.parse(d.last_seen) <= GROUP_ACTIVE_MS;
  const feedLink = links.outcomes(outcomeFilterToSearch({ handler, kind: "errored", ...(d.pattern ? { exception: d.pattern } : {}) }));
  return (
    <div data-testid="error-group-page">
      {crumbs}
      <div className={styles.detailHead}>
        <h1 className={styles.groupPattern} data-testid="error-group-pattern">
          {d.pattern ?? "No outcome of this group in the range"}
        </h1>
        <PanelPng
          panel="Drill-down"
          entity={{ kind: "handler", parts: [handler, d.pattern ?? id] }}
          selector="[data-testid=error-group-page]"
          testId="png-error-group"
        />
        <StatusPill
          tone={d.count === 0 ? "neutral" : firing ? "bad" : "ok"}
          label={d.count === 0 ? "none in range" : firing ? "still firing" : "quiet for 15 min+"}
          testId="error-group-state"
        />
        <span className="muted tabular" data-testid="error-group-range">
          {handler} · range {formatUtc(d.range.from, zone)} → {formatUtc(d.range.to, zone)}
          {d.complete ? "" : " · partly counted: the range is larger than one scan, its newest part is counted"}
        </span>
      </div>
      <div className={styles.facts}>
        <StatCard size="small" label="Count in range" value={formatCount(d.count)} testId="error-group-count" />
        <StatCard size="small" label="First seen" value={formatUtc(d.first_seen, zone, true)} testId="error-group-first" />
        <StatCard
          size="small"
          label="Last seen"
          value={formatUtc(d.last_seen, zone, true)}
          sub={d.last_seen ? formatAge(d.last_seen, now) : undefined}
          testId="error-group-last"
        />
        <StatCard size="small" label="Targets" value={formatCount(d.targets.length + (d.other_targets > 0 ? 1 : 0))} sub="top 10 listed" />
        <StatCard size="small" label="Variants" value={formatCount(d.examples.length)} sub="first ones seen" />
        <StatCard size="small" label="Feed" value={<Link href={feedLink}>open in outcomes →</Link>} />
      </div>
      <div className={styles.twoCol}>
        <OutcomeTimelineChart
          buckets={d.timeline}
          title={`outcomes of this group, ${formatUtc(d.range.from, zone)} → ${formatUtc(d.range.to, zone)}`}
          entity={{ kind: "handler", parts: [handler] }}
          onZoom={(from, to) => patchFilter({ from: new Date(from).toISOString(), to: new Date(to).toISOString() })}
          mode={mode}
          onMode={setMode}
        />
        <div className={styles.groupSide}>
          <Targets d={d} />
          <Variants d={d} />
        </div>
      </div>
      <SideBySide records={d.records} />
      <section className={styles.section}>
        <div className={styles.sectionHead}>
          <h2>Outcomes of this group</h2>
          <span className="hint">
            newest first · {formatCount(d.records.length)} of {formatCount(d.count)} listed
          </span>
        </div>
        <OutcomeFeed records={d.records.map(toOutcomeRow)} emptyText="No outcome of this group in the range." />
      </section>
    </div>
  );
}

function Targets({ d }: { d: ErrorGroupDetail }) {
  return (
    <section className="panel" data-testid="error-group-targets">
      <h2>Targets affected</h2>
      <table className="data">
        <thead>
          <tr>
            <th>Target</th>
            <th className="num">Count</th>
          </tr>
        </thead>
        <tbody>
          {d.targets.map((t) => (
            <tr key={t.target ?? "\u0000none"} data-testid="error-group-target">
              <td className="mono">{t.target ?? "— (none)"}</td>
              <td className="num">{formatCount(t.count)}</td>
            </tr>
          ))}
          {d.other_targets > 0 && (
            <tr>
              <td className="muted">other targets</td>
              <td className="num">{formatCount(d.other_targets)}</td>
            </tr>
          )}
          {d.targets.length === 0 && <EmptyRow columns={2}>none in range</EmptyRow>}
        </tbody>
      </table>
    </section>
  );
}

function Variants({ d }: { d: ErrorGroupDetail }) {
  return (
    <section className="panel" data-testid="error-group-variants">
      <h2>Variants</h2>
      <p className="hint">the values in the exception’s variable parts, the first {d.examples.length} seen</p>
      <table className="data">
        <thead>
          <tr>
            <th>Value</th>
            <th className="num">Count</th>
          </tr>
        </thead>
        <tbody>
          {d.examples.map((e) => (
            <tr key={e.value} data-testid="error-group-variant">
              <td className={`mono ${styles.exception}`} title={e.value}>
                {e.value}
              </td>
              <td className="num">{formatCount(e.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The newest tracebacks in columns, and the event payload paths whose values differ between them. */
function SideBySide({ records }: { records: OutcomeRecord[] }) {
  const zone = useDisplayZone();
  const valid = useMemo(
    () => records.filter((r): r is OutcomeRecord & { valid: true } => r.valid).slice(0, LATEST_SIDE_BY_SIDE),
    [records],
  );
  const diffs = useMemo(() => payloadDifferences(valid.map((r) => r.body.event.payload)), [valid]);
  if (valid.length === 0) return null;
  const label = (r: OutcomeRecord) => (r.stream_seq !== undefined ? `#${r.stream_seq}` : r.id);
  return (
    <section className={styles.section} data-testid="error-group-latest">
      <div className={styles.sectionHead}>
        <h2>Latest tracebacks</h2>
        <span className="hint">newest first, side by side</span>
      </div>
      <div className={styles.sideBySide} style={{ gridTemplateColumns: `repeat(${valid.length}, minmax(0, 1fr))` }}>
        {valid.map((r) => (
          <div className="panel" key={r.id} data-testid="error-group-traceback">
            <div className={styles.panelHead}>
              <Link href={links.outcome(r.id)} prefetch={false} data-testid="error-group-outcome-link">
                outcome {label(r)} →
              </Link>
              <span className="right muted tabular">{formatUtc(r.body.emitted_at, zone, true)}</span>
            </div>
            <div className="muted">
              target <span className="mono">{r.body.target ?? "—"}</span>
            </div>
            <pre className={styles.traceback}>{r.body.diagnostic ?? r.body.summary ?? "(no diagnostic)"}</pre>
          </div>
        ))}
      </div>
      <div className="panel" data-testid="error-group-payload-diff">
        <h2>Event payload differences</h2>
        {valid.length < 2 ? (
          <span className="muted">one outcome: nothing to compare</span>
        ) : diffs.length === 0 ? (
          <span className="muted">the event payloads are identical</span>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>Path</th>
                {valid.map((r) => (
                  <th key={r.id}>{label(r)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {diffs.map((diff) => (
                <tr key={diff.path} data-testid="payload-diff-row">
                  <td className="mono">{diff.path}</td>
                  {diff.values.map((v, i) => (
                    <td key={i} className="mono">
                      {v ?? <span className="muted">(absent)</span>}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
