import Link from "@/components/ui/range-link";
import { useDisplayZone } from "@/components/ui/display-zone";
import type { Finding } from "@/lib/findings/finding";
import { RULE_LABELS, entityLabel } from "@/lib/findings/triage";
import { formatCount, formatDuration, formatUtc } from "@/lib/format";
import { SeverityPill } from "./severity-pill";
import styles from "./overview.module.css";

/** How many of the recently resolved the overview lists: what on-call needs to see what just recovered. */
const SHOWN = 20;

/** The most recently resolved findings, newest first, collapsed under one line. */
export function ResolvedFindings({ resolved }: { resolved: readonly Finding[] }) {
  const zone = useDisplayZone();
  const shown = resolved.slice(0, SHOWN);
  return (
    <details className={`panel ${styles.resolvedPanel}`} data-testid="resolved-findings">
      <summary>
        <h2>Recently resolved</h2>{" "}
        <span className="muted tabular">
          ·{" "}
          {resolved.length === 0
            ? "none"
            : `${formatCount(resolved.length)}${resolved.length > SHOWN ? `, the latest ${SHOWN} shown` : ""}`}
        </span>
      </summary>
      {shown.length > 0 && (
        <ul className={styles.resolvedList}>
          {shown.map((f) => (
            <li key={`${f.id}@${f.since}`} data-testid="resolved-finding">
              <SeverityPill severity={f.severity} /> <Link href={f.link}>{entityLabel(f.entity)}</Link>
              <span className="muted"> · {RULE_LABELS[f.rule]}</span>{" "}
              <span className="tabular muted">
                · resolved {formatUtc(f.resolved_at, zone)} after {formatDuration(Date.parse(f.resolved_at ?? "") - Date.parse(f.since))}
              </span>
              <div className={`${styles.evidence} muted`}>{f.evidence}</div>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
