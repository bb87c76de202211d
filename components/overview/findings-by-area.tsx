import Link from "@/components/ui/range-link";
import { useDisplayZone } from "@/components/ui/display-zone";
import type { Finding } from "@/lib/findings/finding";
import { AREA_LABELS, RULE_LABELS, entityLabel, type FindingGroup, type SeverityCounts } from "@/lib/findings/triage";
import { formatCount, formatDuration, formatUtc } from "@/lib/format";
import { SeverityPill } from "./severity-pill";
import styles from "./overview.module.css";

const countsText = (c: SeverityCounts) =>
  (["critical", "warning", "info"] as const)
    .filter((s) => c[s] > 0)
    .map((s) => `${formatCount(c[s])} ${s}`)
    .join(", ");

/** Open findings, one table per area, the worst area first; each row links to the page that explains it. */
export function FindingsByArea({ groups, now }: { groups: FindingGroup[]; now: number }) {
  return (
    <div data-testid="open-findings">
      {groups.map((g) => (
        <section key={g.area} className={styles.area} aria-labelledby={`area-${g.area}`} data-testid={`findings-area-${g.area}`}>
          <h2 id={`area-${g.area}`}>
            {AREA_LABELS[g.area]} <span className="muted tabular">· {countsText(g.counts)}</span>
          </h2>
          <div className="table-wrap">
            <table className={`data ${styles.findings}`}>
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Where</th>
                  <th scope="col">Evidence</th>
                  <th scope="col">Since</th>
                  <th scope="col" className="num">
                    Open for
                  </th>
                </tr>
              </thead>
              <tbody>
                {g.findings.map((f) => (
                  <FindingRow key={f.id} finding={f} now={now} />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}

function FindingRow({ finding: f, now }: { finding: Finding; now: number }) {
  const zone = useDisplayZone();
  return (
    <tr data-testid="finding-row" data-finding-id={f.id}>
      <td>
        <SeverityPill severity={f.severity} />
      </td>
      <td className={styles.where}>
        <Link href={f.link} data-testid="finding-link">
          {entityLabel(f.entity)}
        </Link>
        <span className="muted"> · {RULE_LABELS[f.rule]}</span>
      </td>
      <td className={styles.evidence} data-testid="finding-evidence">
        {f.evidence}
      </td>
      <td className="tabular" data-testid="finding-since">
        {formatUtc(f.since, zone)}
      </td>
      <td className="num tabular" data-testid="finding-age">
        {formatDuration(now - Date.parse(f.since))}
      </td>
    </tr>
  );
}
