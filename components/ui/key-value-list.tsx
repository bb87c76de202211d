import type { ReactNode } from "react";
import styles from "./key-value-list.module.css";

export interface KeyValueRow {
  label: string;
  value: ReactNode;
  /** Test id of the value. */
  testId?: string;
  /** Extra class of the value (a tone such as "warn-text"). */
  className?: string;
  /** Key and value in the monospace face (subjects, header names). */
  mono?: boolean;
}

/** fit: keys as wide as the longest; fixed: one key width across panels; card: a small card's short uppercase keys. */
export type KeyValueLayout = "fit" | "fixed" | "card";

/** Labelled facts (configuration, state, headers) as one definition list: keys muted on the left, values beside them. */
export function KeyValueList({ rows, layout = "fit" }: { rows: KeyValueRow[]; layout?: KeyValueLayout }) {
  return (
    <dl className={layout === "fit" ? styles.list : `${styles.list} ${styles[layout]}`}>
      {rows.map((row) => (
        <div key={row.label} style={{ display: "contents" }}>
          <dt className={row.mono ? "mono" : undefined}>{row.label}</dt>
          <dd className={[row.mono ? "mono" : "", row.className ?? ""].join(" ").trim() || undefined} data-testid={row.testId}>
            {row.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
