/** A status shown by colour AND a text label, so it survives a grayscale printout. */
export type Tone = "ok" | "warn" | "bad" | "info" | "neutral";

/** `sentence`: a phrase with figures and units ("sampled 2s ago"), kept in its own case rather than capitals. */
export function StatusPill({
  tone,
  label,
  title,
  testId,
  sentence = false,
}: {
  tone: Tone;
  label: string;
  title?: string;
  testId?: string;
  sentence?: boolean;
}) {
  return (
    <span className={`pill pill-${tone}${sentence ? " pill-sentence" : ""}`} title={title} data-testid={testId}>
      {label}
    </span>
  );
}
