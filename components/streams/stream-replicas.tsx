"use client";
import Link from "@/components/ui/range-link";
import { StatusPill } from "@/components/ui/status-pill";
import { formatAgo, formatCount, formatDuration } from "@/lib/format";
import { links } from "@/lib/links";
import type { ClusterPlacement, ReplicationInfo } from "@/lib/streams/types";

/** The leader and each replica with its state, lag and last activity. */
export function ClusterTable({ cluster }: { cluster: ClusterPlacement }) {
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
          <td>{cluster.leader ?? "—"}</td>
          <td>leader</td>
          <td>{cluster.leader ? <StatusPill tone="ok" label="leader" /> : <StatusPill tone="bad" label="none" />}</td>
          <td className="num">—</td>
          <td className="num">—</td>
        </tr>
        {cluster.replicas.map((r) => (
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

/** The streams this one mirrors or sources from, each with how far behind it is. */
export function ReplicationTable({ replication }: { replication: ReplicationInfo[] }) {
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
        {replication.map((r) => (
          <tr key={`${r.kind}-${r.name}`}>
            <td>
              <Link href={links.stream(r.name)}>{r.name}</Link>
            </td>
            <td>{r.kind}</td>
            <td>{r.lag > 0 ? <StatusPill tone="warn" label="behind" /> : <StatusPill tone="ok" label="caught up" />}</td>
            <td className="num">{formatCount(r.lag)}</td>
            <td className="num">{r.active_ms === null ? "never" : formatAgo(r.active_ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
