"use client";
import { useRedriveDialog } from "@/components/redrive/redrive-dialog";
import { BulkRedriveButton } from "@/components/redrive/bulk-redrive-dialog";
import { useDisplayZone } from "@/components/ui/display-zone";
import Link from "@/components/ui/range-link";
import { StatusPill } from "@/components/ui/status-pill";
import type { DeadLetterEntry } from "@/lib/consumers/series";
import type { ConsumerSummary } from "@/lib/consumers/types";
import { formatCount, formatUtcTime } from "@/lib/format";
import { links } from "@/lib/links";
import styles from "./consumers.module.css";
import { EmptyRow } from "@/components/ui/empty-row";

/** The consumer's dead-letter and NAK advisories in the range, each linking its message; operators can redrive one. */
export function DeadLettersPanel({ c, deadLetters, rangeText }: { c: ConsumerSummary; deadLetters: DeadLetterEntry[]; rangeText: string }) {
  const zone = useDisplayZone();
  const redrive = useRedriveDialog(c.stream);
  const columns = redrive.operator ? 5 : 4;
  return (
    <section className="panel">
      <h2 className={styles.panelTitle}>
        Dead letters and NAKs <span className={styles.right}>advisories, {rangeText}</span>
      </h2>
      <div className={styles.listScroll}>
        <table className="data" data-testid="consumer-advisories">
          <thead>
            <tr>
              <th>At</th>
              <th>Kind</th>
              <th className="num">Stream seq</th>
              <th className="num">Deliveries</th>
              {redrive.operator && (
                <th>
                  <span className={styles.srOnly}>Action</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {deadLetters.slice(0, 200).map((d, k) => (
              <tr key={`${d.at}-${d.stream_seq}-${k}`}>
                <td className="tabular">{formatUtcTime(d.at, zone)}</td>
                <td>
                  {d.kind === "max_deliveries" ? (
                    <StatusPill tone="bad" label="max deliver" />
                  ) : d.kind === "terminated" ? (
                    <StatusPill tone="bad" label="terminated" />
                  ) : (
                    <StatusPill tone="warn" label="nak" />
                  )}
                </td>
                <td className="num">
                  {d.stream_seq !== null ? (
                    <Link href={links.message(c.stream, d.stream_seq, { consumer: c.name })}>#{formatCount(d.stream_seq)}</Link>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="num">{formatCount(d.deliveries)}</td>
                {redrive.operator && (
                  <td className="num">
                    {d.stream_seq !== null && (
                      <button
                        type="button"
                        className={`btn ${styles.rowAction}`}
                        aria-haspopup="dialog"
                        aria-label={`Redrive #${formatCount(d.stream_seq)}`}
                        onClick={() => redrive.ask(d.stream_seq!)}
                        data-testid="dead-letter-redrive"
                      >
                        Redrive
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
            {!deadLetters.length && <EmptyRow columns={columns}>No dead-letter or NAK advisories in this range.</EmptyRow>}
          </tbody>
        </table>
      </div>
      {redrive.operator && (
        <div className={styles.panelActions}>
          <BulkRedriveButton stream={c.stream} consumer={c.name} deadLetters={deadLetters} />
        </div>
      )}
      {redrive.dialog}
    </section>
  );
}
