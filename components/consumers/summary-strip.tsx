import Link from "@/components/ui/range-link";
import { HEALTH_STATUSES, STATUS_SEVERITY, type HealthStatus } from "@/lib/consumers/health";
import { consumerListStateToSearch, type ConsumerListState, type ConsumerSummaryStrip } from "@/lib/consumers/search-params";
import { formatCount, formatDuration } from "@/lib/format";
import { links } from "@/lib/links";
import { StatCard } from "@/components/ui/stat-card";
import styles from "./consumers.module.css";

const WORST_FIRST = [...HEALTH_STATUSES].sort((a, b) => STATUS_SEVERITY[b] - STATUS_SEVERITY[a]);
const toneVar = (s: HealthStatus) =>
  s === "OK" ? "var(--ok)" : s === "WARN" ? "var(--warn)" : s === "REWIND" ? "var(--info)" : "var(--bad)";

/** Consumers by status (each a filter link), total pending, worst lag. */
export function SummaryStrip({ summary, state }: { summary: ConsumerSummaryStrip; state: ConsumerListState }) {
  const { worst } = summary;
  return (
    <div className={styles.strip} data-testid="consumer-summary">
      {WORST_FIRST.map((s) => {
        const active = state.status.length === 1 && state.status[0] === s;
        const href = `/consumers${consumerListStateToSearch({ ...state, status: active ? [] : [s] })}`;
        return (
          // no prefetch: it is this same page with another filter, and server renders of it only compete with the live data
          <StatCard
            key={s}
            size="compact"
            link={{ href, prefetch: false, scroll: false }}
            cardTestId={`summary-${s}`}
            className={`${styles.statFilter}${active ? ` ${styles.statActive}` : ""}`}
            labelStyle={{ color: summary.by_status[s] > 0 && s !== "OK" ? toneVar(s) : undefined }}
            label={s}
            value={formatCount(summary.by_status[s])}
          />
        );
      })}
      <StatCard size="compact" label="Total pending" value={formatCount(summary.total_pending)} testId="summary-pending" />
      <StatCard
        size="compact"
        label="Worst lag"
        value={
          worst ? (worst.lag_seconds !== null ? formatDuration(worst.lag_seconds * 1000) : `${formatCount(worst.lag_msgs)} msgs`) : "none"
        }
        testId={worst ? "summary-worst" : undefined}
        sub={
          worst && (
            <>
              <Link href={links.consumer(worst.stream, worst.name)} prefetch={false}>
                {worst.name}
              </Link>{" "}
              · {formatCount(worst.lag_msgs)} msgs
            </>
          )
        }
      />
    </div>
  );
}
