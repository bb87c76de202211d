import { useDisplayZone } from "@/components/ui/display-zone";
import { FINDING_SEVERITIES } from "@/lib/findings/finding";
import { openedIn, type FindingsTimeline, type TimelineBucket } from "@/lib/findings/triage";
import { formatCount, formatUtcTime, zoneName } from "@/lib/format";
import styles from "./overview.module.css";

/** Each bucket's column in the SVG's own units; the SVG stretches to the panel's width. */
const COLUMN = 10;
const BAR = 8;
const HALF = 30;
const TICK_EVERY_MS = 6 * 3600_000;

/** Severities stacked from the midline out, the worst nearest it. */
const STACK = [...FINDING_SEVERITIES];

/** "12:00Z": a tick names the hour and minute; the zone letter stays. */
const tickLabel = (t: number, zone: ReturnType<typeof useDisplayZone>) => {
  const time = formatUtcTime(t, zone);
  return `${time.slice(0, 5)}${time.slice(-1)}`;
};

function bucketTitle(b: TimelineBucket, bucketMs: number, zone: ReturnType<typeof useDisplayZone>): string {
  const opened = openedIn(b);
  const bySeverity = STACK.filter((s) => b.opened[s] > 0).map((s) => `${b.opened[s]} ${s}`);
  const detail = bySeverity.length > 0 ? ` (${bySeverity.join(", ")})` : "";
  return `${formatUtcTime(b.start, zone)}–${formatUtcTime(b.start + bucketMs, zone)}: ${opened} opened${detail}, ${b.resolved} resolved`;
}

/**
 * The last 24 h of findings in one strip: openings above the line (coloured by severity, the worst nearest the
 * line), resolutions below it, one column per quarter hour.
 */
export function FindingsTimelineChart({ timeline }: { timeline: FindingsTimeline }) {
  const zone = useDisplayZone();
  const { buckets, bucketMs, from, to, peak } = timeline;
  const scale = peak > 0 ? HALF / peak : 0;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / TICK_EVERY_MS) * TICK_EVERY_MS; t < to; t += TICK_EVERY_MS) ticks.push(t);
  const summary = `Findings over the last 24 h: ${formatCount(timeline.opened)} opened, ${formatCount(timeline.resolved)} resolved`;
  return (
    <section className="panel" aria-labelledby="findings-timeline-title" data-testid="findings-timeline">
      <h2 id="findings-timeline-title">
        Last 24 h <span className="muted tabular">({zoneName(zone)})</span>{" "}
        <span className="muted tabular" data-testid="findings-timeline-totals">
          · {formatCount(timeline.opened)} opened · {formatCount(timeline.resolved)} resolved
        </span>
      </h2>
      <svg
        className={styles.strip}
        viewBox={`0 0 ${buckets.length * COLUMN} ${HALF * 2 + 1}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={summary}
      >
        <line x1={0} x2={buckets.length * COLUMN} y1={HALF + 0.5} y2={HALF + 0.5} className={styles.midline} />
        {buckets.map((b, i) => {
          const x = i * COLUMN + (COLUMN - BAR) / 2;
          let top = HALF;
          return (
            <g key={b.start}>
              <title>{bucketTitle(b, bucketMs, zone)}</title>
              {STACK.map((s) => {
                const h = b.opened[s] * scale;
                if (h === 0) return null;
                top -= h;
                return <rect key={s} x={x} y={top} width={BAR} height={h} className={styles[`opened_${s}`]} />;
              })}
              {b.resolved > 0 && <rect x={x} y={HALF + 1} width={BAR} height={b.resolved * scale} className={styles.resolved} />}
            </g>
          );
        })}
      </svg>
      <div className={styles.ticks} aria-hidden="true">
        {ticks.map((t) => (
          <span key={t} style={{ left: `${((t - from) / (to - from)) * 100}%` }}>
            {tickLabel(t, zone)}
          </span>
        ))}
      </div>
      <div className={`${styles.legend} muted`}>
        <span className={styles.keyCritical}>critical</span> <span className={styles.keyWarning}>warning</span>{" "}
        <span className={styles.keyInfo}>info</span> opened above the line · <span className={styles.keyResolved}>resolved</span> below
      </div>
    </section>
  );
}
