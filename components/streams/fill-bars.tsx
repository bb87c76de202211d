import { formatBytes, formatCount, formatDuration } from "@/lib/format";
import type { FillLevel } from "@/lib/streams/types";
import styles from "./streams.module.css";

const KIND_LABEL: Record<FillLevel["limit"], string> = { bytes: "bytes", msgs: "msgs", age: "age" };

/** Limits are round numbers: "1 GiB" reads better than "1.0 GiB". */
export const roundBytes = (n: number) => formatBytes(n).replace(/\.0 /, " ");

/** "812 MiB / 1 GiB", "1,204 / 10,000", "2h 05m / 7d 00h". */
export function fillLabel(l: FillLevel): string {
  if (l.limit === "bytes") return `${formatBytes(l.used)} / ${roundBytes(l.max)}`;
  if (l.limit === "msgs") return `${formatCount(l.used)} / ${formatCount(l.max)}`;
  return `${formatDuration(l.used)} / ${formatDuration(l.max)}`;
}

const tone = (l: FillLevel) =>
  l.status === "full" ? "tone-bad" : l.status === "filling" ? "tone-warn" : l.limit === "age" ? "tone-neutral" : "tone-ok";

/** One bar per configured limit; the colour says ok / filling / full and the title says when. */
export function FillBars({ levels, testId }: { levels: FillLevel[]; testId?: string }) {
  if (levels.length === 0) return <span className="muted">no limits</span>;
  return (
    <div className={styles.fills} data-testid={testId}>
      {levels.map((l) => (
        <div key={l.limit} className={styles.fill} title={fillTitle(l)}>
          <span className={styles.fillKind}>{KIND_LABEL[l.limit]}</span>
          <div
            className={styles.fillTrack}
            role="meter"
            aria-valuenow={Math.round(Math.min(1, l.ratio) * 100)}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-label={`${l.limit} ${fillLabel(l)}`}
          >
            <div
              className={`${styles.fillBar} ${styles[tone(l)]}`}
              style={{ width: `${Math.min(100, Math.max(l.ratio > 0 ? 2 : 0, l.ratio * 100))}%` }}
            />
          </div>
          <span className={styles.fillLabel}>{fillLabel(l)}</span>
        </div>
      ))}
    </div>
  );
}

function fillTitle(l: FillLevel): string {
  const pct = `${(l.ratio * 100).toFixed(1)}%`;
  if (l.limit === "age") return `oldest message is ${formatDuration(l.used)} old (${pct} of max age)`;
  if (l.status === "full") return `${pct}: at the limit`;
  if (l.eta_ms !== null) return `${pct}: full in ~${formatDuration(l.eta_ms)} at the current rate`;
  return `${pct}: not growing`;
}
