import { describe, expect, it } from "vitest";
import {
  consumerRowCodec,
  currentLagSeconds,
  lagSecondsAt,
  previousByPosition,
  sameConsumerRow,
  sampleTimeParser,
  toConsumerRow,
  type ConsumerRow,
  type ConsumerSummary,
} from "./types";
import { consumerSummary } from "../../testing/fixtures/consumer";
import { packItems, unpackItems } from "../wire/packed-items";

/** A row with every field set to something non-empty, so a change to any one of them can be made. */
const fullRow = (): ConsumerRow => {
  const row = toConsumerRow({
    ...consumerSummary("S", "a", { status: "WARN", lag: 12, lagSeconds: 3.5 }),
    cluster: { name: "c1", leader: "n2", replicas: [] },
  });
  return {
    ...row,
    insight: {
      ...row.insight!,
      spark: [3, 4],
      drain: { state: "draining", seconds: 40 },
      loss_brief: { kind: "evicts_in", limit: "max_age", value: Date.parse("2026-11-23T01:00:00Z") },
    },
    num_ack_pending: 2,
    num_redelivered: 1,
    config: { max_ack_pending: 100, filter_subjects: ["S.x"], durable: true },
    ack_floor: { stream_seq: 7 },
  };
};

/** Every leaf of a JSON value as a path and a copy with that leaf changed (numbers +1, strings +"x", arrays one longer). */
function mutations<T = ConsumerRow>(value: unknown, path: string[] = []): { path: string; changed: (root: T) => T }[] {
  const at = (root: unknown, p: string[]) => p.reduce((o, k) => (o as Record<string, unknown>)[k], root);
  const change = (p: string[], f: (v: unknown) => unknown) => (root: T) => {
    const copy = structuredClone(root);
    const parent = at(copy, p.slice(0, -1)) as Record<string, unknown>;
    parent[p.at(-1)!] = f(parent[p.at(-1)!]);
    return copy;
  };
  if (Array.isArray(value))
    return [
      { path: path.join("."), changed: change(path, (v) => [...(v as unknown[]), (v as unknown[])[0]]) },
      ...value.flatMap((v, i) => mutations<T>(v, [...path, String(i)])),
    ];
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => mutations<T>(v, [...path, k]));
  return [
    {
      path: path.join("."),
      changed: change(path, (v) => (typeof v === "number" ? v + 1 : typeof v === "string" ? `${v}x` : v === null ? 1 : !v)),
    },
  ];
}

describe("consumer rows", () => {
  it("consumer rows - a row carries the list columns and leaves the detail out", () => {
    const row = toConsumerRow(consumerSummary("S", "a", { status: "WARN", lag: 12, lagSeconds: 3.5 }));
    expect(row).toMatchObject({
      stream: "S",
      name: "a",
      num_pending: 12,
      config: { max_ack_pending: 1000, filter_subjects: [], durable: true },
      ack_floor: { stream_seq: 0 },
    });
    expect(row.insight).toMatchObject({ lag_seconds: 3.5, health: { status: "WARN" }, drain: { state: "never" } });
    expect(Object.keys(row)).not.toContain("sampled_at");
    expect(Object.keys(row.insight!)).not.toContain("diagnoses");
    expect(Object.keys(row.config)).not.toContain("ack_wait_ms");
  });

  it("consumer rows - a new sample that moves no column gives the same row, so the hub sends nothing for it", () => {
    const before = consumerSummary("S", "a", { lag: 4, sampledAt: "2026-11-23T00:00:00Z" });
    const after = {
      ...consumerSummary("S", "a", { lag: 4, sampledAt: "2026-11-23T00:00:01Z" }),
      delivered: { consumer_seq: 9, stream_seq: 9, last_active: "2026-11-23T00:00:01Z" },
    };
    expect(sameConsumerRow(toConsumerRow(before), toConsumerRow(after))).toBe(true);
    expect(sameConsumerRow(toConsumerRow(before), toConsumerRow(consumerSummary("S", "a", { lag: 5 })))).toBe(false);
  });

  it("consumer rows - the comparison sees a change to every field a row has", () => {
    const row = fullRow();
    const all = mutations(row);
    expect(all.length).toBeGreaterThanOrEqual(22);
    const missed = all.filter(({ changed }) => sameConsumerRow(row, changed(row))).map((m) => m.path);
    // lag seconds follow from oldest_at and the sample's time while the oldest message is known (see below)
    expect(missed).toEqual(["insight.lag_seconds"]);
    const unknownOldest = { ...row, insight: { ...row.insight!, oldest_at: null } };
    expect(
      mutations(unknownOldest)
        .filter(({ changed }) => sameConsumerRow(unknownOldest, changed(unknownOldest)))
        .map((m) => m.path),
    ).toEqual([]);
    expect(sameConsumerRow(row, structuredClone(row))).toBe(true);
  });

  it("consumer rows - a stuck consumer's row stays the same while its lag seconds grow, so no patch carries it", () => {
    const at = (sampledAt: string, lagSeconds: number) => toConsumerRow(consumerSummary("S", "a", { lag: 4, lagSeconds, sampledAt }));
    const before = at("2026-11-23T00:00:10Z", 7.25);
    const after = at("2026-11-23T00:00:11Z", 8.25);
    expect(before.insight!.oldest_at).toBe(Date.parse("2026-11-23T00:00:02.750Z"));
    expect(after.insight!.oldest_at).toBe(before.insight!.oldest_at);
    expect(sameConsumerRow(before, after)).toBe(true);
    // a newer oldest message (the ack floor moved) is a change
    expect(sameConsumerRow(before, at("2026-11-23T00:00:11Z", 2))).toBe(false);
  });

  it("consumer rows - a sample's time parsed once per pass gives the rows each summary's own time gives", () => {
    const parse = sampleTimeParser();
    for (const sampledAt of ["2026-11-23T00:00:10Z", "2026-11-23T00:00:10Z", "2026-11-23T00:00:11Z", "2026-11-23T00:00:10Z"]) {
      const summary = consumerSummary("S", "a", { lag: 4, lagSeconds: 7.25, sampledAt });
      expect(parse(sampledAt)).toBe(Date.parse(sampledAt));
      expect(toConsumerRow(summary, undefined, parse(sampledAt))).toEqual(toConsumerRow(summary));
    }
  });

  it("consumer rows - the server keeps a stuck consumer's row while only its lag seconds grow, and readers bring them up to the sample", () => {
    const summary = (sampledAt: string, lagSeconds: number) => consumerSummary("S", "a", { lag: 4, lagSeconds, sampledAt });
    const before = toConsumerRow(summary("2026-11-23T00:00:10Z", 7.25));
    const kept = toConsumerRow(summary("2026-11-23T00:00:11Z", 8.25), before);
    expect(kept).toBe(before);
    const meta = { status: "ok" as const, sampled_at: "2026-11-23T00:00:11Z", duration_ms: 1, errors: [] };
    expect(currentLagSeconds({ meta, items: [kept] }).items[0]!.insight!.lag_seconds).toBe(8.25);
    // the ack floor moved on (a newer oldest message), or lag seconds became unknown: a new row
    expect(toConsumerRow(summary("2026-11-23T00:00:11Z", 2), before)).not.toBe(before);
    expect(
      toConsumerRow(consumerSummary("S", "a", { lag: 4, lagSeconds: null, sampledAt: "2026-11-23T00:00:11Z" }), before).insight!
        .lag_seconds,
    ).toBeNull();
  });

  it("consumer rows - caught up or unknown lag seconds have no oldest instant", () => {
    // left out rather than null: most consumers are caught up, and each row is on the wire
    expect(Object.keys(toConsumerRow(consumerSummary("S", "a", { lag: 0, lagSeconds: 0 })).insight!)).not.toContain("oldest_at");
    expect(Object.keys(toConsumerRow(consumerSummary("S", "a", { lag: 3, lagSeconds: null })).insight!)).not.toContain("oldest_at");
  });

  it("consumer rows - the browser brings lag seconds up to the sample it holds and keeps rows that are right", () => {
    const stuck = toConsumerRow(consumerSummary("S", "a", { lag: 4, lagSeconds: 7.25, sampledAt: "2026-11-23T00:00:10Z" }));
    const idle = toConsumerRow(consumerSummary("S", "b", { lag: 0, lagSeconds: 0, sampledAt: "2026-11-23T00:00:10Z" }));
    const meta = { status: "ok" as const, sampled_at: "2026-11-23T00:01:10Z", duration_ms: 1, errors: [] };
    const settled = currentLagSeconds({ meta, items: [stuck, idle] });
    expect(settled.items[0]!.insight!.lag_seconds).toBe(67.25);
    expect(settled.items[1]).toBe(idle);
    const same = { meta: { ...meta, sampled_at: "2026-11-23T00:00:10Z" }, items: [stuck, idle] };
    expect(currentLagSeconds(same)).toBe(same);
    expect(lagSecondsAt(1_000, 500)).toBe(0);
  });

  it("consumer rows - no insight and no cluster compare as such", () => {
    const row = fullRow();
    expect(sameConsumerRow({ ...row, insight: null }, { ...row, insight: null })).toBe(true);
    expect(sameConsumerRow({ ...row, insight: null }, row)).toBe(false);
    expect(sameConsumerRow({ ...row, cluster: null }, { ...row, cluster: { leader: null } })).toBe(false);
  });

  it("consumer rows - built from the previous row, a row is that row when nothing in it changed, else the same as one built afresh", () => {
    const summary: ConsumerSummary = {
      ...consumerSummary("S", "a", { status: "WARN", lag: 12, lagSeconds: 3.5 }),
      cluster: { name: "c1", leader: "n2", replicas: [] },
      config: { ...consumerSummary("S", "a").config, filter_subjects: ["S.x"] },
    };
    summary.insight = { ...summary.insight!, spark: [3, 4], drain: { state: "draining", seconds: 40 } };
    const prev = toConsumerRow(summary);
    const again = toConsumerRow(structuredClone(summary), prev);
    expect(again).toBe(prev);
    const all = mutations<ConsumerSummary>(summary);
    expect(all.length).toBeGreaterThanOrEqual(40);
    for (const { path, changed } of all) {
      const next = changed(summary);
      // the same JSON, keys in the same order, as a row built without the previous one
      expect(JSON.stringify(toConsumerRow(next, prev)), path).toBe(JSON.stringify(toConsumerRow(next)));
    }
    // parts that did not change are the previous row's
    const moved = toConsumerRow({ ...summary, num_pending: 13 }, prev);
    expect(moved).not.toBe(prev);
    expect([moved.config, moved.ack_floor, moved.cluster, moved.insight]).toEqual([
      prev.config,
      prev.ack_floor,
      prev.cluster,
      prev.insight,
    ]);
    expect(moved.insight).toBe(prev.insight);
    expect(moved.config).toBe(prev.config);
    const caughtUp = toConsumerRow({ ...summary, insight: { ...summary.insight!, lag_seconds: 0 } }, prev);
    expect(Object.keys(caughtUp.insight!)).not.toContain("oldest_at");
    expect(caughtUp.insight!.health).toBe(prev.insight!.health);
  });

  it("consumer rows - the previous row is found at its position, or by stream and name when the list shifted", () => {
    const [a, b, c] = ["a", "b", "c"].map((n) => toConsumerRow(consumerSummary("S", n)));
    const other = toConsumerRow(consumerSummary("T", "b"));
    const before = previousByPosition([a!, b!, c!, other]);
    expect(before(1, "S", "b")).toBe(b);
    expect(before(0, "S", "b")).toBe(b); // "a" is gone: everything after it moved up
    expect(before(1, "T", "b")).toBe(other);
    expect(before(2, "S", "z")).toBeUndefined();
    expect(previousByPosition(undefined)(0, "S", "a")).toBeUndefined();
  });

  it("consumer rows - a clustered consumer keeps its leader, for the failover view", () => {
    const c = { ...consumerSummary("S", "a"), cluster: { name: "c1", leader: "n2", replicas: [] } };
    expect(toConsumerRow(c).cluster).toEqual({ leader: "n2" });
  });
});

describe("consumer rows on the wire", () => {
  /** Packed, through JSON as the SSE frame carries it, and unpacked as the browser does. */
  const roundTrip = (rows: ConsumerRow[]) => unpackItems(JSON.parse(JSON.stringify(packItems(rows, consumerRowCodec))), consumerRowCodec);

  it("consumer rows on the wire - every field of a row comes back, and a change to any one of them", () => {
    const row = fullRow();
    expect(row.insight!.oldest_at).toBeTypeOf("number");
    expect(roundTrip([row])).toStrictEqual([row]);
    const all = mutations(row);
    expect(all.length).toBeGreaterThanOrEqual(22);
    for (const { path, changed } of all) expect(roundTrip([changed(row)]), path).toStrictEqual([changed(row)]);
  });

  it("consumer rows on the wire - absent and null stay what they were: insight, cluster, leader, oldest instant, loss forecast", () => {
    const row = fullRow();
    const { oldest_at: _, ...withoutOldest } = row.insight!;
    const { loss_brief: __, ...withoutLoss } = row.insight!;
    const variants: ConsumerRow[] = [
      { ...row, insight: withoutLoss },
      { ...row, insight: { ...withoutOldest, loss_brief: { kind: "already_evicted", limit: null, value: 412 } } },
      { ...row, insight: null },
      { ...row, cluster: null },
      { ...row, cluster: { leader: null } },
      { ...row, insight: withoutOldest },
      {
        ...row,
        insight: {
          ...withoutOldest,
          lag_seconds: null,
          consume_per_s: null,
          ingest_per_s: null,
          drain: { state: "unknown", seconds: null },
        },
      },
    ];
    expect(roundTrip(variants)).toStrictEqual(variants);
  });

  it("consumer rows on the wire - a fleet of similar rows packs to a fraction of its JSON", () => {
    const rows = Array.from({ length: 2_000 }, (_, k) =>
      toConsumerRow({
        ...consumerSummary(`stream-${k % 20}`, `consumer-${Math.floor(k / 20)}`),
        cluster: { name: "c1", leader: "n1", replicas: [] },
      }),
    );
    const packed = JSON.stringify(packItems(rows, consumerRowCodec)).length;
    expect(packed).toBeLessThan(JSON.stringify(rows).length / 5);
    expect(roundTrip(rows)).toStrictEqual(rows);
  });

  it("consumer rows on the wire - equal parts of different rows come back as one object; different ones stay apart", () => {
    const a = fullRow();
    const b = {
      ...fullRow(),
      name: "other",
      insight: { ...fullRow().insight!, drain: { state: "drained" as const, seconds: 0 as const } },
    };
    const c = {
      ...b,
      name: "third",
      config: { ...b.config, max_ack_pending: b.config.max_ack_pending + 1 },
      insight: { ...b.insight, health: { ...b.insight.health, evidence: "something else" } },
    };
    const [ua, ub, uc, ub2] = roundTrip([a, b, c, { ...b, name: "fourth" }]);
    expect([ua, ub, uc, ub2]).toStrictEqual([a, b, c, { ...b, name: "fourth" }]);
    expect(ub!.config).toBe(ua!.config);
    expect(ub!.ack_floor).toBe(ua!.ack_floor);
    expect(ub!.insight!.health).toBe(ua!.insight!.health);
    expect(ub2!.insight!.drain).toBe(ub!.insight!.drain);
    expect(uc!.config).not.toBe(ub!.config);
    expect(uc!.insight!.health).not.toBe(ub!.insight!.health);
  });

  it("consumer rows on the wire - an ephemeral consumer comes back as one, apart from a durable with the same config", () => {
    const durable = fullRow();
    const ephemeral = { ...fullRow(), name: "oc_X_1", config: { ...durable.config, durable: false } };
    const [ud, ue] = roundTrip([durable, ephemeral]);
    expect(ue!.config.durable).toBe(false);
    expect(ud!.config.durable).toBe(true);
    expect(sameConsumerRow(ud!, { ...ud!, config: ue!.config })).toBe(false);
    expect(
      toConsumerRow({ ...consumerSummary("S", "oc_X_1"), config: { ...consumerSummary("S", "x").config, durable: false } }).config.durable,
    ).toBe(false);
  });

  it("consumer rows on the wire - a health index outside the dictionary fails loudly, not as another string", () => {
    const wire = JSON.parse(JSON.stringify(packItems([fullRow()], consumerRowCodec)));
    wire.rows[0][18] = wire.values.length + 1;
    expect(() => unpackItems(wire, consumerRowCodec)).toThrow(/no string at/);
  });
});
