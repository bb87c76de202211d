import type { HealthStatus } from "@/lib/consumers/health";
import styles from "./consumers.module.css";

/** Inline SVG, not a chart library: thousands of rows must stay cheap. Scaled to its own max, floor at zero. */
export function Sparkline({
  values,
  status,
  width = 90,
  height = 20,
}: {
  values: number[];
  status?: HealthStatus;
  width?: number;
  height?: number;
}) {
  if (values.length < 2) return <svg className={styles.spark} width={width} height={height} aria-hidden="true" />;
  const max = Math.max(1, ...values);
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`).join(" ");
  const tone = status === "OK" || status === undefined ? "" : status === "WARN" || status === "REWIND" ? styles.sparkWarn : styles.sparkBad;
  return (
    <svg
      className={`${styles.spark} ${tone}`}
      width={width}
      height={height}
      role="img"
      aria-label={`lag trend, latest ${values[values.length - 1]}`}
    >
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
