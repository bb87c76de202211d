import { describe, expect, it } from "vitest";
import type { DeliveryRecord } from "../../lib/alerts/deliveries";
import type { Finding } from "../../lib/findings/finding";
import { createDeliveryQueue, type Delivery } from "./delivery-queue";
import type { AlertTarget } from "./targets";

const finding = (id: string): Finding => ({
  id,
  severity: "critical",
  entity: { kind: "stream", stream: id },
  rule: "stream_limit",
  evidence: "full",
  link: `/streams/${id}`,
  state: "open",
  since: "2026-12-07T09:00:00.000Z",
  resolved_at: null,
});
const delivery = (id: string): Delivery => ({ id, transition: "opened", finding_id: id, link: `/streams/${id}`, findings: [finding(id)] });

/** A target whose sends succeed or fail as the test says, one promise per call. */
function scriptedTarget() {
  const calls: { ids: string[]; settle: (err?: Error) => void }[] = [];
  const target: AlertTarget = {
    kind: "webhook",
    info: { kind: "webhook", url: "http://x" },
    send: (findings) =>
      new Promise<void>((resolve, reject) =>
        calls.push({ ids: findings.map((f) => f.id), settle: (err) => (err ? reject(err) : resolve()) }),
      ),
  };
  return { target, calls };
}

const nextTick = () => new Promise((r) => setTimeout(r, 0));
async function until(what: string, probe: () => boolean) {
  for (let i = 0; i < 1_000 && !probe(); i++) await nextTick();
  if (!probe()) throw new Error(`never: ${what}`);
}

describe("alert delivery queue", () => {
  it("delivery queue - enqueue returns at once while a send hangs; deliveries go out in order, one at a time", async () => {
    const { target, calls } = scriptedTarget();
    const records: DeliveryRecord[] = [];
    const queue = createDeliveryQueue({ target, onRecord: (r) => records.push(r) });
    queue.enqueue(delivery("a"));
    queue.enqueue(delivery("b"));
    expect(queue.size()).toBe(2);
    expect(calls.map((c) => c.ids)).toEqual([["a"]]);
    calls[0]!.settle();
    await until("b is sent", () => calls.length === 2);
    expect(calls[1]!.ids).toEqual(["b"]);
    calls[1]!.settle();
    await until("both delivered", () => records.length === 2);
    expect(records.map((r) => [r.finding_id, r.result, r.attempts])).toEqual([
      ["a", "delivered", 1],
      ["b", "delivered", 1],
    ]);
    queue.stop();
  });

  it("delivery queue - a failed attempt is logged as retrying, retried after back-off, and failed when out of attempts", async () => {
    const { target, calls } = scriptedTarget();
    const records: DeliveryRecord[] = [];
    const queue = createDeliveryQueue({ target, onRecord: (r) => records.push(r), backoff: { baseMs: 1, maxMs: 2, maxAttempts: 3 } });
    queue.enqueue(delivery("a"));
    for (let attempt = 1; attempt <= 3; attempt++) {
      await until(`attempt ${attempt}`, () => calls.length === attempt);
      calls[attempt - 1]!.settle(new Error("ECONNREFUSED"));
    }
    await until("given up", () => records.some((r) => r.result === "failed"));
    expect(records.map((r) => `${r.result}/${r.attempts}/${r.error}`)).toEqual([
      "retrying/1/ECONNREFUSED",
      "retrying/2/ECONNREFUSED",
      "failed/3/ECONNREFUSED",
    ]);
    expect(new Set(records.map((r) => r.id)).size).toBe(1);
    queue.stop();
  });

  it("delivery queue - a full queue drops the new delivery and logs it, keeping the ones already queued", () => {
    const { target, calls } = scriptedTarget();
    const records: DeliveryRecord[] = [];
    const queue = createDeliveryQueue({ target, onRecord: (r) => records.push(r), capacity: 2 });
    for (const id of ["a", "b", "c"]) queue.enqueue(delivery(id));
    expect(queue.size()).toBe(2);
    expect(records).toMatchObject([{ finding_id: "c", result: "dropped", attempts: 0, error: "queue full (2 waiting)" }]);
    expect(calls.length).toBe(1);
    queue.stop();
  });
});
