import styles from "./warning-banner.module.css";

/**
 * A URL parameter the view could not use, named with the reason, so a bad link is never silently a different
 * view. `lead` says what was done when it is not "ignored" (a value kept that nothing matches).
 */
export function IgnoredParam({
  problem,
  testId,
  lead = "Ignored a bad URL parameter",
}: {
  problem: string;
  testId?: string;
  lead?: string;
}) {
  return (
    <div className={styles.banner} role="status" data-testid={testId}>
      {lead} — {problem}
    </div>
  );
}
