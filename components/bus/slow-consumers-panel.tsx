import { formatCount, formatUtc, type DisplayZone } from "@/lib/format";
import { closuresWithin, type SlowConsumerClient } from "@/lib/bus/slow-consumers";
import styles from "./bus.module.css";

const HOUR_MS = 3_600_000;

/** The clients the servers cut off as slow consumers: by name, how often, when first and last. */
export function SlowConsumersPanel({ clients, now, zone }: { clients: SlowConsumerClient[]; now: number; zone: DisplayZone }) {
  return (
    <section aria-labelledby="slow-consumers-title" data-testid="bus-slow-consumers">
      <h2 className={styles.panelTitle} id="slow-consumers-title">
        Slow consumers cut off{clients.length > 0 ? ` · ${formatCount(clients.length)} client${clients.length === 1 ? "" : "s"}` : ""}
      </h2>
      {clients.length === 0 ? (
        <p className="muted" data-testid="bus-slow-consumers-none">
          No connection closed as a slow consumer in the servers&apos; closed-connection lists.
        </p>
      ) : (
        <div className={styles.slowPanel} tabIndex={0} role="region" aria-label="Slow consumers table">
          <table className="data">
            <thead>
              <tr>
                <th>Client</th>
                <th>Account</th>
                <th className="num">Times</th>
                <th className="num">Last hour</th>
                <th>Last cut off</th>
                <th>First seen</th>
                <th>Reason · server</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => (
                <tr key={c.client} data-testid="bus-slow-consumer" data-client={c.client}>
                  <td className="mono">{c.named ? c.client : <span title="no name: its address">{c.client}</span>}</td>
                  <td>{c.account ?? "—"}</td>
                  <td className="num tabular" data-testid="bus-slow-consumer-count">
                    {formatCount(c.count)}
                  </td>
                  <td className="num tabular">{formatCount(closuresWithin(c, now, HOUR_MS))}</td>
                  <td className="tabular">{formatUtc(c.last_at, zone)}</td>
                  <td className="tabular">{formatUtc(c.first_at, zone)}</td>
                  <td className="muted">
                    {c.last_reason} · {c.last_server}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
