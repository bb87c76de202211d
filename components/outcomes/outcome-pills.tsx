import { StatusPill, type Tone } from "@/components/ui/status-pill";
import type { Severity } from "@/lib/outcomes/outcome";

const SEVERITY_TONE: Record<Severity, Tone> = { info: "info", warn: "warn", high: "bad", critical: "bad" };

export function SeverityPill({ severity }: { severity: Severity }) {
  return <StatusPill tone={SEVERITY_TONE[severity]} label={severity} />;
}

/** `errored` stands out; `logged` is the quiet default; unknown kinds are shown as they are. */
export function KindLabel({ kind }: { kind: string }) {
  if (kind === "errored") return <StatusPill tone="bad" label="errored" />;
  if (kind === "logged") return <span className="muted">logged</span>;
  return <StatusPill tone="neutral" label={kind} />;
}

export function MalformedBadge({ reason }: { reason: string }) {
  return <StatusPill tone="warn" label="malformed" title={reason} testId="malformed-badge" />;
}
