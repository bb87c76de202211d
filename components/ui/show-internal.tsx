"use client";
import { formatCount } from "@/lib/format";
import { KIND_LABEL, type ConnectionKind, type ConsumerKind, type StreamKind } from "@/lib/own-resources";
import styles from "./show-internal.module.css";

/**
 * The lists' "show internal" toggle: busdeck's own, ephemeral and KV/object-store backing rows are hidden until
 * it is on, and it says how many there are. Its state is the view's URL parameter.
 */
export function ShowInternalToggle({
  count,
  checked,
  onChange,
  title,
  testId,
}: {
  /** Rows that are not the application's, hidden while the toggle is off. */
  count: number;
  checked: boolean;
  onChange: (checked: boolean) => void;
  title: string;
  testId: string;
}) {
  return (
    <label className={styles.toggle} title={title}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      <span data-testid={`${testId}-label`}>
        Show internal ({formatCount(count)} {checked ? "shown" : "hidden"})
      </span>
    </label>
  );
}

/**
 * A row's classification as a small muted label; the application's rows have none. `leading`: before the row's
 * name, where a cell that cuts long text keeps it in view.
 */
export function KindTag({
  kind,
  testId,
  leading = false,
}: {
  kind: StreamKind | ConsumerKind | ConnectionKind;
  testId?: string;
  leading?: boolean;
}) {
  if (kind === "application") return null;
  return (
    <span className={`${styles.tag} ${leading ? styles.leading : ""}`} data-testid={testId} data-kind={kind}>
      {KIND_LABEL[kind]}
    </span>
  );
}
