import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { packItems, unpackItems } from "../wire/packed-items";
import type { ClosedConnectionRow, ConnectionRow } from "./connections";
import {
  connectionItemCodec,
  connectionItemKey,
  emptyBusConnectionsTopic,
  fromConnectionsTopic,
  sameConnectionItemKey,
  toConnectionsTopic,
  type ConnectionItem,
} from "./connections-topic";

const name = fc.option(fc.string({ maxLength: 12 }), { nil: null });
const figure = fc.nat();
const openRow: fc.Arbitrary<ConnectionRow> = fc
  .record({
    server: fc.constantFrom("n1", "n2", "http://127.0.0.1:8222"),
    cid: fc.nat(),
    name,
    address: fc.string({ maxLength: 20 }),
    account: name,
    lang: fc.constantFrom(null, "go", "nats.js"),
    version: name,
    rtt_ms: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 }), { nil: null }),
    started: fc.option(fc.constant("2026-12-07T10:00:00.000Z"), { nil: null }),
    pending_bytes: figure,
    subscriptions: figure,
    in_msgs: figure,
    out_msgs: figure,
    in_bytes: figure,
    out_bytes: figure,
    msgs_per_s: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 }), { nil: null }),
  })
  .map((r) => ({ key: `${r.server}:${r.cid}`, ...r }));
const closedRow: fc.Arbitrary<ClosedConnectionRow> = fc
  .tuple(openRow, fc.option(fc.string({ maxLength: 24 }), { nil: null }), fc.string({ maxLength: 30 }), fc.boolean())
  .map(([r, stopped, reason, slow_consumer]) => ({ ...r, stopped, reason, slow_consumer }));

describe("bus connections topic", () => {
  it("bus connections topic - properties: open and closed rows packed, through JSON and unpacked, are equal to what went in", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(openRow, closedRow), { maxLength: 30 }), (items: ConnectionItem[]) => {
        const wire = JSON.parse(JSON.stringify(packItems(items, connectionItemCodec)));
        expect(unpackItems(wire, connectionItemCodec)).toEqual(items);
      }),
      { numRuns: 200 },
    );
  });

  it("bus connections topic - a connection listed open and closed in one sample is two items", () => {
    const open = fc.sample(openRow, { numRuns: 1, seed: 7 })[0]!;
    const closed: ClosedConnectionRow = { ...open, stopped: null, reason: "Client Closed", slow_consumer: false };
    expect(connectionItemKey(open)).not.toBe(connectionItemKey(closed));
    expect(sameConnectionItemKey(open, closed)).toBe(false);
    expect(sameConnectionItemKey(closed, { ...closed, pending_bytes: 1 })).toBe(true);
  });

  it("bus connections topic - the snapshot goes in as meta and rows and comes back whole", () => {
    const [a, b] = fc.sample(openRow, { numRuns: 2, seed: 3 });
    const c = { ...fc.sample(closedRow, { numRuns: 1, seed: 5 })[0]!, key: "n9:1" };
    const snap = { ...fromConnectionsTopic(emptyBusConnectionsTopic("monitor")), open: [a!, b!], closed: [c] };
    const topic = toConnectionsTopic(snap);
    expect(Object.keys(topic.meta)).not.toContain("open");
    expect(topic.items).toHaveLength(3);
    expect(fromConnectionsTopic(topic)).toEqual(snap);
  });
});
