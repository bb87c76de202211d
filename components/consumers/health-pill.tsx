import { StatusPill } from "@/components/ui/status-pill";
import { statusTone, type HealthVerdict } from "@/lib/consumers/health";

/** The health status by colour and label; the rule and its evidence on hover. */
export function HealthPill({ verdict, testId }: { verdict: HealthVerdict | null | undefined; testId?: string }) {
  if (!verdict) return <StatusPill tone="neutral" label="…" title="not evaluated yet" testId={testId} />;
  return (
    <StatusPill tone={statusTone(verdict.status)} label={verdict.status} title={`${verdict.rule}: ${verdict.evidence}`} testId={testId} />
  );
}
