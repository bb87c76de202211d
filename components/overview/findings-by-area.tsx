import { memo } from "react";
import Link, { useCarryTimeWindow } from "@/components/ui/range-link";
import { useDisplayZone } from "@/components/ui/display-zone";
import type { FindingSeverity } from "@/lib/findings/finding";
import { AREA_LABELS, RULE_LABELS, entityLabel, formatOpenFor, type FindingGroup, type SeverityCounts } from "@/lib/findings/triage";
import { formatCount, formatUtc } from "@/lib/format";
import { SeverityPill } from "./severity-pill";
import styles from "./overview.module.css";

const countsText = (c: SeverityCounts) =>
  (["critical", "warning", "info"] as const)
    .filter((s) => c[s] > 0)
    .map((s) => `${formatCount(c[s])} ${s}`)
    .join(", ");

/** Open findings, one table per area, the worst area first; each row links to the page that explains it. */
export function FindingsByArea({ groups, now }: { groups: FindingGroup[]; now: number }) {
  // read once for every row: a thousand rows each reading the zone and the URL would cost the page's first second
  const zone = useDisplayZone();
  const carry = useCarryTimeWindow();
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
                  <FindingRow
                    key={f.id}
                    id={f.id}
                    severity={f.severity}
                    where={entityLabel(f.entity)}
                    rule={RULE_LABELS[f.rule]}
                    evidence={f.evidence}
                    href={carry(f.link)}
                    since={formatUtc(f.since, zone)}
                    openFor={formatOpenFor(now - Date.parse(f.since))}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}

interface FindingRowProps {
  id: string;
  severity: FindingSeverity;
  where: string;
  rule: string;
  evidence: string;
  href: string;
  since: string;
  openFor: string;
}

/**
 * One finding. Its props are text: each evaluation publishes new finding objects, and a row re-renders only when
 * what it shows changed (its evidence, or its age by the minute).
 */
const FindingRow = memo(function FindingRow({ id, severity, where, rule, evidence, href, since, openFor }: FindingRowProps) {
  return (
    <tr data-testid="finding-row" data-finding-id={id}>
      <td>
        <SeverityPill severity={severity} />
      </td>
      <td className={styles.where}>
        {/* no prefetch: a thousand links would each ask the server to render their page */}
        <Link href={href} prefetch={false} data-testid="finding-link">
          {where}
        </Link>
        <span className="muted"> · {rule}</span>
      </td>
      <td className={styles.evidence} data-testid="finding-evidence">
        {evidence}
      </td>
      <td className="tabular" data-testid="finding-since">
        {since}
      </td>
      <td className="num tabular" data-testid="finding-age">
        {openFor}
      </td>
    </tr>
  );
});
