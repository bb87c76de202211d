import { formatBytes, formatCount, formatDuration, formatRate, formatUtc, type DisplayZone } from "@/lib/format";
import type { BusLink, BusServerRow, JetStreamUsage, ServerState } from "@/lib/bus/servers";
import type { BusHealthStatus } from "@/lib/bus/health";
import { STORAGE_WARN_RATIO } from "@/lib/bus/health";
import { StatusPill, type Tone } from "@/components/ui/status-pill";
import type { ReactNode } from "react";
import Link from "@/components/ui/range-link";
import { links } from "@/lib/links";
import { connectionsViewStateToSearch } from "@/lib/bus/connections-search";
import styles from "./bus.module.css";

export const SERVER_COLUMNS: { label: string; num?: boolean }[] = [
  { label: "Server" },
  { label: "Status" },
  { label: "Version / up" },
  { label: "CPU / mem", num: true },
  { label: "Conns / subs", num: true },
  { label: "Msgs in / out", num: true },
  { label: "Bytes in / out", num: true },
  { label: "Slow consumers", num: true },
  { label: "Routes · gateways · leafnodes" },
  { label: "JetStream storage" },
];

export const STATE_TONE: Record<ServerState, Tone> = { up: "ok", stale: "warn", down: "bad" };
export const HEALTH_TONE: Record<BusHealthStatus, Tone> = { OK: "ok", WARN: "warn", ERR: "bad" };

/** One server: what it reports, its links and its health verdict with the evidence. */
export function ServerRowView({ server, now, zone }: { server: BusServerRow; now: number; zone: DisplayZone }) {
  const s = server;
  return (
    <tr data-testid="bus-server-row" data-server={s.name} data-state={s.state}>
      <td>
        <div className={styles.nameCell}>
          <Link className="mono" href={links.busServer(s.name)} data-testid="bus-server-link" title="This server's figures and history">
            <strong>{s.name}</strong>
          </Link>
          <span className="muted">
            {[s.cluster && `cluster ${s.cluster}`, s.gateway && `gateway ${s.gateway}`].filter(Boolean).join(" · ") || "no cluster"}
          </span>
        </div>
      </td>
      <td>
        <div className={styles.statusCell}>
          <span>
            <StatusPill tone={STATE_TONE[s.state]} label={s.state.toUpperCase()} testId="bus-server-state" />{" "}
            <StatusPill tone={HEALTH_TONE[s.health.status]} label={s.health.status} title={s.health.rule} testId="bus-server-health" />
          </span>
          <span className={`muted ${styles.evidence}`} data-testid="bus-server-evidence">
            {s.health.evidence}
            {s.state !== "up" && s.last_seen ? ` · last seen ${formatUtc(s.last_seen, zone)}` : ""}
          </span>
        </div>
      </td>
      <td>
        <Pair
          top={
            <span className="mono" data-testid="bus-server-version">
              {s.version ? `v${s.version}` : "—"}
            </span>
          }
          bottom={s.started ? `up ${formatDuration(now - Date.parse(s.started))}` : "—"}
        />
      </td>
      <td className="num">
        <Pair top={s.cpu !== null ? `${s.cpu.toFixed(1)} %` : "—"} bottom={formatBytes(s.mem_bytes)} />
      </td>
      <td className="num">
        <Pair top={<span data-testid="bus-server-connections">{formatCount(s.connections)}</span>} bottom={formatCount(s.subscriptions)} />
      </td>
      <td className="num">
        <Pair top={formatRate(s.rates?.in_msgs)} bottom={formatRate(s.rates?.out_msgs)} />
      </td>
      <td className="num">
        <Pair top={byteRate(s.rates?.in_bytes)} bottom={byteRate(s.rates?.out_bytes)} />
      </td>
      <td className="num">
        {s.slow_consumers ? (
          <Link href={links.busConnections(connectionsViewStateToSearch({ view: "slow" }))} title="Connections closed as slow consumers">
            {formatCount(s.slow_consumers)}
          </Link>
        ) : (
          formatCount(s.slow_consumers)
        )}
      </td>
      <td>
        <Links server={s} />
      </td>
      <td>
        <StorageMeters js={s.jetstream} />
      </td>
    </tr>
  );
}

const byteRate = (perSecond: number | undefined) => (perSecond === undefined ? "—" : `${formatBytes(Math.round(perSecond))}/s`);

function Pair({ top, bottom }: { top: ReactNode; bottom: ReactNode }) {
  return (
    <span className={styles.pair}>
      <span>{top}</span>
      <span className="muted">{bottom}</span>
    </span>
  );
}

/** Routes, gateways and leafnodes: how many are up, each named in a pill's title with its RTT and pending bytes. */
function Links({ server }: { server: BusServerRow }) {
  const groups: [string, BusLink[]][] = [
    ["routes", server.routes],
    ["gateways", server.gateways],
    ["leafnodes", server.leafnodes],
  ];
  const shown = groups.filter(([, links]) => links.length > 0);
  if (shown.length === 0) return <span className="muted">none</span>;
  return (
    <span className={styles.links} data-testid="bus-server-links">
      {shown.map(([kind, links]) => {
        const up = links.filter((l) => l.up).length;
        return (
          <StatusPill
            key={kind}
            tone={up === links.length ? "ok" : "bad"}
            label={`${kind} ${up}/${links.length} up`}
            title={links.map(linkTitle).join("\n")}
            sentence
          />
        );
      })}
    </span>
  );
}

export function linkTitle(l: BusLink): string {
  if (!l.up) return `${l.name}: down`;
  const rtt = l.rtt_ms !== null ? `rtt ${l.rtt_ms < 1 ? l.rtt_ms.toFixed(2) : l.rtt_ms.toFixed(1)} ms` : "rtt —";
  return `${l.name}: up, ${rtt}, pending ${formatBytes(l.pending_bytes)}`;
}

export function StorageMeters({ js }: { js: JetStreamUsage | null }) {
  if (!js) return <span className="muted">off</span>;
  return (
    <div className={styles.meters} data-testid="bus-server-jetstream">
      <Meter kind="file" used={js.storage} max={js.max_storage} reserved={js.reserved_storage} />
      <Meter kind="mem" used={js.memory} max={js.max_memory} reserved={js.reserved_memory} />
    </div>
  );
}

function Meter({ kind, used, max, reserved }: { kind: string; used: number; max: number | null; reserved: number | null }) {
  const ratio = max ? used / max : 0;
  const label = `${formatBytes(used)} / ${max ? formatBytes(max) : "no limit"}`;
  return (
    <div className={styles.meter} title={`${kind}: ${label}${reserved ? `, ${formatBytes(reserved)} reserved by accounts` : ""}`}>
      <span className="muted">{kind}</span>
      <div
        className={styles.track}
        role="meter"
        aria-label={`${kind} storage ${label}`}
        aria-valuenow={Math.round(ratio * 100)}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div
          className={`${styles.bar} ${ratio >= STORAGE_WARN_RATIO ? styles.barWarn : ""}`}
          style={{ width: `${Math.min(100, Math.max(used > 0 ? 2 : 0, ratio * 100))}%` }}
        />
      </div>
      <span className="tabular">{label}</span>
    </div>
  );
}
