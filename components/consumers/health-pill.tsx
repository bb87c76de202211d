import { StatusPill } from "@/components/ui/status-pill";
import { statusTone, type HealthVerdict } from "@/lib/consumers/health";

/**
 * The health status by colour and label; the rule and its evidence on hover. A consumer of busdeck's own
 * bookkeeping (`own`) keeps its label but never an alarm colour: it says nothing about the bus.
 */
export function HealthPill({
  verdict,
  own = false,
  testId,
}: {
  verdict: HealthVerdict | null | undefined;
  own?: boolean;
  testId?: string;
}) {
  if (!verdict) return <StatusPill tone="neutral" label="…" title="not evaluated yet" testId={testId} />;
  const why = `${verdict.rule}: ${verdict.evidence}`;
  return (
    <StatusPill
      tone={own ? "neutral" : statusTone(verdict.status)}
      label={verdict.status}
      title={own ? `busdeck's own consumer, never an alarm. ${why}` : why}
      testId={testId}
    />
  );
}
