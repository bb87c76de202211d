/** A status shown by colour AND a text label, so it survives a grayscale printout. */
export type Tone = "ok" | "warn" | "bad" | "info" | "neutral";

export function StatusPill({ tone, label, title, testId }: { tone: Tone; label: string; title?: string; testId?: string }) {
  return (
    <span className={`pill pill-${tone}`} title={title} data-testid={testId}>
      {label}
    </span>
  );
}
