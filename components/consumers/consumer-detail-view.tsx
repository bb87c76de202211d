"use client";
import { ChartFrame } from "@/components/ui/chart-frame";
import { KeyValueList, type KeyValueRow } from "@/components/ui/key-value-list";
import { StatCard } from "@/components/ui/stat-card";
import Link from "@/components/ui/range-link";
import { useLiveTopic } from "@/components/live/use-live-events";
import { SnapshotNote } from "@/components/ui/snapshot-note";
import { StatusPill } from "@/components/ui/status-pill";
import { MissingResource } from "@/components/ui/missing-resource";
import { consumerKey, formatDrain, statusTone } from "@/lib/consumers/health";
import {
  DEFAULT_HISTORY_RANGE,
  HISTORY_RANGES,
  type HistoryRange,
  type ConsumerHistoryResponse,
  type SeriesPoint,
} from "@/lib/consumers/series";
import { lagMessages, type ConsumerSummary } from "@/lib/consumers/types";
import { readingAgeSeconds } from "@/lib/consumers/provenance";
import { formatCount, formatDuration, formatRate, formatUtc, formatUtcTime } from "@/lib/format";
import { links } from "@/lib/links";
import { ChartConsumerLag } from "./chart-consumer-lag";
import { ChartConsumerRates } from "./chart-consumer-rates";
import styles from "./consumers.module.css";
import { lagSecondsText } from "./consumers-table";
import { HealthPill } from "./health-pill";
import { DeadLettersPanel } from "./dead-letters-panel";
import { LossForecastPanel } from "./loss-forecast-panel";
import { useConsumerDetail, useConsumerHistory } from "./use-consumer-history";
import { useNow } from "@/components/ui/use-now";
import { useTimeRange } from "@/components/ui/use-time-range";
import { useWithPersisted } from "@/components/ui/use-persisted-history";
import { coveringWindow, describeTimeRange, fixedRange, inTimeRange, type TimeRange } from "@/lib/time/range";
import { statusChangesFromHistory, type PersistedConsumerPoint } from "@/lib/time/persisted-history";
import { useDisplayZone } from "@/components/ui/display-zone";
import { EmptyRow } from "@/components/ui/empty-row";

const RANGES = Object.keys(HISTORY_RANGES) as HistoryRange[];

export function ConsumerDetailView({ stream, name }: { stream: string; name: string }) {
  const live = useLiveTopic("consumer_rows").data;
  const snap = live?.meta;
  // The shared time range: the server keeps trailing windows, so fetch the smallest that covers it and clip.
  const { range: timeRange, setRange } = useTimeRange();
  const fetchWindow = coveringWindow(timeRange, useNow(30_000), HISTORY_RANGES, DEFAULT_HISTORY_RANGE);
  const row = live?.items.find((x) => x.stream === stream && x.name === name);
  const recent = useConsumerHistory(stream, name, fetchWindow, row).data;
  // After a restart (or for a range older than this process) busdeck's persisted history fills in the chart.
  const points = useWithPersisted<PersistedConsumerPoint | SeriesPoint>(
    links.api.consumerHistory(stream, name),
    timeRange,
    HISTORY_RANGES[fetchWindow],
    recent === undefined ? undefined : (recent?.points ?? null),
  );
  // Status changes older than this process come from the persisted points' per-step status.
  const stored = statusChangesFromHistory(points, recent?.points[0]?.t ?? Infinity);
  const history = clipHistory(
    recent
      ? { ...recent, points, status_history: [...recent.status_history, ...stored] }
      : points.length
        ? { range: fetchWindow, points, status_history: stored, dead_letters: [] }
        : null,
    timeRange,
  );
  const unknownSince = snap?.unknown?.[consumerKey(stream, name)];
  const c = useConsumerDetail(stream, name, row, unknownSince).data;

  return (
    <>
      <div className={styles.crumbs}>
        <Link href={links.consumers()}>Consumers</Link> / <Link href={links.consumers({ stream })}>{stream}</Link> / {name}
      </div>
      <div className={styles.detailHead}>
        <h1 data-testid="consumer-detail-name">{name}</h1>
        {unknownSince ? (
          <StatusPill tone="warn" label="UNKNOWN" title="its leader did not answer the consumer list" testId="consumer-detail-status" />
        ) : (
          <HealthPill verdict={(c ?? row)?.insight?.health} testId="consumer-detail-status" />
        )}
        {snap && (
          <span style={{ marginLeft: "auto" }}>
            <SnapshotNote status={snap.status} sampledAt={snap.sampled_at} durationMs={snap.duration_ms} errors={snap.errors} />
          </span>
        )}
      </div>
      {!row || !c ? (
        !snap || snap.status === "initializing" || row ? (
          <div className="panel empty">{row ? "Loading…" : "Waiting for the first sample…"}</div>
        ) : (
          <MissingConsumer stream={stream} name={name} onStream={live.items.filter((x) => x.stream === stream).length} />
        )
      ) : (
        <>
          <ReadingProvenance
            leader={row.cluster?.leader ?? null}
            // a known row is the latest sample's reading; an unknown one is its last good reading, kept
            sampledAt={unknownSince ? c.sampled_at : (snap?.sampled_at ?? c.sampled_at)}
            unknownSince={unknownSince}
          />
          <div className={unknownSince ? styles.unknownReading : undefined} data-testid="consumer-reading">
            <DetailBody c={c} history={history} range={fetchWindow} timeRange={timeRange} onRange={setRange} unknownSince={unknownSince} />
          </div>
        </>
      )}
    </>
  );
}

/** Where the figures come from: the consumer's leader, when they were read and how old they are; unknown when unread. */
function ReadingProvenance({ leader, sampledAt, unknownSince }: { leader: string | null; sampledAt: string; unknownSince?: string }) {
  const zone = useDisplayZone();
  const age = readingAgeSeconds(sampledAt, useNow(1_000));
  return (
    <p className={styles.provenance} data-testid="consumer-provenance">
      {unknownSince && (
        <StatusPill
          tone="warn"
          sentence
          label={`unknown since ${formatUtc(unknownSince, zone)}`}
          title="its leader did not answer the consumer list; the figures below are its last good reading"
          testId="consumer-unknown-since"
        />
      )}
      <span data-testid="consumer-leader">{leader ? `leader ${leader}` : "not clustered"}</span>
      <span> · sampled {formatUtc(sampledAt, zone)}</span>
      <span className="num"> · {age === null ? "—" : `${formatCount(age)} s old`}</span>
    </p>
  );
}

/** The way on from a consumer that is not there: its stream's other consumers, or the whole list. */
function MissingConsumer({ stream, name, onStream }: { stream: string; name: string; onStream: number }) {
  const reason =
    onStream > 0
      ? `No consumer "${name}" on stream "${stream}" in the latest sample; ${formatCount(onStream)} other${onStream === 1 ? " is" : "s are"}`
      : `No consumer "${name}" in the latest sample, and none on a stream named "${stream}"`;
  const next =
    onStream > 0
      ? { href: links.consumers({ stream }), label: `see the consumers on ${stream}` }
      : { href: links.consumers(), label: "see Consumer lag" };
  return <MissingResource reason={reason} next={next} testId="consumer-missing" />;
}

function clipHistory(h: ConsumerHistoryResponse | null, r: TimeRange): ConsumerHistoryResponse | null {
  if (!h || r.kind === "live") return h;
  return {
    ...h,
    points: h.points.filter((p) => inTimeRange(p.t, r)),
    status_history: h.status_history.filter((s) => inTimeRange(Date.parse(s.at), r)),
    leader_changes: h.leader_changes?.filter((l) => inTimeRange(Date.parse(l.at), r)),
    dead_letters: h.dead_letters.filter((d) => inTimeRange(Date.parse(d.at), r)),
  };
}

function DetailBody({
  c,
  history,
  range,
  timeRange,
  onRange,
  unknownSince,
}: {
  c: ConsumerSummary;
  history: ConsumerHistoryResponse | null;
  range: HistoryRange;
  timeRange: TimeRange;
  onRange: (r: TimeRange) => void;
  /** Set while the consumer list cannot read it: the verdict is then unknown, not the last reading's. */
  unknownSince?: string;
}) {
  const i = c.insight;
  const fixed = timeRange.kind === "fixed";
  const zone = useDisplayZone();
  const rangeText = fixed ? describeTimeRange(timeRange, zone) : `last ${range}`;
  const entity = { kind: "consumer" as const, parts: [c.stream, c.name] };
  const chartPoints = history && history.points.length > 1 ? history.points : null;
  return (
    <>
      <p className={styles.verdict} data-testid="consumer-verdict">
        {unknownSince ? (
          <>
            <strong>UNKNOWN</strong> — not read since {formatUtc(unknownSince, zone)}: its leader does not answer the consumer list. The
            figures below are its last reading{i ? `, judged ${i.health.status} then` : ""}.
          </>
        ) : i ? (
          <>
            <strong>{i.health.status}</strong> — {i.health.evidence} <span className="muted">(rule {i.health.rule})</span>
          </>
        ) : (
          "Not evaluated yet."
        )}
        {i?.stuck_seq != null && (
          <>
            {" "}
            <Link
              className={styles.stuck}
              href={links.message(c.stream, i.stuck_seq, { consumer: c.name })}
              title="The first stream message after the ack floor that the consumer has not acked"
              data-testid="consumer-stuck-link"
            >
              {/* "stuck" only when the ack floor does not move: a consumer that is merely behind is working on it */}
              {i.health.status === "STALL" || i.health.status === "STOP" ? "Stuck on" : "Oldest unprocessed:"} {c.stream} #
              {formatCount(i.stuck_seq)} →
            </Link>
          </>
        )}
      </p>
      <div className={styles.cards}>
        <StatCard
          size="compact"
          label="Lag (msgs)"
          value={formatCount(lagMessages(c))}
          sub={`${formatCount(c.num_pending)} pending + ${formatCount(c.num_ack_pending)} unacked`}
          testId="detail-lag-msgs"
        />
        <StatCard
          size="compact"
          label="Lag (s)"
          value={lagSecondsText(c)}
          sub={
            i?.lag_seconds_source === "exact"
              ? "oldest unprocessed message"
              : i?.lag_seconds_source === "interpolated"
                ? "interpolated from samples"
                : i
                  ? "caught up"
                  : "not estimated yet"
          }
          cardTestId="detail-lag-seconds"
        />
        <StatCard
          size="compact"
          label="Ack pending"
          value={formatCount(c.num_ack_pending)}
          sub={`max ${c.config.max_ack_pending > 0 ? formatCount(c.config.max_ack_pending) : "unlimited"}`}
        />
        <StatCard
          size="compact"
          label="Redelivered"
          value={formatCount(c.num_redelivered)}
          sub={`${formatCount(i?.dead_letters.max_deliveries ?? 0)} hit max deliver (10m)`}
        />
        <StatCard
          size="compact"
          label="Consume / ingest"
          value={`${formatRate(i?.consume_per_s, "")} / ${formatRate(i?.ingest_per_s)}`}
          sub="ack floor vs stream"
        />
        <StatCard
          size="compact"
          label="Time to drain"
          value={i ? formatDrain(i.drain) : "—"}
          sub={i?.drain.state === "never" ? "ingest outpaces consume" : "at current rates"}
        />
      </div>
      <div className={styles.twoCol}>
        <div>
          <ChartFrame
            title="Lag"
            titleClassName={styles.panelTitle}
            png={{ panel: "Lag", entity, defaultWindowMs: HISTORY_RANGES[DEFAULT_HISTORY_RANGE], testId: "png-consumer-lag" }}
            ranges={{ options: RANGES, selected: fixed ? null : range, onSelect: (r) => onRange({ kind: "live", last: r }) }}
            empty={!chartPoints}
            chartProps={{ "data-testid": "consumer-lag-chart", "data-last-lag": history?.points.at(-1)?.lag_msgs }}
          >
            {chartPoints && (
              <ChartConsumerLag
                points={chartPoints}
                leaderChanges={history?.leader_changes ?? []}
                onRange={(from, to) => onRange(fixedRange(from, to))}
              />
            )}
          </ChartFrame>
          <ChartFrame
            title="Consume vs ingest rate"
            titleClassName={styles.panelTitle}
            png={{ panel: "Consume vs ingest rate", entity, defaultWindowMs: HISTORY_RANGES[DEFAULT_HISTORY_RANGE] }}
            empty={!chartPoints}
          >
            {chartPoints && <ChartConsumerRates points={chartPoints} />}
          </ChartFrame>
          <section className="panel">
            <h2 className={styles.panelTitle}>
              Status history <span className={styles.right}>{rangeText}, newest first</span>
            </h2>
            <div className={styles.listScroll}>
              <table className="data" data-testid="consumer-status-history">
                <thead>
                  <tr>
                    <th>Since</th>
                    <th>Status</th>
                    <th>Rule</th>
                    <th>Evidence</th>
                  </tr>
                </thead>
                <tbody>
                  {(history?.status_history ?? []).map((s) => (
                    <tr key={s.at + s.status}>
                      <td className="tabular">{formatUtcTime(s.at, zone)}</td>
                      <td>
                        <StatusPill tone={statusTone(s.status)} label={s.status} />
                      </td>
                      <td className="mono">{s.rule}</td>
                      <td style={{ whiteSpace: "normal" }}>{s.evidence}</td>
                    </tr>
                  ))}
                  {!history?.status_history.length && <EmptyRow columns={4}>No status changes in this range.</EmptyRow>}
                </tbody>
              </table>
            </div>
          </section>
        </div>
        <div>
          <section className="panel" data-testid="consumer-diagnosis">
            <h2 className={styles.panelTitle}>Diagnosis</h2>
            {i && i.diagnoses.length > 0 ? (
              <ul className={styles.diagList}>
                {i.diagnoses.map((d) => (
                  <li key={d.kind}>{d.text}</li>
                ))}
              </ul>
            ) : (
              <p className="muted" style={{ margin: 0 }}>
                {i?.health.status === "OK" ? "Nothing to act on: " + i.health.evidence + "." : "No specific cause detected yet."}
              </p>
            )}
          </section>
          <LossForecastPanel c={c} />
          <ConfigPanel c={c} />
          <DeadLettersPanel c={c} deadLetters={history?.dead_letters ?? []} rangeText={rangeText} />
        </div>
      </div>
    </>
  );
}

function ConfigPanel({ c }: { c: ConsumerSummary }) {
  const zone = useDisplayZone();
  const k = c.config;
  const rows: KeyValueRow[] = [
    { label: "Kind", value: `${k.durable ? "durable" : "ephemeral"} ${k.push ? "push" : "pull"}${k.paused ? ", paused" : ""}` },
    { label: "Filter", value: k.filter_subjects.length ? k.filter_subjects.join(", ") : "(all subjects)" },
    { label: "Ack policy", value: k.ack_policy },
    { label: "Ack wait", value: formatDuration(k.ack_wait_ms) },
    { label: "Max deliver", value: k.max_deliver > 0 ? formatCount(k.max_deliver) : "unlimited" },
    { label: "Max ack pending", value: k.max_ack_pending > 0 ? formatCount(k.max_ack_pending) : "unlimited" },
    { label: "Deliver policy", value: k.deliver_policy },
    { label: "Delivered", value: `stream #${formatCount(c.delivered.stream_seq)} · ${formatUtc(c.delivered.last_active, zone)}` },
    { label: "Ack floor", value: `stream #${formatCount(c.ack_floor.stream_seq)} · ${formatUtc(c.ack_floor.last_active, zone)}` },
    { label: "Waiting pulls", value: formatCount(c.num_waiting) },
    { label: "Created", value: formatUtc(c.created, zone) },
  ];
  if (c.cluster)
    rows.push({
      label: "Leader / replicas",
      value: `${c.cluster.leader ?? "—"} / ${c.cluster.replicas.map((r) => `${r.name}${r.current ? "" : " (behind)"}`).join(", ") || "none"}`,
    });
  if (k.description) rows.unshift({ label: "Description", value: k.description });
  return (
    <section className="panel">
      <h2 className={styles.panelTitle}>Configuration</h2>
      <KeyValueList rows={rows} />
    </section>
  );
}
