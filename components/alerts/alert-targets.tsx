import type { AlertTargetInfo, AlertTargetKind } from "@/lib/alerts/deliveries";
import styles from "./alerts.module.css";

const TARGET_LABEL: Record<AlertTargetKind, string> = { alertmanager: "Alertmanager", webhook: "JSON webhook", slack: "Slack webhook" };

/** Where findings are sent; URLs without their path or query, which may hold a secret. */
export function AlertTargets({ targets }: { targets: AlertTargetInfo[] }) {
  return (
    <section className="panel" aria-labelledby="alert-targets-title" data-testid="alert-targets">
      <h2 id="alert-targets-title">Targets</h2>
      {targets.length === 0 ? (
        <p className="muted">
          No targets configured: set BUSDECK_ALERTMANAGER_URL, BUSDECK_ALERT_WEBHOOK_URL or BUSDECK_SLACK_WEBHOOK_URL.
        </p>
      ) : (
        <ul className={styles.targets}>
          {targets.map((t) => (
            <li key={t.kind} className={styles.target} data-testid="alert-target" data-kind={t.kind}>
              <strong>{TARGET_LABEL[t.kind]}</strong>
              <code>{t.url}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
