import { StatusPill } from "@/components/ui/status-pill";
import { formatBytes, formatCount, formatDuration, formatRate, formatUtc, formatUtcTime, type DisplayZone } from "@/lib/format";
import type { ClosedConnectionRow, ConnectionRow } from "@/lib/bus/connections";
import type { ConnectionSort } from "@/lib/bus/connections-search";
import { classifyConnection } from "@/lib/own-resources";
import { KindTag } from "@/components/ui/show-internal";
import styles from "./bus.module.css";

/** One row's fixed height: the list is virtualised. */
export const CONNECTION_ROW_HEIGHT = 30;

export interface ConnectionColumn {
  label: string;
  sort?: ConnectionSort;
  num?: boolean;
  /** Only in the closed lists. */
  closed?: boolean;
}

export const CONNECTION_COLUMNS: ConnectionColumn[] = [
  { label: "Name", sort: "name" },
  { label: "Address" },
  { label: "Account" },
  { label: "Client" },
  { label: "Server" },
  { label: "Pending", sort: "pending", num: true },
  { label: "Msgs/s", sort: "rate", num: true },
  { label: "Subs", sort: "subs", num: true },
  { label: "RTT", sort: "rtt", num: true },
  { label: "Uptime", sort: "uptime", num: true },
  { label: "Closed", sort: "stopped", closed: true },
  { label: "Reason", closed: true },
];

const isClosed = (r: ConnectionRow | ClosedConnectionRow): r is ClosedConnectionRow => "reason" in r;

const formatRtt = (ms: number | null) => (ms === null ? "—" : ms < 1 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`);

/** One connection: who it is, where from, and its load; a closed one also when and why it closed. */
export function ConnectionRowView({ row, now, zone }: { row: ConnectionRow | ClosedConnectionRow; now: number; zone: DisplayZone }) {
  const closed = isClosed(row) ? row : null;
  const until = closed?.stopped ? Date.parse(closed.stopped) : now;
  return (
    <tr className={styles.connRow} style={{ height: CONNECTION_ROW_HEIGHT }} data-testid="bus-connection-row" data-name={row.name ?? ""}>
      <td className="mono" title={row.name ?? "no name"}>
        <KindTag kind={classifyConnection(row.name)} testId="bus-connection-kind" leading />
        {row.name ?? <span className="muted">no name</span>}
      </td>
      <td className="mono tabular">{row.address}</td>
      <td>{row.account ?? "—"}</td>
      <td>{[row.lang, row.version].filter(Boolean).join(" ") || "—"}</td>
      <td className="mono" title={`${row.server}, connection ${row.cid}`}>
        {row.server}
      </td>
      <td className="num tabular">{formatBytes(row.pending_bytes)}</td>
      <td className="num tabular">{closed ? "—" : formatRate(row.msgs_per_s)}</td>
      <td className="num tabular">{formatCount(row.subscriptions)}</td>
      <td className="num tabular">{formatRtt(row.rtt_ms)}</td>
      <td className="num tabular">{row.started ? formatDuration(until - Date.parse(row.started)) : "—"}</td>
      {closed && (
        <>
          <td className="tabular" title={formatUtc(closed.stopped, zone, true)}>
            {formatUtcTime(closed.stopped, zone)}
          </td>
          <td className={styles.reasonCell}>
            <StatusPill tone={closed.slow_consumer ? "bad" : "neutral"} label={closed.reason} testId="bus-connection-reason" sentence />
          </td>
        </>
      )}
    </tr>
  );
}
