"use client";
import { StatusPill } from "@/components/ui/status-pill";
import { describeMatcher, isActiveSilence, type Silence } from "@/lib/alerts/silences";
import { formatDuration, formatUtc, zoneName, type DisplayZone } from "@/lib/format";
import { useExpireSilence } from "./use-alerts";
import styles from "./alerts.module.css";
import { EmptyRow } from "@/components/ui/empty-row";

/** Active silences ending soonest first, then those ended within a day; operators may end one now. */
export function SilencesTable({
  silences,
  now,
  zone,
  operator,
}: {
  silences: Silence[];
  now: number;
  zone: DisplayZone;
  operator: boolean;
}) {
  const expire = useExpireSilence();
  return (
    <div className="table-wrap">
      <table className="data" data-testid="silences-table">
        <thead>
          <tr>
            <th>Mutes</th>
            <th>Reason</th>
            <th>By</th>
            <th>Ends ({zoneName(zone)})</th>
            <th>Status</th>
            {operator && <th aria-label="Actions" />}
          </tr>
        </thead>
        <tbody>
          {silences.length === 0 && <EmptyRow columns={operator ? 6 : 5}>No silences: every finding is alerted.</EmptyRow>}
          {silences.map((s) => {
            const active = isActiveSilence(s, now);
            return (
              <tr key={s.id} data-testid="silence-row" data-state={active ? "active" : "expired"}>
                <td className={styles.wrap}>
                  <code>{describeMatcher(s.matcher)}</code>
                </td>
                <td className={styles.wrap}>{s.reason}</td>
                <td>{s.author}</td>
                <td className="tabular">{formatUtc(s.ends_at, zone)}</td>
                <td>
                  <StatusPill
                    tone={active ? "info" : "neutral"}
                    label={active ? `active · ${formatDuration(Date.parse(s.ends_at) - now)} left` : "expired"}
                    sentence
                  />
                </td>
                {operator && (
                  <td>
                    {active && (
                      <button
                        type="button"
                        className="btn btn-ghost"
                        onClick={() => expire.mutate(s.id)}
                        disabled={expire.isPending}
                        data-testid="silence-expire"
                      >
                        Expire now
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {expire.error && (
        <p className="error-text" role="alert">
          {expire.error.message}
        </p>
      )}
    </div>
  );
}
