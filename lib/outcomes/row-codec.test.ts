import { describe, expect, it } from "vitest";
import { packItems, unpackItems } from "../wire/packed-items";
import { parseOutcome, toOutcomeRow, type OutcomeRow } from "./outcome";
import { outcomeRowCodec, packTime } from "./row-codec";

const enc = new TextEncoder();
const rowOf = (body: unknown, extra: { seq?: number; msgId?: string; id?: string } = {}): OutcomeRow =>
  toOutcomeRow(
    parseOutcome({
      id: extra.id ?? String(extra.seq ?? "live-1"),
      subject: "reflex.outcome.bgp_drop",
      data: enc.encode(typeof body === "string" ? body : JSON.stringify(body)),
      received_at: "2026-12-07T21:43:14.798Z",
      stream_seq: extra.seq,
      headers: extra.msgId ? { "Nats-Msg-Id": [extra.msgId] } : undefined,
    }),
  );

const body = (i: number, extra: Record<string, unknown> = {}) => ({
  handler_id: "bgp_drop",
  severity: "high",
  kind: "logged",
  target: `edge-rtr-${i % 5}|10.0.0.${i % 5}`,
  event: { subject: `sensory.snmp.trap.bgp.edge-rtr-${i % 5}`, id: `evt-${i}`, payload: { device: `edge-rtr-${i % 5}` } },
  emitted_at: "2026-12-07T21:43:14.781Z",
  ...extra,
});

const roundTrip = (rows: OutcomeRow[]) => unpackItems(JSON.parse(JSON.stringify(packItems(rows, outcomeRowCodec))), outcomeRowCodec);

describe("outcome row codec", () => {
  it("row codec - valid, errored and malformed rows come back equal after JSON, optional fields absent where they were", () => {
    const rows = [
      rowOf(body(1)),
      rowOf(body(2, { target: null, summary: "peer idle" }), { seq: 42, msgId: "o-42" }),
      rowOf(body(3, { kind: "errored", diagnostic: "Traceback (most recent call last):\n  File \"a.py\"\nKeyError: 'peer'" }), { seq: 43 }),
      rowOf("ReflexOutcome(handler_id='bgp_drop')", { seq: 44 }),
    ];
    expect(rows[2]!.valid && rows[2]!.body.exception).toBe("KeyError: 'peer'");
    const back = roundTrip(rows);
    expect(back).toEqual(rows);
    expect(Object.keys(back[0]!)).not.toContain("stream_seq");
    expect(back[0]!.valid && Object.keys(back[0]!.body)).not.toContain("summary");
  });

  it("row codec - a time in another form than toISOString's travels as its text, exactly", () => {
    expect(packTime("2026-12-07T21:43:14.781Z")).toBe(Date.parse("2026-12-07T21:43:14.781Z"));
    for (const text of ["2026-12-07T21:43:14.781+00:00", "2026-12-07T21:43:14.781234Z", "2026-12-07T21:43:14Z", "not a time"])
      expect(packTime(text)).toBe(text);
    const [row] = roundTrip([rowOf(body(1, { emitted_at: "2026-12-07T22:43:14.781123+01:00" }))]);
    expect(row!.valid && row!.body.emitted_at).toBe("2026-12-07T22:43:14.781123+01:00");
  });

  it("row codec - a body handler id that differs from the row's (cut apart when bounded) is kept", () => {
    const row = rowOf(body(1));
    const cut = { ...row, handler_id: "bgp…drop" } as OutcomeRow;
    expect(roundTrip([cut])).toEqual([cut]);
  });

  it("row codec - 200 rows packed are under half their JSON, and under the messages they came from", () => {
    const bodies = Array.from({ length: 200 }, (_, i) => body(i));
    const rows = bodies.map((b, i) => rowOf(b, { seq: 1000 + i, msgId: `o-${1000 + i}` }));
    const packed = JSON.stringify(packItems(rows, outcomeRowCodec)).length;
    expect(packed).toBeLessThan(JSON.stringify(rows).length / 2);
    expect(packed).toBeLessThan(bodies.reduce((n, b) => n + JSON.stringify(b).length, 0));
  });

  it("row codec - a malformed frame fails loudly instead of yielding rows with undefined fields", () => {
    const packed = packItems([rowOf(body(1))], outcomeRowCodec);
    expect(() => unpackItems({ values: [], rows: packed.rows }, outcomeRowCodec)).toThrow(/packed items/);
    expect(() => unpackItems({ values: packed.values, rows: [["1", 0, true]] }, outcomeRowCodec)).toThrow(/not a time/);
  });
});
