"use client";
import { useState, type FormEvent } from "react";
import { StatusPill } from "@/components/ui/status-pill";
import { EmptyRow } from "@/components/ui/empty-row";
import { formatBytes, formatCount, formatUtc, formatUtcTime, type DisplayZone } from "@/lib/format";
import { parseSubject, filterCovers, tokensOf } from "@/lib/bus/subjects";
import { TAIL_SHOWN, type BusSubjectsSnapshot } from "@/lib/bus/subject-tap";
import type { useSubjectTail } from "./use-subject-tail";
import styles from "./subject-tap.module.css";

/** Why a typed tail subject can't be tailed: malformed (the server's own check), or outside the tapped subjects. */
export function tailProblem(text: string, configured: readonly string[]): string | null {
  const parsed = parseSubject(text);
  if (!parsed.ok) return parsed.problem;
  if (!configured.some((f) => filterCovers(tokensOf(f), parsed.subject.tokens)))
    return `not within the tapped subjects (${configured.join(", ") || "none"})`;
  return null;
}

/** One subject's messages as the tap receives them, masked, newest first, bounded. */
export function SubjectTailPanel({
  tail,
  snap,
  zone,
}: {
  tail: ReturnType<typeof useSubjectTail>;
  snap: BusSubjectsSnapshot;
  zone: DisplayZone;
}) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  // A Tail button elsewhere on the page starts a subject: the field follows it.
  const [shown, setShown] = useState(tail.subject);
  if (tail.subject !== shown) {
    setShown(tail.subject);
    setText(tail.subject ?? "");
    setError(null);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = tailProblem(text, snap.tap.configured);
    setError(problem);
    if (!problem) tail.start(text);
  };
  const off = snap.tap.mode === "off";
  return (
    <section className="panel" aria-labelledby="subject-tail-title" data-testid="subject-tail">
      <h2 id="subject-tail-title">
        Live tail{" "}
        <span className={`muted ${styles.headNote}`}>
          · payloads masked, newest first, the last {formatCount(TAIL_SHOWN)} kept, at most 20 msg/s
        </span>
      </h2>
      <form className={`toolbar ${styles.tailForm}`} onSubmit={submit} aria-label="Tail a subject">
        <label htmlFor="subject-tail-input">Subject</label>
        <input
          id="subject-tail-input"
          className={`mono ${styles.tailInput}`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="orders.*.created"
          spellCheck={false}
          autoComplete="off"
          disabled={off}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "subject-tail-error" : undefined}
          data-testid="subject-tail-input"
        />
        <button type="submit" className="btn" disabled={off} data-testid="subject-tail-start">
          {tail.state === "live" ? "Tail this instead" : "Start tail"}
        </button>
        {tail.state === "live" && (
          <button type="button" className="btn" onClick={tail.stop}>
            Stop
          </button>
        )}
        <StatusPill
          tone={tail.state === "live" ? "ok" : tail.state === "error" ? "bad" : "neutral"}
          label={tail.state === "live" ? `tailing ${tail.subject}` : tail.state === "error" ? "tail stopped" : "not tailing"}
          sentence
          testId="subject-tail-state"
        />
        <span id="subject-tail-error" className={`bad-text ${styles.tailError}`} role="alert" data-testid="subject-tail-error">
          {error}
        </span>
      </form>
      {tail.note && (
        <p className="warn-text" role="status">
          {tail.note}
        </p>
      )}
      <div className={styles.tailScroller} tabIndex={0} role="region" aria-label="Tailed messages">
        <table className="data">
          <thead>
            <tr>
              <th>Received</th>
              <th>Subject</th>
              <th className="num">Size</th>
              <th>Payload</th>
            </tr>
          </thead>
          <tbody>
            {tail.messages.map((m, i) => (
              <tr key={`${m.at}-${tail.messages.length - i}`} data-testid="subject-tail-row">
                <td className="tabular" title={formatUtc(m.at, zone, true)}>
                  {formatUtcTime(m.at, zone)}
                </td>
                <td className="mono">{m.subject}</td>
                <td className="num tabular">{formatBytes(m.size)}</td>
                <td className={`mono ${styles.payload}`} title={m.payload.text}>
                  {m.payload.text}
                  {m.redacted > 0 && <span className="muted"> ({formatCount(m.redacted)} masked)</span>}
                </td>
              </tr>
            ))}
            {tail.messages.length === 0 && (
              <EmptyRow columns={4}>
                {off
                  ? "The tap is off."
                  : tail.state === "live"
                    ? "Tailing: no message yet."
                    : "Not tailing: type a subject, or press Tail on a row."}
              </EmptyRow>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
