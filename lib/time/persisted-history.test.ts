import { describe, expect, it } from "vitest";
import {
  ConsumerRecordSchema,
  HistoryRangeQuerySchema,
  StepDownsampler,
  consumerPoint,
  consumerRecords,
  historySample,
  mergeSeries,
  persistedSpan,
  recordMsgId,
  streamPoint,
  streamRecord,
  type HistorySample,
  statusChangesFromHistory,
} from "./persisted-history";
import type { ConsumerSummary, ConsumersSnapshot } from "../consumers/types";
import type { StreamsSnapshot } from "../streams/types";

const T0 = Date.parse("2026-11-23T12:00:00Z");
const consumer = (stream: string, name: string, pending: number): ConsumerSummary =>
  ({
    stream,
    name,
    num_pending: pending,
    num_ack_pending: 2,
    insight: { lag_msgs: pending + 2, lag_seconds: 12.34567, consume_per_s: 3.33333, ingest_per_s: null, health: { status: "WARN" } },
  }) as unknown as ConsumerSummary;
const sample = (t: number): HistorySample => ({
  t,
  streams: { status: "ok", sampled_at: new Date(t).toISOString(), duration_ms: 1, errors: [], own_streams: [], streams: [] },
  consumers: { status: "ok", sampled_at: new Date(t).toISOString(), duration_ms: 1, errors: [], consumers: [] },
});

describe("persisted history", () => {
  it("history - the downsampler closes a step with its last sample when the next step begins", () => {
    const d = new StepDownsampler(10_000);
    expect(d.offer(sample(T0 + 1_000))).toBeNull();
    expect(d.offer(sample(T0 + 9_000))).toBeNull();
    expect(d.offer(sample(T0 + 9_000))).toBeNull(); // a repeat (failed tick) is ignored
    expect(d.offer(sample(T0 + 11_000))?.t).toBe(T0 + 9_000);
    expect(d.offer(sample(T0 + 12_000))).toBeNull();
  });

  it("history - two replicas fed the same samples close the same steps under the same message ids", () => {
    const [a, b] = [new StepDownsampler(10_000), new StepDownsampler(10_000)];
    const closed = (d: StepDownsampler) =>
      [1, 4, 9, 12, 25, 31]
        .map((s) => d.offer(sample(T0 + s * 1000)))
        .filter(Boolean)
        .map((x) => recordMsgId("c", "orders", x!.t, 10_000));
    expect(closed(a)).toEqual(closed(b));
    expect(closed(new StepDownsampler(10_000))).toHaveLength(3);
  });

  it("history - rows are compact, validate, and read back as chart points", () => {
    const records = consumerRecords(T0, [consumer("orders", "billing", 5), consumer("orders", "audit", 0), consumer("pay", "x", 1)]);
    expect(records.map((r) => r.stream)).toEqual(["orders", "pay"]);
    expect(records[0]!.rows[0]).toEqual(["billing", 5, 2, 12.346, 3.333, null, "WARN"]);
    const parsed = ConsumerRecordSchema.parse(JSON.parse(JSON.stringify(records[0])));
    expect(consumerPoint(parsed, "billing")).toEqual({
      t: T0,
      lag_msgs: 7,
      lag_seconds: 12.346,
      consume_per_s: 3.333,
      ingest_per_s: null,
      status: "WARN",
    });
    expect(consumerPoint(parsed, "nobody")).toBeNull();
  });

  it("history - a stream without a rate yet has no point", () => {
    const streams = {
      streams: [
        { name: "a", rates: { msgs_per_s: 2, bytes_per_s: 200 }, state: { messages: 10, bytes: 1000 } },
        { name: "b", rates: null, state: { messages: 1, bytes: 10 } },
      ],
    } as unknown as StreamsSnapshot;
    const r = streamRecord(T0, streams);
    expect(streamPoint(r, "a")).toEqual({ t: T0, msgs_per_s: 2, bytes_per_s: 200, messages: 10, bytes: 1000 });
    expect(streamPoint(r, "b")).toBeNull();
  });

  it("history - persisted points fill in only before the recent window starts", () => {
    const p = (t: number, v: number) => ({ t, v });
    expect(mergeSeries([p(1, 1), p(11, 1), p(21, 1)], [p(15, 2), p(16, 2)])).toEqual([p(1, 1), p(11, 1), p(15, 2), p(16, 2)]);
    expect(mergeSeries([p(1, 1)], [])).toEqual([p(1, 1)]);
  });

  it("history - only the span before the in-memory window is read; a live span moves in steps of 1/48 of the range", () => {
    const H = 3_600_000;
    expect(persistedSpan(T0, T0 + H, false, T0 + H / 2)).toEqual({ from: T0, to: T0 + H / 2 });
    expect(persistedSpan(T0, T0 + H, false, T0 - 1)).toBeNull(); // the recent window covers the whole range
    const a = persistedSpan(T0 - 24 * H + 7_000, T0 + 7_000, true, null)!;
    const b = persistedSpan(T0 - 24 * H + 37_000, T0 + 37_000, true, null)!;
    expect(a).toEqual(b); // 30 s later: the same request, served from the cache
    expect(a.from).toBeLessThanOrEqual(T0 - 24 * H + 7_000);
    expect(a.to - a.from).toBeLessThanOrEqual(24 * H + 2 * (H / 2));
  });

  it("history - a sample without a time is not filed", () => {
    const s = sample(T0);
    expect(historySample(s.streams, { ...s.consumers, sampled_at: null } as ConsumersSnapshot)).toBeNull();
    expect(historySample(s.streams, s.consumers)?.t).toBe(T0);
  });

  it("history - the range query names what is wrong", () => {
    const bad = (q: object) => HistoryRangeQuerySchema.safeParse(q).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(bad({ to: "2026-11-23T12:00:00Z" })).toEqual(["from: required, an ISO-8601 time"]);
    expect(bad({ from: "yesterday", to: "2026-11-23T12:00:00Z" })).toEqual(["from: an ISO-8601 time like 2026-11-23T14:00:00Z"]);
    expect(bad({ from: "2026-11-23T12:00:00Z", to: "2026-11-23T11:00:00Z" })).toEqual(["to: must be after from"]);
    expect(bad({ from: "2026-11-01T12:00:00Z", to: "2026-11-23T11:00:00Z" })).toEqual(["to: at most 7 days after from"]);
    expect(HistoryRangeQuerySchema.parse({ from: "2026-11-23T11:00:00Z", to: "2026-11-23T12:00:00Z" })).toEqual({
      from: T0 - 3_600_000,
      to: T0,
    });
  });
});

describe("statusChangesFromHistory", () => {
  const point = (t: number, status: "OK" | "WARN" | "STALL" | null, lag = 0) => ({
    t,
    lag_msgs: lag,
    lag_seconds: lag ? 42 : null,
    consume_per_s: null,
    ingest_per_s: null,
    status,
  });

  it("keeps the first status and each change before the in-memory window, newest first", () => {
    const points = [
      point(1_000, "OK"),
      point(11_000, "OK"),
      point(21_000, "WARN", 27_412),
      point(31_000, "WARN", 30_000),
      point(41_000, "STALL", 31_000),
      point(51_000, "OK"),
    ];
    const changes = statusChangesFromHistory(points, 45_000);
    expect(changes.map((c) => [c.at, c.status])).toEqual([
      ["1970-01-01T00:00:41.000Z", "STALL"],
      ["1970-01-01T00:00:21.000Z", "WARN"],
      ["1970-01-01T00:00:01.000Z", "OK"],
    ]);
    expect(changes[1]).toMatchObject({ rule: "history" });
    expect(changes[1]!.evidence).toContain("from OK; 27,412 msgs behind, 42s");
    expect(changes[2]!.evidence).toContain("first stored step");
  });

  it("ignores in-memory points (no status) and steps without a verdict", () => {
    const inMemory = { t: 5_000, lag_msgs: 3, lag_seconds: null, consume_per_s: null, ingest_per_s: null };
    expect(statusChangesFromHistory([inMemory, point(6_000, null)], Infinity)).toEqual([]);
  });
});
