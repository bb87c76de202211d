import type { NatsConnection } from "@nats-io/nats-core";

const enc = new TextEncoder();

/**
 * Publishes `count` Reflex outcomes of `handler` as a handler would (core NATS on reflex.outcome.<handler>); an
 * errored one carries `exception` (the same, or one per index) as its traceback's last line, so it joins that
 * error group; `vary` gives each outcome its own target and event payload, emission time and duration.
 */
export async function publishOutcomes(
  nc: NatsConnection,
  handler: string,
  count: number,
  outcome: { kind: "errored"; exception: string | ((i: number) => string) } | { kind: "logged" },
  vary: {
    target?: (i: number) => string;
    payload?: (i: number) => unknown;
    emittedAt?: (i: number) => Date;
    durationMs?: (i: number) => number;
  } = {},
) {
  for (let i = 0; i < count; i++) {
    const exception =
      outcome.kind === "errored" ? (typeof outcome.exception === "string" ? outcome.exception : outcome.exception(i)) : null;
    const body = {
      handler_id: handler,
      severity: outcome.kind === "errored" ? "high" : "info",
      kind: outcome.kind,
      target: vary.target?.(i) ?? null,
      summary: `${handler} ${outcome.kind}`,
      ...(exception !== null && { diagnostic: `Traceback (most recent call last):\n  File "x.py", line 1\n${exception}` }),
      event: { subject: `e2e.${handler}`, payload: vary.payload?.(i) ?? {} },
      emitted_at: (vary.emittedAt?.(i) ?? new Date()).toISOString(),
      ...(vary.durationMs && { duration_ms: vary.durationMs(i) }),
    };
    nc.publish(`reflex.outcome.${handler}`, enc.encode(JSON.stringify(body)));
  }
  await nc.flush();
}
