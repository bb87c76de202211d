import type { LeaseHealth } from "@/lib/failover/lock-transitions";
import styles from "./failover.module.css";

/**
 * Age of the last renew as a share of the lease, with ticks where it turns amber (1.5 renew intervals) and
 * red (the lease). The colour always comes with the health label next to it.
 */
export function LeaseBar({ health, intervalMs, leaseMs }: { health: LeaseHealth; intervalMs: number | null; leaseMs: number | null }) {
  const amberAt = intervalMs && leaseMs ? Math.min(1, (intervalMs * 1.5) / leaseMs) : null;
  return (
    <div
      className={styles.leaseBar}
      data-state={health.state}
      role="meter"
      aria-label="lease used"
      aria-valuemin={0}
      aria-valuemax={1}
      aria-valuenow={health.fraction}
      data-testid="lease-bar"
    >
      <div className={styles.leaseFill} style={{ transform: `scaleX(${Math.max(0.02, Math.min(1, health.fraction))})` }} />
      {amberAt !== null && <div className={styles.leaseTick} style={{ left: `${amberAt * 100}%` }} title="1.5 renew intervals" />}
    </div>
  );
}
