import styles from "./ignored-param.module.css";

/** A URL parameter the view could not use, named with the reason, so a bad link is never silently a different view. */
export function IgnoredParam({ problem, testId }: { problem: string; testId?: string }) {
  return (
    <div className={styles.banner} role="status" data-testid={testId}>
      Ignored a bad URL parameter — {problem}
    </div>
  );
}
