"use client";
import { useState, type FormEvent } from "react";
import { MAX_SILENCE_REASON, type SilenceMatcher } from "@/lib/alerts/silences";
import { FINDING_RULES, type Finding } from "@/lib/findings/finding";
import { describeEntity } from "@/lib/alerts/payloads";
import { useAddSilence } from "./use-alerts";
import styles from "./alerts.module.css";

const DURATIONS: { minutes: number; label: string }[] = [
  { minutes: 15, label: "15 min" },
  { minutes: 60, label: "1 h" },
  { minutes: 240, label: "4 h" },
  { minutes: 1_440, label: "1 day" },
  { minutes: 10_080, label: "7 days" },
];

/** `finding:<id>` or `rule:<rule>`, as the select's values carry them. */
function parseMatcher(value: string): SilenceMatcher | null {
  const at = value.indexOf(":");
  const kind = value.slice(0, at);
  const rest = value.slice(at + 1);
  if (kind === "finding" && rest) return { kind: "finding", finding_id: rest };
  const rule = FINDING_RULES.find((r) => r === rest);
  return kind === "rule" && rule ? { kind: "rule", rule } : null;
}

/** The operator's form: mute one open finding, or every finding of a rule, for a while, with a reason. */
export function SilenceForm({ openFindings }: { openFindings: Finding[] }) {
  const [target, setTarget] = useState("");
  const [minutes, setMinutes] = useState(60);
  const [reason, setReason] = useState("");
  const add = useAddSilence(() => {
    setTarget("");
    setReason("");
  });
  const matcher = parseMatcher(target);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (matcher) add.mutate({ matcher, minutes, reason });
  };
  return (
    <form className={styles.form} onSubmit={submit} data-testid="silence-form">
      <label className={styles.field}>
        <span>Mute</span>
        <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="silence-target" required>
          <option value="">choose a finding or a rule…</option>
          {openFindings.length > 0 && (
            <optgroup label="An open finding">
              {openFindings.map((f) => (
                <option key={f.id} value={`finding:${f.id}`}>
                  {f.severity} · {describeEntity(f.entity)} · {f.rule}
                </option>
              ))}
            </optgroup>
          )}
          <optgroup label="Every finding of a rule">
            {FINDING_RULES.map((r) => (
              <option key={r} value={`rule:${r}`}>
                rule {r}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label className={styles.field}>
        <span>For</span>
        <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} data-testid="silence-duration">
          {DURATIONS.map((d) => (
            <option key={d.minutes} value={d.minutes}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      <input
        className={styles.reason}
        type="text"
        placeholder="Why? e.g. billing is being migrated, ticket OPS-412"
        maxLength={MAX_SILENCE_REASON}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        aria-label="Reason"
        data-testid="silence-reason"
        required
      />
      <button type="submit" className="btn" disabled={add.isPending || !matcher || !reason.trim()} data-testid="silence-add">
        {add.isPending ? "Silencing…" : "Silence"}
      </button>
      {add.error && (
        <span className="error-text" role="alert">
          {add.error.message}
        </span>
      )}
    </form>
  );
}
