"use client";
import { useLiveTopic } from "@/components/live/use-live-events";
import { useHydrated } from "@/components/ui/use-hydrated";
import { StatusPill } from "@/components/ui/status-pill";
import { useDisplayZone } from "@/components/ui/display-zone";
import { formatCount } from "@/lib/format";
import { SERVER_COLUMNS, ServerRowView } from "./server-row";
import { BusTabs } from "./bus-tabs";
import { BusConfigureBanner, BusSampleNote } from "./bus-sample-state";
import styles from "./bus.module.css";
import { EmptyRow } from "@/components/ui/empty-row";

const SOURCE_LABEL = { system: "system account", monitor: "HTTP monitoring" } as const;

/** Every server of the bus with its load, links, JetStream storage and health: /bus/servers. */
export function ServersView() {
  const live = useLiveTopic("bus_servers").data;
  const snap = useHydrated() ? live : undefined;
  const zone = useDisplayZone();
  const now = snap?.sampled_at ? Date.parse(snap.sampled_at) : 0;
  const servers = snap?.servers ?? [];
  const up = servers.filter((s) => s.state === "up").length;
  return (
    <>
      <BusTabs />
      <div className="page-head">
        <h1>Servers</h1>
        {snap?.source && (
          <span className="sub" data-testid="bus-summary">
            {formatCount(servers.length)} server{servers.length === 1 ? "" : "s"} · {formatCount(up)} up
            {snap.meta_leader ? ` · meta leader ${snap.meta_leader}` : ""} · via {SOURCE_LABEL[snap.source]}
          </span>
        )}
        <BusSampleNote snap={snap} />
      </div>
      <BusConfigureBanner snap={snap} what="server" />
      {snap && snap.findings.length > 0 && (
        <ul className={styles.findings} data-testid="bus-findings">
          {snap.findings.map((f) => (
            <li key={f.rule}>
              <StatusPill tone={f.status === "ERR" ? "bad" : "warn"} label={f.status} title={f.rule} /> {f.evidence}
            </li>
          ))}
        </ul>
      )}
      {!snap?.configure && (
        <div className={styles.scroller} tabIndex={0} role="region" aria-label="Servers table">
          <table className={`data ${styles.servers}`} data-testid="bus-servers-table">
            <thead>
              <tr>
                {SERVER_COLUMNS.map((c) => (
                  <th key={c.label} className={c.num ? "num" : undefined}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {servers.map((s) => (
                <ServerRowView key={s.name} server={s} now={now} zone={zone} />
              ))}
              {servers.length === 0 && <EmptyRow columns={SERVER_COLUMNS.length}>Waiting for the first sample…</EmptyRow>}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
