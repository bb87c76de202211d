import { describe, expect, it } from "vitest";
import { FoldBatchBuilder, OutcomeFold, recordId, type FoldBatch } from "./fold";
import { RollupBuilder } from "./rollup";
import { OutcomeAggregator } from "./stats";
import { parseOutcome, type OutcomeBody, type OutcomeRecord } from "./outcome";
import { REDACTED, summaryRedactor } from "../security/redaction";

const T0 = Date.parse("2026-11-23T14:00:00.000Z");
const PREFIX = "reflex.outcome";
const enc = new TextEncoder();
const meta = { stream_available: true, history: { mode: "pending" as const } };

const body = (handler: string, kind: string, at: number, extra: Partial<OutcomeBody> = {}): OutcomeBody => ({
  handler_id: handler,
  severity: kind === "errored" ? "high" : "info",
  kind,
  target: kind === "errored" ? null : `dev-${handler}`,
  ...(kind === "errored" ? { diagnostic: `Traceback (most recent call last):\n  File "/a.py", line 1, in f\nKeyError: '${handler}'` } : {}),
  event: { subject: `sensory.${handler}`, payload: { password: "hunter2", n: at } },
  emitted_at: new Date(at).toISOString(),
  ...extra,
});

interface Msg {
  subject: string;
  data: Uint8Array;
  id: number;
  at: number;
}

/** A mix of handlers, kinds, stored (id > 0) and live (id < 0) records, and malformed bytes, over three minutes. */
function messages(): Msg[] {
  const out: Msg[] = [];
  for (let i = 0; i < 300; i++) {
    const handler = ["bgp_drop", "link_down", "security_webhook"][i % 3]!;
    const at = T0 + i * 600;
    const data =
      i % 37 === 0
        ? enc.encode(`ReflexOutcome(handler_id='${handler}')`)
        : i % 53 === 0
          ? new Uint8Array([0x7b, 0xff, 0x7d])
          : enc.encode(JSON.stringify(body(handler, i % 5 === 0 ? "errored" : "logged", at)));
    out.push({ subject: `${PREFIX}.${handler}`, data, id: i % 4 === 0 ? -(i + 1) : i + 1, at });
  }
  return out;
}

const build = (msgs: Msg[], builder = new FoldBatchBuilder()): FoldBatch => {
  for (const m of msgs) builder.add(m.subject, m.data, 0, m.id, m.at);
  return builder.take()!;
};

describe("outcome fold", () => {
  it("outcome-fold - a batch carries each message's bytes, id, arrival and subject, through growth past its first arrays", () => {
    const msgs = messages();
    const b = build(msgs);
    expect(b.ends.length).toBe(msgs.length);
    expect(b.subjects).toHaveLength(3);
    let start = 0;
    msgs.forEach((m, i) => {
      expect(b.data.subarray(start, b.ends[i])).toEqual(m.data);
      expect(b.ids[i]).toBe(m.id);
      expect(b.arrivedAt[i]).toBe(m.at);
      expect(b.subjects[b.subjectOf[i]!]).toBe(m.subject);
      start = b.ends[i]!;
    });
  });

  it("outcome-fold - take hands over the arrays and starts empty; recycled arrays are reused, not shared with a live batch", () => {
    const builder = new FoldBatchBuilder();
    const msgs = messages();
    const first = build(msgs.slice(0, 10), builder);
    expect(builder.take()).toBeNull();
    const second = build(msgs.slice(10, 20), builder);
    expect(second.data.buffer).not.toBe(first.data.buffer);
    builder.recycle(first);
    // The arrays in use were allocated when `second` was taken; the recycled ones come in at the next take.
    const third = build(msgs.slice(20, 25), builder);
    expect(third.data.buffer).not.toBe(first.data.buffer);
    const fourth = build(msgs.slice(25, 30), builder);
    expect(fourth.data.buffer).toBe(first.data.buffer);
    expect(fourth.ends.length).toBe(5);
    expect(fourth.ids[0]).toBe(msgs[25]!.id);
    // The batches still out are untouched by the reuse.
    expect([second.ids[0], third.ids[0]]).toEqual([msgs[10]!.id, msgs[20]!.id]);
  });

  it("outcome-fold - folding batches gives the summary and rollups parsing and aggregating record by record gives", () => {
    const msgs = messages();
    const redact = summaryRedactor([], []);
    const fold = new OutcomeFold({ prefix: PREFIX, redact });
    const builder = new FoldBatchBuilder();
    const closed = [...fold.fold(build(msgs.slice(0, 170), builder), true), ...fold.fold(build(msgs.slice(170), builder), true)];

    const agg = new OutcomeAggregator();
    const rollups = new RollupBuilder();
    const expectedClosed = [];
    for (const m of msgs) {
      const r: OutcomeRecord = redact(
        parseOutcome({
          id: recordId(m.id),
          subject: m.subject,
          data: m.data,
          received_at: new Date(m.at).toISOString(),
          stream_seq: m.id > 0 ? m.id : undefined,
          prefix: PREFIX,
        }),
      );
      agg.add(r);
      if (m.id > 0) expectedClosed.push(...rollups.add(r, m.at, m.id));
    }
    const now = T0 + 300 * 600;
    expect(fold.snapshot(now, meta)).toEqual(agg.snapshot(now, meta));
    expect(fold.snapshot(now, meta).malformed).toBeGreaterThan(0);
    expect(closed).toEqual(expectedClosed);
    expect(closed.length).toBeGreaterThan(0);
    // Record ids as the feed gives them: a sequence, or live-N.
    expect([recordId(5), recordId(-3)]).toEqual(["5", "live-3"]);
  });

  it("outcome-fold - the summary is masked by the rules it was given", () => {
    const errored = enc.encode(JSON.stringify(body("bgp_drop", "errored", T0)));
    const exceptions = (fields: string[]) => {
      const fold = new OutcomeFold({ prefix: PREFIX, redact: summaryRedactor(fields, []) });
      const builder = new FoldBatchBuilder();
      builder.add(`${PREFIX}.bgp_drop`, errored, 0, 1, T0);
      fold.fold(builder.take()!, false);
      return fold.snapshot(T0, meta).groups.map((g) => g.exception);
    };
    expect(exceptions([])).toEqual(["KeyError: 'bgp_drop'"]);
    expect(exceptions(["diagnostic"])).toEqual([REDACTED]);
  });

  it("outcome-fold - a minute of stored records closes once the stream is idle past it", () => {
    const fold = new OutcomeFold({ prefix: PREFIX, redact: summaryRedactor([], []) });
    const builder = new FoldBatchBuilder();
    builder.add(`${PREFIX}.bgp_drop`, enc.encode(JSON.stringify(body("bgp_drop", "logged", T0))), 0, 1, T0);
    expect(fold.fold(builder.take()!, true)).toEqual([]);
    expect(fold.closeIfIdle(T0 + 10 * 60_000, 2)).toEqual([]);
    const closed = fold.closeIfIdle(T0 + 10 * 60_000, 1);
    expect(closed.map((r) => [r.handler_id, r.total])).toEqual([["bgp_drop", 1]]);
  });
});
