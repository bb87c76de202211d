/** Realistic reflex outcome messages for benches: the demo's own handlers and payload builders, seeded. */
import { HandlerRaised, malformedOutcome, outcomeBody, runHandler, type HandlerResult } from "../../server/demo/reflex";
import { Rng } from "../../server/demo/random";
import { buildSensoryEvent, HANDLER_IDS } from "../../server/demo/sensory";

export interface BenchMessage {
  subject: string;
  data: Uint8Array;
  msgId: string;
}

/** `n` distinct outcomes: ~8 % errored (with tracebacks), ~1 % malformed, the rest logged. */
export function outcomeMessages(n: number, seed = 42): BenchMessage[] {
  const rng = new Rng(seed);
  const enc = new TextEncoder();
  const now = new Date();
  const out: BenchMessage[] = [];
  for (let i = 0; i < n; i++) {
    const handler = HANDLER_IDS[i % HANDLER_IDS.length]!;
    const ev = buildSensoryEvent(handler, rng, now, rng.chance(0.08));
    let result: HandlerResult | HandlerRaised;
    try {
      result = runHandler(handler, ev.payload);
    } catch (err) {
      result = err as HandlerRaised;
    }
    const body = outcomeBody(handler, { subject: ev.subject, id: ev.id, payload: ev.payload, receivedAt: now }, result, now, 3);
    const data = rng.chance(0.01)
      ? malformedOutcome(rng.pick(["python-repr", "unknown-severity"] as const), body).data
      : enc.encode(JSON.stringify(body));
    out.push({ subject: `reflex.outcome.${handler}`, data, msgId: rng.uuid() });
  }
  return out;
}
