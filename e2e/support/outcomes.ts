import type { NatsConnection } from "@nats-io/nats-core";

const enc = new TextEncoder();

/**
 * Publishes `count` Reflex outcomes of `handler` as a handler would (core NATS on reflex.outcome.<handler>); an
 * errored one carries `exception` as its traceback's last line, so it joins that error group.
 */
export async function publishOutcomes(
  nc: NatsConnection,
  handler: string,
  count: number,
  outcome: { kind: "errored"; exception: string } | { kind: "logged" },
) {
  for (let i = 0; i < count; i++) {
    const body = {
      handler_id: handler,
      severity: outcome.kind === "errored" ? "high" : "info",
      kind: outcome.kind,
      target: null,
      summary: `${handler} ${outcome.kind}`,
      ...(outcome.kind === "errored" && { diagnostic: `Traceback (most recent call last):\n  File "x.py", line 1\n${outcome.exception}` }),
      event: { subject: `e2e.${handler}`, payload: {} },
      emitted_at: new Date().toISOString(),
    };
    nc.publish(`reflex.outcome.${handler}`, enc.encode(JSON.stringify(body)));
  }
  await nc.flush();
}
