import { memo, useCallback, useMemo, type MouseEvent } from "react";
import { useRouter } from "next/navigation";
import { useCarryTimeWindow } from "@/components/ui/range-link";
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

/**
 * Client-side navigation for the rows' plain links, from one handler: a thousand next/link components would cost
 * the page's first second. A click with a modifier, or another button, is left to the browser (new tab, window).
 */
function useRowLinkNavigation() {
  const router = useRouter();
  return useCallback(
    (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const href = (e.target as Element).closest("a[data-row-link]")?.getAttribute("href");
      if (!href) return;
      e.preventDefault();
      router.push(href);
    },
    [router],
  );
}

/** Open findings, one table per area, the worst area first; each row links to the page that explains it. */
export function FindingsByArea({ groups, now }: { groups: FindingGroup[]; now: number }) {
  const zone = useDisplayZone();
  const carry = useCarryTimeWindow();
  const navigate = useRowLinkNavigation();
  // what a row shows but its age, worked out once per evaluation rather than once a second
  const shown = useMemo(
    () =>
      groups.map((g) => ({
        ...g,
        rows: g.findings.map((f) => ({
          id: f.id,
          severity: f.severity,
          where: entityLabel(f.entity),
          rule: RULE_LABELS[f.rule],
          evidence: f.evidence,
          href: carry(f.link),
          since: formatUtc(f.since, zone),
          sinceMs: Date.parse(f.since),
        })),
      })),
    [groups, carry, zone],
  );
  return (
    <div data-testid="open-findings" onClick={navigate}>
      {shown.map((g) => (
        <section key={g.area} className={styles.area} aria-labelledby={`area-${g.area}`} data-testid={`findings-area-${g.area}`}>
          <h2 id={`area-${g.area}`}>
            {AREA_LABELS[g.area]} <span className="muted tabular">· {countsText(g.counts)}</span>
          </h2>
          <div role="table" aria-labelledby={`area-${g.area}`} className={styles.findings}>
            <div role="rowgroup">
              <div role="row" className={styles.head}>
                <span role="columnheader">Severity</span>
                <span role="columnheader">Where</span>
                <span role="columnheader">Evidence</span>
                <span role="columnheader">Since</span>
                <span role="columnheader" className={styles.num}>
                  Open for
                </span>
              </div>
            </div>
            <div role="rowgroup">
              {g.rows.map(({ sinceMs, ...row }) => (
                <FindingRow key={row.id} {...row} openFor={formatOpenFor(now - sinceMs)} />
              ))}
            </div>
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
    <div role="row" className={styles.row} data-testid="finding-row" data-finding-id={id}>
      <span role="cell">
        <SeverityPill severity={severity} />
      </span>
      <span role="cell">
        <a href={href} data-row-link="" data-testid="finding-link">
          {where}
        </a>
        <span className="muted"> · {rule}</span>
      </span>
      <span role="cell" data-testid="finding-evidence">
        {evidence}
      </span>
      <span role="cell" className="tabular" data-testid="finding-since">
        {since}
      </span>
      <span role="cell" className={`tabular ${styles.num}`} data-testid="finding-age">
        {openFor}
      </span>
    </div>
  );
});
