"use client";
import { PanelPng } from "@/components/ui/panel-png";
import Link from "@/components/ui/range-link";
import { useState, type ReactNode } from "react";
import { HealthPill } from "@/components/consumers/health-pill";
import { useUrlState } from "@/components/ui/use-url-state";
import { useLiveTopic } from "@/components/live/use-live-events";
import { MissingResource } from "@/components/ui/missing-resource";
import { StatusPill } from "@/components/ui/status-pill";
import { lagMessages } from "@/lib/consumers/types";
import { formatBytes, formatCount, formatDuration, formatRate, formatUtc } from "@/lib/format";
import { links } from "@/lib/links";
import {
  DEFAULT_RATE_RANGE,
  HISTORY_RANGES,
  parseStreamDetailState,
  streamDetailStateToSearch,
  type HistoryRange,
} from "@/lib/streams/queries";
import { useNow } from "@/components/ui/use-now";
import { useWithPersisted } from "@/components/ui/use-persisted-history";
import { useTimeRange } from "@/components/ui/use-time-range";
import { coveringWindow, fixedRange, inTimeRange, type TimeRange } from "@/lib/time/range";
import { fillLevels, limitConsequence, limitWarning, replicaHealth, type StreamSummary } from "@/lib/streams/types";
import { ChartStreamRates } from "./chart-stream-rates";
import { ChartSubjectCounts } from "./chart-subject-counts";
import { FillBars, fillLabel, roundBytes } from "./fill-bars";
import styles from "./streams.module.css";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useRateHistory, useRawStreamInfo, useSubjectCounts } from "./use-stream-queries";
import { meanRates } from "@/lib/streams/rate-history";
import { useDisplayZone } from "@/components/ui/display-zone";

const TOP_N = [5, 10, 20, 50] as const;

export function StreamDetailView({ name }: { name: string }) {
  const zone = useDisplayZone();
  const live = useLiveTopic("streams").data;
  const snap = useHydrated() ? live : undefined;
  const [state, setState] = useUrlState(parseStreamDetailState, streamDetailStateToSearch);
  // The shared time range, within the 15 minutes busdeck keeps: the smallest window that covers it.
  const { range: timeRange, setRange } = useTimeRange();
  const rateRange = coveringWindow(timeRange, useNow(30_000), HISTORY_RANGES, DEFAULT_RATE_RANGE);
  const steadyRate = meanRates(useRateHistory(name, rateRange).data?.points ?? []);
  const s = snap?.streams.find((x) => x.name === name);
  if (!s) {
    return (
      <>
        <Breadcrumb name={name} />
        {!snap || snap.status === "initializing" ? (
          <div className="panel empty" data-testid="stream-missing">
            Waiting for the first sample…
          </div>
        ) : (
          <MissingResource
            reason={`No stream named "${name}": the latest sample lists ${formatCount(snap.streams.length)} ${snap.streams.length === 1 ? "stream" : "streams"}, none by that name`}
            next={{ href: links.streams(), label: "see Streams" }}
            testId="stream-missing"
          />
        )}
      </>
    );
  }
  const now = snap?.sampled_at ? Date.parse(snap.sampled_at) : 0;
  // "Full in …" from the mean over the chart's range: one 1 s sample is too jumpy to promise a date.
  const levels = fillLevels(s, now, steadyRate ?? s.rates);
  const warning = limitWarning(levels);
  const health = replicaHealth(s.cluster, s.config.replicas);
  return (
    <>
      <Breadcrumb name={name} />
      <div className="page-head">
        <h1 data-testid="stream-title">{s.name}</h1>
        <span className="sub">{s.config.description ?? ""}</span>
        {health && <StatusPill tone={health.tone} label={health.label} title={health.detail} />}
        {warning && (
          <StatusPill
            tone="warn"
            label={
              warning.status === "full" ? `${warning.limit} limit reached` : `${warning.limit} full in ${formatDuration(warning.eta_ms)}`
            }
            title={limitConsequence(s.config.discard)}
            testId="limit-warning"
          />
        )}
        <Link className="btn" href={links.browse(s.name)} data-testid="browse-messages" style={{ marginLeft: "auto" }}>
          Browse messages →
        </Link>
      </div>
      <div className="grid grid-4" style={{ marginBottom: 12 }}>
        <Stat label="Messages" value={formatCount(s.state.messages)} testId="detail-messages" />
        <Stat label="Bytes" value={formatBytes(s.state.bytes)} />
        <Stat
          label="Ingest"
          value={formatRate(s.rates?.msgs_per_s, " msg/s")}
          sub={s.rates ? `${formatBytes(Math.round(s.rates.bytes_per_s))}/s` : undefined}
        />
        <Stat label="Consumers" value={formatCount(s.state.consumer_count)} />
      </div>
      <div className={styles.detailGrid}>
        <ConfigPanel s={s} />
        <div className="panel">
          <h2>State</h2>
          <dl className={styles.kv}>
            <dt>First</dt>
            <dd>
              #{formatCount(s.state.first_seq)} · {formatUtc(s.state.first_ts, zone)}
            </dd>
            <dt>Last</dt>
            <dd>
              #{formatCount(s.state.last_seq)} · {formatUtc(s.state.last_ts, zone)}
            </dd>
            <dt>Subjects</dt>
            <dd>{formatCount(s.state.num_subjects)}</dd>
            <dt>Deleted</dt>
            <dd>{formatCount(s.state.num_deleted)}</dd>
            <dt>Fill</dt>
            <dd>
              <FillBars levels={levels} />
            </dd>
            {warning && (
              <>
                <dt>Warning</dt>
                <dd className="warn-text">
                  {warning.limit} {fillLabel(warning)}:{" "}
                  {warning.status === "full"
                    ? "at the limit"
                    : `full in ~${formatDuration(warning.eta_ms)} at the ${steadyRate ? `${rateRange} mean` : "current"} rate, inside the retention window`}{" "}
                  — {limitConsequence(s.config.discard)}
                </dd>
              </>
            )}
          </dl>
          {s.cluster && <ClusterTable s={s} />}
          {s.replication && s.replication.length > 0 && <ReplicationTable s={s} />}
        </div>
      </div>
      <RatesPanel name={s.name} range={rateRange} timeRange={timeRange} onRange={setRange} />
      <SubjectsPanel name={s.name} top={state.top} onTop={(top) => setState({ top })} />
      <ConsumersPanel name={s.name} />
    </>
  );
}

function Breadcrumb({ name }: { name: string }) {
  return (
    <div className="muted" style={{ marginBottom: 4 }}>
      <Link href={links.streams()}>Streams</Link> / {name}
    </div>
  );
}

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className="stat">
      <div className="label">{label}</div>
      <div className="value" data-testid={testId}>
        {value}
      </div>
      {sub && <div className="muted tabular">{sub}</div>}
    </div>
  );
}

const limit = (n: number, fmt: (n: number) => string) => (n > 0 ? fmt(n) : "unlimited");

function ConfigPanel({ s }: { s: StreamSummary }) {
  const zone = useDisplayZone();
  const c = s.config;
  const rows: [string, ReactNode][] = [
    [
      "Subjects",
      <span className="mono" key="s">
        {c.subjects.join(", ") || "—"}
      </span>,
    ],
    ["Retention", c.retention],
    ["Storage", c.storage],
    ["Replicas", c.replicas],
    ["Discard", c.discard],
    ["Max age", limit(c.max_age_ms, formatDuration)],
    ["Max bytes", limit(c.max_bytes, roundBytes)],
    ["Max messages", limit(c.max_msgs, formatCount)],
    ["Max message size", limit(c.max_msg_size, formatBytes)],
    ["Mirror", c.mirror ?? "—"],
    ["Sources", c.sources.length ? c.sources.join(", ") : "—"],
    ["Created", formatUtc(s.created, zone)],
  ];
  return (
    <div className="panel" data-testid="stream-config">
      <h2>Configuration</h2>
      <dl className={styles.kv}>
        {rows.map(([k, v]) => (
          <div key={k} style={{ display: "contents" }}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <RawInfo name={s.name} />
    </div>
  );
}

/** Every field JetStream reports, as JSON text, fetched only when opened. */
function RawInfo({ name }: { name: string }) {
  const [open, setOpen] = useState(false);
  const info = useRawStreamInfo(name, open);
  return (
    <details style={{ marginTop: 10 }} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)} data-testid="stream-raw-info">
      <summary className="muted" style={{ cursor: "pointer" }}>
        Full configuration and state (JSON from the JetStream API)
      </summary>
      {info.isError ? (
        <div className="bad-text">{(info.error as Error).message}</div>
      ) : (
        <pre className="payload" style={{ marginTop: 6, maxHeight: 360 }}>
          {info.data ? JSON.stringify(info.data, null, 2) : "loading…"}
        </pre>
      )}
    </details>
  );
}

function ClusterTable({ s }: { s: StreamSummary }) {
  const cl = s.cluster!;
  return (
    <table className="data" style={{ marginTop: 10 }}>
      <thead>
        <tr>
          <th>Peer</th>
          <th>Role</th>
          <th>State</th>
          <th className="num">Lag</th>
          <th className="num">Active</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>{cl.leader ?? "—"}</td>
          <td>leader</td>
          <td>{cl.leader ? <StatusPill tone="ok" label="leader" /> : <StatusPill tone="bad" label="none" />}</td>
          <td className="num">—</td>
          <td className="num">—</td>
        </tr>
        {cl.replicas.map((r) => (
          <tr key={r.name}>
            <td>{r.name}</td>
            <td>replica</td>
            <td>
              {r.offline ? (
                <StatusPill tone="bad" label="offline" />
              ) : r.current && r.lag === 0 ? (
                <StatusPill tone="ok" label="current" />
              ) : (
                <StatusPill tone="warn" label="behind" />
              )}
            </td>
            <td className="num">{formatCount(r.lag)}</td>
            <td className="num">{formatDuration(r.active_ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReplicationTable({ s }: { s: StreamSummary }) {
  return (
    <table className="data" style={{ marginTop: 10 }} data-testid="stream-replication">
      <thead>
        <tr>
          <th>Copies from</th>
          <th>Kind</th>
          <th>State</th>
          <th className="num">Lag (msgs)</th>
          <th className="num">Last active</th>
        </tr>
      </thead>
      <tbody>
        {s.replication!.map((r) => (
          <tr key={`${r.kind}-${r.name}`}>
            <td>
              <Link href={links.stream(r.name)}>{r.name}</Link>
            </td>
            <td>{r.kind}</td>
            <td>{r.lag > 0 ? <StatusPill tone="warn" label="behind" /> : <StatusPill tone="ok" label="caught up" />}</td>
            <td className="num">{formatCount(r.lag)}</td>
            <td className="num">{r.active_ms === null ? "never" : `${formatDuration(r.active_ms)} ago`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RatesPanel({
  name,
  range,
  timeRange,
  onRange,
}: {
  name: string;
  range: HistoryRange;
  timeRange: TimeRange;
  onRange: (r: TimeRange) => void;
}) {
  const history = useRateHistory(name, range);
  // After a restart (or for a range older than this process) busdeck's persisted history fills in the chart.
  const points = useWithPersisted(links.api.streamHistory(name), timeRange, HISTORY_RANGES[range], history.data?.points).filter((p) =>
    inTimeRange(p.t, timeRange),
  );
  const fixed = timeRange.kind === "fixed";
  return (
    <div className="panel">
      <div className={styles.panelHead}>
        <h2>Ingest rate</h2>
        <span className="muted">from busdeck&apos;s own samples (15 min in memory, older from its history stream)</span>
        <div className={styles.right}>
          <PanelPng
            panel="Ingest rate"
            entity={{ kind: "stream", parts: [name] }}
            defaultWindowMs={HISTORY_RANGES[DEFAULT_RATE_RANGE]}
            testId="png-stream-rates"
          />
          <div className="seg" role="group" aria-label="Range">
            {(Object.keys(HISTORY_RANGES) as HistoryRange[]).map((r) => (
              <button key={r} type="button" aria-pressed={!fixed && r === range} onClick={() => onRange({ kind: "live", last: r })}>
                {r}
              </button>
            ))}
          </div>
        </div>
      </div>
      <div className={styles.chart} data-testid="rate-chart">
        {points.length < 2 ? (
          <div className="empty">Collecting samples…</div>
        ) : (
          <ChartStreamRates points={points} onRange={(from, to) => onRange(fixedRange(from, to))} />
        )}
      </div>
    </div>
  );
}

function SubjectsPanel({ name, top, onTop }: { name: string; top: number; onTop: (n: (typeof TOP_N)[number]) => void }) {
  const q = useSubjectCounts(name);
  const subjects = q.data?.subjects ?? [];
  return (
    <div className="panel">
      <div className={styles.panelHead}>
        <h2>Messages per subject</h2>
        <span className="muted">
          {q.data ? (
            `${formatCount(q.data.total)} subjects`
          ) : q.isError ? (
            <span className="bad-text">{(q.error as Error).message}</span>
          ) : (
            "loading…"
          )}
        </span>
        <div className={styles.right}>
          <span className="muted">top</span>
          <div className="seg" role="group" aria-label="Top N">
            {TOP_N.map((n) => (
              <button key={n} type="button" aria-pressed={n === top} onClick={() => onTop(n)}>
                {n}
              </button>
            ))}
          </div>
        </div>
      </div>
      <div className={styles.detailGrid}>
        <div className={styles.subjectTable}>
          <table className="data" data-testid="subject-counts">
            <thead>
              <tr>
                <th>Subject</th>
                <th className="num">Messages</th>
                <th className="num">Share</th>
              </tr>
            </thead>
            <tbody>
              {subjects.map((x) => (
                <tr key={x.subject}>
                  <td className="mono">
                    <Link href={links.browse(name, { subject: x.subject })}>{x.subject}</Link>
                  </td>
                  <td className="num">{formatCount(x.messages)}</td>
                  <td className="num">{pct(x.messages, subjects)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className={styles.chartBar}>{subjects.length > 0 && <ChartSubjectCounts subjects={subjects.slice(0, top)} />}</div>
      </div>
    </div>
  );
}

function pct(n: number, all: { messages: number }[]): string {
  const total = all.reduce((a, b) => a + b.messages, 0);
  return total ? `${((n / total) * 100).toFixed(1)}%` : "—";
}

function ConsumersPanel({ name }: { name: string }) {
  const consumers = (useLiveTopic("consumer_rows").data?.items ?? []).filter((c) => c.stream === name);
  return (
    <div className="panel">
      <h2>Consumers</h2>
      <table className="data" data-testid="stream-consumers">
        <thead>
          <tr>
            <th>Consumer</th>
            <th>Health</th>
            <th className="num">Lag (msgs)</th>
            <th className="num">Lag (time)</th>
            <th className="num">Ack pending</th>
            <th className="num">Ack floor</th>
            <th>Filter</th>
          </tr>
        </thead>
        <tbody>
          {consumers.map((c) => (
            <tr key={c.name} data-testid={`stream-consumer-${c.name}`}>
              <td>
                <Link href={links.consumer(c.stream, c.name)}>{c.name}</Link>
              </td>
              <td>
                <HealthPill verdict={c.insight?.health} />
              </td>
              <td className="num">{formatCount(lagMessages(c))}</td>
              <td className="num">{c.insight?.lag_seconds != null ? formatDuration(c.insight.lag_seconds * 1000) : "—"}</td>
              <td className="num">{formatCount(c.num_ack_pending)}</td>
              <td className="num">{formatCount(c.ack_floor.stream_seq)}</td>
              <td className="mono">{c.config.filter_subjects.join(", ") || "—"}</td>
            </tr>
          ))}
          {consumers.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                No consumers on this stream.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
