/**
 * One line of an outcome log (JSON lines, as a reflex runtime logs its outcomes) turned into the message busdeck
 * reads: subject `<prefix>.<handler_id>`, the body as it was, and a Nats-Msg-Id so publishing the same log twice
 * stores each outcome once. Pure; the id's hash is passed in.
 */
import { OutcomeBodySchema } from "./outcome";

export type OutcomeLine =
  | { ok: true; subject: string; msgId: string; data: string }
  | { ok: false; error: string }
  /** A blank line: nothing to publish, nothing wrong. */
  | { ok: "blank" };

/** A handler id must be one or more subject tokens: no spaces, wildcards or empty tokens. */
const SUBJECT_TOKENS = /^[^\s.*>]+(?:\.[^\s.*>]+)*$/;

export function outcomeLine(line: string, prefix: string, hash: (text: string) => string): OutcomeLine {
  const text = line.trim();
  if (!text) return { ok: "blank" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
  const parsed = OutcomeBodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}` };
  }
  const handler = parsed.data.handler_id;
  if (!SUBJECT_TOKENS.test(handler)) return { ok: false, error: `handler_id: ${JSON.stringify(handler)} is not usable in a subject` };
  // An id the record carries names it; otherwise its content does (the same line twice is the same outcome).
  const own = (json as { id?: unknown }).id;
  const msgId = typeof own === "string" && own ? own : `outcome-${hash(text)}`;
  return { ok: true, subject: `${prefix}.${handler}`, msgId, data: text };
}
