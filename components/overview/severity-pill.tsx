import { StatusPill, type Tone } from "@/components/ui/status-pill";
import type { FindingSeverity } from "@/lib/findings/finding";

export const SEVERITY_TONE: Record<FindingSeverity, Tone> = { critical: "bad", warning: "warn", info: "info" };

/** A finding's severity by colour and word. */
export function SeverityPill({ severity }: { severity: FindingSeverity }) {
  return <StatusPill tone={SEVERITY_TONE[severity]} label={severity} testId="finding-severity" />;
}
