import { memo } from "react";
import { KeyValueList } from "@/components/ui/key-value-list";
import { StatusPill } from "@/components/ui/status-pill";
import { holderColor } from "@/lib/failover/timeline-marks";
import { failoversBetween, keyAlarms, type KeyTimeline, type WindowFigures } from "@/lib/failover/transition-index";
import { formatAgo, formatDuration, formatUtc, formatUtcTime } from "@/lib/format";
import { leaseHealth, singletonStatus, type SingletonState } from "@/lib/failover/lock-transitions";
import { LeaseBar } from "./lease-bar";
import styles from "./failover.module.css";
import { useDisplayZone } from "@/components/ui/display-zone";

/**
 * One singleton: who holds it, since when, how fresh the lease is (judged against when the browser's data was
 * sampled, `dataAt`), who waits, how often it moved and how long it had no leader in the selected window
 * (`figures`, computed once for the card and its lane).
 */
export const SingletonCard = memo(function SingletonCard({
  s,
  day,
  figures,
  windowLabel,
  now,
  dataAt,
  focused,
  onFocus,
}: {
  s: SingletonState;
  day: KeyTimeline;
  figures: WindowFigures;
  windowLabel: string;
  now: number;
  dataAt: number | null;
  focused: boolean;
  onFocus: (key: string | undefined) => void;
}) {
  const zone = useDisplayZone();
  const health = leaseHealth(s, now, dataAt);
  const alarms = keyAlarms(day, now);
  const status = singletonStatus(health, alarms);
  const loud = alarms.split_brain || alarms.flapping;
  return (
    <section className={`${styles.card} ${loud ? styles.cardAlarm : ""}`} data-testid={`lock-card-${s.key}`}>
      <header className={styles.cardHead}>
        <button
          type="button"
          className={styles.cardKey}
          onClick={() => onFocus(focused ? undefined : s.key)}
          title={focused ? "show every singleton" : "show only this singleton"}
          aria-pressed={focused}
        >
          {s.key}
        </button>
        <span className="muted">{s.bucket}</span>
        <span className={styles.spacer} />
        <StatusPill tone={status.tone} label={status.label} testId="lease-health" />
      </header>
      {/* A fixed one-line slot: an alarm appearing must not push the grid around (no layout jumps). */}
      <div className={styles.alarmSlot}>
        {alarms.split_brain && (
          <span
            className={styles.alarm}
            role="alert"
            data-testid="alarm-split-brain"
            title={`${alarms.split_brain.previous_holder} and ${alarms.split_brain.holder} wrote within one lease at ${formatUtc(alarms.split_brain.at, zone)}`}
          >
            SPLIT-BRAIN {alarms.split_brain.previous_holder} / {alarms.split_brain.holder} at {formatUtcTime(alarms.split_brain.at, zone)}
          </span>
        )}
        {alarms.flapping && (
          <span className={styles.alarm} role="alert" data-testid="alarm-flapping" title="more failovers than the flapping rule allows">
            {alarms.flapping.failovers} failovers in {formatDuration(alarms.flapping.window_ms)}
          </span>
        )}
      </div>
      <div className={styles.holderRow}>
        {s.holder && <span className={styles.swatch} style={{ background: holderColor(s.holder) }} />}
        <span className={styles.holder} data-testid="lock-holder">
          {s.holder ?? "— no holder —"}
        </span>
      </div>
      <KeyValueList
        layout="card"
        rows={[
          {
            label: "held since",
            className: "tabular",
            value: s.held_since ? `${formatUtc(s.held_since, zone)} · ${formatDuration(now - Date.parse(s.held_since))}` : "—",
          },
          {
            label: "last renew",
            className: "tabular",
            testId: "renew-age",
            value: (
              <>
                {health.age_ms !== null ? formatAgo(health.age_ms) : "—"} · every {formatDuration(s.renew_interval_ms)}
                {s.interval_source && <span className="muted"> ({s.interval_source === "value" ? "from value" : "observed"})</span>}
              </>
            ),
          },
          {
            label: "lease",
            value: (
              <>
                <LeaseBar health={health} intervalMs={s.renew_interval_ms} leaseMs={s.lease_ms} />
                <span className="muted tabular">
                  {" "}
                  ttl {formatDuration(s.lease_ms)}
                  {s.lease_source === "estimated" ? " (est. 3× interval)" : ""}
                </span>
              </>
            ),
          },
          {
            label: "passive",
            testId: "candidates",
            value: s.candidates.length ? s.candidates.join(", ") : <span className="muted">none seen</span>,
          },
          {
            label: "failovers",
            className: "tabular",
            testId: "failover-counts",
            value: `${failoversBetween(day, now - 3600_000, now)} last hour · ${failoversBetween(day, now - 24 * 3600_000, now)} last day`,
          },
          {
            label: windowLabel,
            className: "tabular",
            testId: "window-figures",
            value: (
              <>
                {figures.failovers} failovers ·{" "}
                <span data-testid="leaderless">{formatDuration(figures.leaderless_ms)} without a leader</span>
              </>
            ),
          },
        ]}
      />
      {s.warning && (
        <div className={styles.rawWarning}>
          <StatusPill tone="warn" label="unreadable value" title={s.warning} /> <code>{s.raw}</code>{" "}
          <span className="muted">{s.warning}</span>
        </div>
      )}
    </section>
  );
});
