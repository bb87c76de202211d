"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { useIsOperator } from "@/components/shell/role";
import { viewOfPath } from "@/lib/snapshot-views";
import styles from "./snapshots.module.css";
import { useFreeze } from "./use-freeze";

/** Top-bar action on every freezable view: store what it shows now and offer the permalink. */
export function FreezeButton() {
  const path = usePathname();
  const operator = useIsOperator();
  const freeze = useFreeze();
  const { reset } = freeze;
  // A permalink belongs to the view it was taken on: navigating away clears it.
  useEffect(() => reset(), [path, reset]);
  if (!path || viewOfPath(path) === null) return null;
  return (
    <span className={styles.freeze}>
      <button
        type="button"
        className="btn"
        onClick={() => freeze.mutate()}
        disabled={!operator || freeze.isPending}
        title={operator ? "Store the exact data behind this view and get a permalink that never changes" : "Freezing a view needs the operator role"}
        data-testid="freeze-button"
      >
        {freeze.isPending ? "Freezing…" : "Freeze"}
      </button>
      {freeze.data && (
        <Link href={freeze.data.permalink} className={styles.freezeResult} data-testid="freeze-permalink">
          {freeze.data.permalink} ↗
        </Link>
      )}
      {freeze.error && (
        <span className={styles.freezeError} role="alert" title={freeze.error.message}>
          {freeze.error.message}
        </span>
      )}
    </span>
  );
}
