"use client";
import Link from "@/components/ui/range-link";
import { useLiveTopic } from "@/components/live/use-live-events";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useDisplayZone } from "@/components/ui/display-zone";
import { MissingResource } from "@/components/ui/missing-resource";
import { StatCard } from "@/components/ui/stat-card";
import { StatusPill } from "@/components/ui/status-pill";
import { ChartFrame } from "@/components/ui/chart-frame";
import { useNow } from "@/components/ui/use-now";
import { useTimeRange } from "@/components/ui/use-time-range";
import { useWithPersisted } from "@/components/ui/use-persisted-history";
import { downSince, type ServerHistoryPoint } from "@/lib/bus/server-history";
import type { BusLink, BusServerRow } from "@/lib/bus/servers";
import { formatAgo, formatBytes, formatCount, formatDuration, formatRate, formatUtc, formatUtcTime, type DisplayZone } from "@/lib/format";
import { links } from "@/lib/links";
import { HISTORY_RANGES } from "@/lib/streams/queries";
import { BUS_SERVER_DEFAULT_WINDOW, coveringWindow, fixedRange, inTimeRange, TRAILING_WINDOWS, type TimeRange } from "@/lib/time/range";
import { BusTabs } from "./bus-tabs";
import { BusSampleNote } from "./bus-sample-state";
import { ChartServerFigure, SERVER_CHARTS, type ServerChartSpec } from "./chart-server-figures";
import { HEALTH_TONE, STATE_TONE, StorageMeters, linkTitle } from "./server-row";
import { useServerHistory } from "./use-server-history";
import styles from "./bus.module.css";

const DEFAULT_WINDOW_MS = TRAILING_WINDOWS[BUS_SERVER_DEFAULT_WINDOW];

/** One bus server (by name, or by its id): identity and current figures, its links, and its history charts. */
export function ServerDetailView({ name }: { name: string }) {
  const live = useLiveTopic("bus_servers").data;
  const snap = useHydrated() ? live : undefined;
  const zone = useDisplayZone();
  const { range: timeRange, setRange } = useTimeRange();
  const recentRange = coveringWindow(timeRange, useNow(30_000), HISTORY_RANGES, BUS_SERVER_DEFAULT_WINDOW);
  const server = snap?.servers.find((s) => s.name === name || s.id === name);
  const key = server?.name ?? name;
  const recent = useServerHistory(key, recentRange);
  // After a restart (or for a range older than this process) busdeck's persisted history fills in the charts.
  const points = useWithPersisted(links.api.serverHistory(key), timeRange, DEFAULT_WINDOW_MS, recent.data?.points).filter((p) =>
    inTimeRange(p.t, timeRange),
  );
  if (!server) {
    const stored = points.length > 0 ? points.at(-1)! : null;
    const answered = points.findLast((p) => p.state !== "down" && p.mem_bytes !== null)?.t ?? null;
    // Stored as down at the end: shaded from its last answer (as a down server's page does), else from the first down step.
    const since = stored?.state === "down" ? (answered !== null ? answered : downSince({ state: "down", last_seen: null }, points)) : null;
    const storedDown = since !== null && stored && stored.t > since ? { from: since, to: stored.t } : null;
    return (
      <>
        <BusTabs />
        <Breadcrumb name={name} />
        {!snap || snap.samples === 0 ? (
          <div className="panel empty" data-testid="bus-server-missing">
            {snap?.configure ?? "Waiting for the first sample…"}
          </div>
        ) : (
          <MissingResource
            reason={`No server named "${name}": the latest sample lists ${formatCount(snap.servers.length)} ${snap.servers.length === 1 ? "server" : "servers"}, none by that name or id${stored ? `; busdeck's stored history ${answered !== null ? `last saw it answer at ${formatUtc(answered, zone)}` : `has it until ${formatUtc(stored.t, zone)}`} (charts below)` : ""}`}
            next={{ href: links.busServers(), label: "see Servers" }}
            testId="bus-server-missing"
          />
        )}
        {/* A server gone before busdeck (re)started is in no sample, but its stored history still is. */}
        {stored !== null && (
          <div className={styles.charts} data-testid="bus-server-charts">
            {SERVER_CHARTS.map((spec) => (
              <ServerChartPanel key={spec.testId} server={name} spec={spec} points={points} down={storedDown} onRange={setRange} />
            ))}
          </div>
        )}
      </>
    );
  }
  const now = snap?.sampled_at ? Date.parse(snap.sampled_at) : 0;
  const since = downSince(server, points);
  const lastT = points.at(-1)?.t;
  const downSpan = since !== null && lastT !== undefined && lastT > since ? { from: Math.max(since, points[0]!.t), to: lastT } : null;
  return (
    <>
      <BusTabs />
      <Breadcrumb name={server.name} />
      <div className="page-head">
        <h1 data-testid="bus-server-title">{server.name}</h1>
        <StatusPill tone={STATE_TONE[server.state]} label={server.state.toUpperCase()} testId="bus-server-state" />
        <StatusPill
          tone={HEALTH_TONE[server.health.status]}
          label={server.health.status}
          title={server.health.rule}
          testId="bus-server-health"
        />
        <span className="sub">
          {[
            server.cluster ? `cluster ${server.cluster}` : "no cluster",
            server.gateway && `gateway ${server.gateway}`,
            server.host,
            snap?.meta_leader === server.name && "meta leader",
          ]
            .filter(Boolean)
            .join(" · ")}
        </span>
        <BusSampleNote snap={snap} />
      </div>
      <div className="muted mono" style={{ marginBottom: 8, fontSize: 12 }} title="server id">
        {server.id}
      </div>
      {server.state === "down" ? (
        <div className="panel" role="status" data-testid="bus-server-down" style={{ marginBottom: 12 }}>
          <StatusPill tone="bad" label="DOWN" /> no answer since{" "}
          <strong className="tabular">{since !== null ? formatUtc(since, zone) : "it was first listed"}</strong>
          {since !== null && ` (${formatAgo(now - since)})`} — {server.error}; the charts show its history up to then.
        </div>
      ) : (
        <p className="muted" data-testid="bus-server-evidence" style={{ margin: "0 0 8px" }}>
          {server.health.evidence}
          {server.state === "stale" && server.error ? ` · stale: ${server.error}` : ""}
        </p>
      )}
      <ServerFigures s={server} now={now} zone={zone} />
      <LinksPanel s={server} />
      <div className={styles.charts} data-testid="bus-server-charts">
        {SERVER_CHARTS.map((spec) => (
          <ServerChartPanel key={spec.testId} server={server.name} spec={spec} points={points} down={downSpan} onRange={setRange} />
        ))}
      </div>
    </>
  );
}

function Breadcrumb({ name }: { name: string }) {
  return (
    <div className="muted" style={{ marginBottom: 4 }}>
      <Link href={links.busServers()}>Servers</Link> / {name}
    </div>
  );
}

const byteRate = (v: number | undefined) => (v === undefined ? "—" : `${formatBytes(Math.round(v))}/s`);

/** The headline figures as the latest sample read them (a down server's are its last reading, said so). */
function ServerFigures({ s, now, zone }: { s: BusServerRow; now: number; zone: DisplayZone }) {
  const last = s.state === "down" ? "last reading" : undefined;
  return (
    <div className="grid grid-4" style={{ marginBottom: 12 }} data-testid="bus-server-figures">
      <StatCard
        size="compact"
        label="Version"
        value={s.version ? `v${s.version}` : "—"}
        mono
        testId="bus-server-version"
        sub={s.started ? `up ${formatDuration(now - Date.parse(s.started))} · since ${formatUtc(s.started, zone)}` : "—"}
      />
      <StatCard
        size="compact"
        label="CPU / memory"
        value={s.cpu !== null ? `${s.cpu.toFixed(1)} %` : "—"}
        sub={[formatBytes(s.mem_bytes), s.cores ? `${s.cores} cores` : null, last].filter(Boolean).join(" · ")}
      />
      <StatCard
        size="compact"
        label="Connections / subscriptions"
        value={formatCount(s.connections)}
        testId="bus-server-connections"
        sub={`${formatCount(s.subscriptions)} subscriptions`}
      />
      <StatCard
        size="compact"
        label="Slow consumers"
        value={formatCount(s.slow_consumers)}
        sub={
          s.slow_consumers_rose_at
            ? `rose from ${formatCount(s.slow_consumers_before)} ${formatAgo(now - s.slow_consumers_rose_at)}`
            : "total since start"
        }
      />
      <StatCard
        size="compact"
        label="Messages in / out"
        value={`${formatRate(s.rates?.in_msgs)} / ${formatRate(s.rates?.out_msgs)}`}
        sub={s.counters ? `${formatCount(s.counters.in_msgs)} in · ${formatCount(s.counters.out_msgs)} out in total` : "—"}
      />
      <StatCard
        size="compact"
        label="Bytes in / out"
        value={`${byteRate(s.rates?.in_bytes)} / ${byteRate(s.rates?.out_bytes)}`}
        sub={s.counters ? `${formatBytes(s.counters.in_bytes)} in · ${formatBytes(s.counters.out_bytes)} out in total` : "—"}
      />
      <StatCard
        size="compact"
        label="JetStream storage"
        value={<StorageMeters js={s.jetstream} />}
        sub={
          s.jetstream
            ? `${formatCount(s.jetstream.streams)} streams · ${formatCount(s.jetstream.consumers)} consumers${s.jetstream.meta_leader ? ` · meta leader ${s.jetstream.meta_leader}` : ""}`
            : undefined
        }
      />
      <StatCard
        size="compact"
        label="Healthz"
        value={s.healthz?.status ?? "—"}
        sub={
          [s.healthz?.error, s.last_seen ? `${last ? "last reading" : "answered"} ${formatUtcTime(s.last_seen, zone)}` : null]
            .filter(Boolean)
            .join(" · ") || undefined
        }
      />
    </div>
  );
}

/** Routes, gateways and leafnodes, each named with up/down (colour and text), RTT and pending bytes. */
function LinksPanel({ s }: { s: BusServerRow }) {
  const groups: [string, BusLink[]][] = [
    ["route", s.routes],
    ["gateway", s.gateways],
    ["leafnode", s.leafnodes],
  ];
  const rows = groups.flatMap(([kind, list]) => list.map((l) => ({ kind, l })));
  return (
    <section className="panel" style={{ marginBottom: 12 }}>
      <h2>
        Links{" "}
        <span className="muted" style={{ fontWeight: 400, fontSize: 12 }}>
          {groups.map(([kind, list]) => `${kind}s ${list.filter((l) => l.up).length}/${list.length} up`).join(" · ")}
        </span>
      </h2>
      {rows.length === 0 ? (
        <div className="muted">No routes, gateways or leafnodes.</div>
      ) : (
        <table className="data" data-testid="bus-server-links-table">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Peer</th>
              <th>Status</th>
              <th className="num">RTT</th>
              <th className="num">Pending</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ kind, l }) => (
              <tr key={`${kind}/${l.name}`} data-testid="bus-server-link-row" title={linkTitle(l)}>
                <td>{kind}</td>
                <td className="mono">{l.name}</td>
                <td>
                  <StatusPill tone={l.up ? "ok" : "bad"} label={l.up ? "UP" : "DOWN"} />
                </td>
                <td className="num">{l.rtt_ms === null ? "—" : `${l.rtt_ms < 1 ? l.rtt_ms.toFixed(2) : l.rtt_ms.toFixed(1)} ms`}</td>
                <td className="num">{formatBytes(l.pending_bytes)}</td>
                <td className="muted">{l.detail ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ServerChartPanel({
  server,
  spec,
  points,
  down,
  onRange,
}: {
  server: string;
  spec: ServerChartSpec;
  points: ServerHistoryPoint[];
  down: { from: number; to: number } | null;
  onRange: (r: TimeRange) => void;
}) {
  const drawn = points.filter((p) => spec.lines.some((l) => p[l.key] !== null)).length;
  return (
    <ChartFrame
      title={spec.title}
      png={{
        panel: spec.title,
        entity: { kind: "server", parts: [server] },
        defaultWindowMs: DEFAULT_WINDOW_MS,
        testId: `png-${spec.testId}`,
      }}
      empty={drawn < 2}
      chartProps={{ "data-testid": spec.testId, "data-points": drawn }}
    >
      <ChartServerFigure spec={spec} points={points} down={down} onRange={(from, to) => onRange(fixedRange(from, to))} />
    </ChartFrame>
  );
}
