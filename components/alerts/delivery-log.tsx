import Link from "@/components/ui/range-link";
import type { Tone } from "@/components/ui/status-pill";
import { StatusPill } from "@/components/ui/status-pill";
import { transitionLabel, type DeliveryRecord } from "@/lib/alerts/deliveries";
import { formatCount, formatUtc, zoneName, type DisplayZone } from "@/lib/format";
import styles from "./alerts.module.css";
import { EmptyRow } from "@/components/ui/empty-row";

const RESULT_TONE: Record<DeliveryRecord["result"], Tone> = {
  delivered: "ok",
  retrying: "warn",
  failed: "bad",
  dropped: "bad",
  silenced: "neutral",
};

/** The latest deliveries, newest first: each one's latest result, attempts so far and the last error. */
export function DeliveryLog({ deliveries, zone }: { deliveries: DeliveryRecord[]; zone: DisplayZone }) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="delivery-log">
        <thead>
          <tr>
            <th>At ({zoneName(zone)})</th>
            <th>Target</th>
            <th>Finding</th>
            <th>Sent as</th>
            <th>Result</th>
            <th className="num">Attempts</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.length === 0 && <EmptyRow columns={7}>Nothing delivered yet.</EmptyRow>}
          {deliveries.map((d) => (
            <tr key={d.id} data-testid="delivery-row" data-result={d.result}>
              <td className="tabular">{formatUtc(d.at, zone)}</td>
              <td>{d.target}</td>
              <td className={styles.wrap}>
                {d.link ? (
                  <Link href={d.link} data-testid="delivery-finding">
                    <code>{d.finding_id}</code>
                  </Link>
                ) : (
                  <code>{d.finding_id}</code>
                )}
              </td>
              <td>{transitionLabel(d.transition)}</td>
              <td>
                <StatusPill tone={RESULT_TONE[d.result]} label={d.result} />
              </td>
              <td className="num tabular">{formatCount(d.attempts)}</td>
              <td className={`${styles.wrap} muted`}>{d.error ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
