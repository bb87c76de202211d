import { describe, expect, it } from "vitest";
import {
  ConsumerChunkSchema,
  SampleAssembler,
  SampleCommitSchema,
  StreamChunkSchema,
  TapRelayOrder,
  TapRelaySchema,
  chunkByBytes,
  encodeTapRelay,
  encodeSample,
  utf8Length,
  type SampleCommit,
  type SampleOrigin,
} from "./fleet";
import type { ConsumersSnapshot } from "../consumers/types";
import type { StreamsSnapshot } from "../streams/types";
import { initialTapControl, defaultTapPolicy, toBusSubjectsSnapshot, type BusSubjectsSnapshot } from "../bus/subject-tap";
import { consumerSummary } from "../../testing/fixtures/consumer";
import { streamSummary } from "../../testing/fixtures/stream";

const consumer = (stream: string, name: string) => consumerSummary(stream, name, { lag: 3, sampledAt: "2026-11-23T12:00:01Z" });
const stream = (name: string) =>
  streamSummary(name, {
    sampled_at: "2026-11-23T12:00:01Z",
    state: { messages: 5, bytes: 500, first_seq: 1, last_seq: 5, last_ts: "2026-11-23T12:00:00Z", num_subjects: 1, consumer_count: 2 },
  });
const meta = { status: "ok" as const, sampled_at: "2026-11-23T12:00:01Z", duration_ms: 12, errors: [], own_streams: [] };
const snapshots = (n: number): [StreamsSnapshot, ConsumersSnapshot] => [
  { ...meta, streams: [stream("orders")] },
  { ...meta, consumers: Array.from({ length: n }, (_, i) => consumer("orders", `c${i}`)) },
];
const origin = (over: Partial<SampleOrigin> = {}): SampleOrigin => ({ v: 1, leader: "a", lock_rev: 5, seq: 1, ...over });

/** What a replica does on receipt: parse each message with its schema, then feed the assembler. */
function deliver(assembler: SampleAssembler, encoded: ReturnType<typeof encodeSample>) {
  for (const body of encoded.streams) assembler.addChunk("streams", StreamChunkSchema.parse(JSON.parse(body)) as never);
  for (const body of encoded.consumers) assembler.addChunk("consumers", ConsumerChunkSchema.parse(JSON.parse(body)) as never);
  return assembler.commit(SampleCommitSchema.parse(JSON.parse(JSON.stringify(encoded.commit))) as SampleCommit);
}

describe("fleet wire", () => {
  it("fleet wire - utf8Length counts bytes, not UTF-16 units", () => {
    expect(utf8Length("abc")).toBe(3);
    expect(utf8Length("é")).toBe(2);
    expect(utf8Length("€")).toBe(3);
    expect(utf8Length("😀")).toBe(4);
    expect(utf8Length("ü😀")).toBe(new TextEncoder().encode("ü😀").length);
  });

  it("fleet wire - chunks stay under the byte budget; an oversized item travels alone", () => {
    const items = ["a".repeat(40), "b".repeat(40), "c".repeat(40), "d".repeat(200)];
    expect(chunkByBytes(items, 100).map((c) => c.length)).toEqual([2, 1, 1]);
  });

  it("fleet wire - a sample larger than max_payload splits into messages under it and reassembles whole", () => {
    // 3,000 consumers against a 256 KiB limit: the proportions of 10,000 against NATS's default 1 MiB, a quarter of the work
    const [s, c] = snapshots(3_000);
    const encoded = encodeSample(origin(), s, c, 256 * 1024);
    expect(encoded.consumers.length).toBeGreaterThan(1);
    for (const body of [...encoded.streams, ...encoded.consumers]) expect(utf8Length(body)).toBeLessThanOrEqual(256 * 1024);
    const result = deliver(new SampleAssembler(), encoded);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.sample.consumers.consumers.map((x) => x.name)).toEqual(c.consumers.map((x) => x.name));
    expect(result.sample.streams).toEqual(s);
    expect(result.sample.consumers.status).toBe("ok");
  });

  it("fleet wire - a sample missing a chunk is not applied", () => {
    const [s, c] = snapshots(3_000);
    const encoded = encodeSample(origin(), s, c, 256 * 1024);
    expect(encoded.consumers.length).toBeGreaterThan(2);
    encoded.consumers.splice(1, 1);
    expect(deliver(new SampleAssembler(), encoded)).toMatchObject({ ok: false, reason: expect.stringMatching(/incomplete/) });
  });

  it("fleet wire - a deposed leader's older lock revision and repeated samples are refused", () => {
    const [s, c] = snapshots(2);
    const a = new SampleAssembler();
    expect(deliver(a, encodeSample(origin({ leader: "b", lock_rev: 9, seq: 1 }), s, c, 1 << 20)).ok).toBe(true);
    expect(deliver(a, encodeSample(origin({ leader: "a", lock_rev: 7, seq: 40 }), s, c, 1 << 20))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/stale sample of a/),
    });
    expect(deliver(a, encodeSample(origin({ leader: "b", lock_rev: 9, seq: 1 }), s, c, 1 << 20))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/repeated/),
    });
    expect(deliver(a, encodeSample(origin({ leader: "b", lock_rev: 10, seq: 2 }), s, c, 1 << 20)).ok).toBe(true);
  });

  it("fleet wire - a leader restarted under the same holder id (a newer lock revision, its counter from 1) is applied at once", () => {
    const [s, c] = snapshots(2);
    const a = new SampleAssembler();
    expect(deliver(a, encodeSample(origin({ leader: "pod:1", lock_rev: 30, seq: 500 }), s, c, 1 << 20)).ok).toBe(true);
    expect(deliver(a, encodeSample(origin({ leader: "pod:1", lock_rev: 34, seq: 1 }), s, c, 1 << 20)).ok).toBe(true);
    expect(deliver(a, encodeSample(origin({ leader: "pod:1", lock_rev: 34, seq: 1 }), s, c, 1 << 20)).ok).toBe(false);
  });

  it("fleet wire - a malformed consumer item fails validation naming the field", () => {
    const bad = { ...origin(), chunk: 0, items: [{ ...consumer("orders", "x"), num_pending: "3" }] };
    const parsed = ConsumerChunkSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["items", 0, "num_pending"]);
  });

  it("fleet wire - a consumer's loss forecast is validated: a well-formed one passes, an unknown kind fails naming the field", () => {
    const c = consumer("orders", "x");
    const loss = {
      kind: "already_evicted",
      ms: null,
      evicted: 412,
      exact: true,
      limit: null,
      evidence: "412 messages were already evicted",
    };
    const good = { ...origin(), chunk: 0, items: [{ ...c, insight: { ...c.insight!, loss } }] };
    expect(ConsumerChunkSchema.parse(good).items[0]!.insight!.loss).toEqual(loss);
    const bad = { ...origin(), chunk: 0, items: [{ ...c, insight: { ...c.insight!, loss: { ...loss, kind: "gone" } } }] };
    const parsed = ConsumerChunkSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["items", 0, "insight", "loss", "kind"]);
  });
});

const tapSnapshot = (subjects: number, nameLength = 10): BusSubjectsSnapshot => {
  const ctl = initialTapControl([">"], defaultTapPolicy(1_000), 1_000, "");
  const rates = {
    subjects: Array.from({ length: subjects }, (_, i) => ({
      subject: `s${i}.${"x".repeat(nameLength)}`,
      msgs_per_s: i + 1,
      bytes_per_s: 10 * (i + 1),
    })),
    other: null,
    internal: { msgs_per_s: 1, bytes_per_s: 2 },
    span_ms: 5_000,
  };
  return toBusSubjectsSnapshot(ctl, rates, 1_000, 2_000, 5_000, 500, "a");
};
const relayOf = (body: string) => TapRelaySchema.parse(JSON.parse(body));

describe("fleet wire - tap relay", () => {
  it("fleet wire - a tap snapshot relays whole and validates; the follower shows the leader as its tapper", () => {
    const snap = { ...tapSnapshot(3), tapped_by: "somebody-else" };
    const res = new TapRelayOrder().accept(relayOf(encodeTapRelay(origin({ leader: "leader-a" }), snap, 1 << 20)));
    expect(res.ok && res.snapshot).toEqual({ ...snap, tapped_by: "leader-a" });
  });

  it("fleet wire - a tap snapshot over max_payload keeps its busiest subjects and counts the rest in other", () => {
    const snap = tapSnapshot(400, 200);
    const body = encodeTapRelay(origin(), snap, 32_000);
    expect(utf8Length(body)).toBeLessThanOrEqual(32_000);
    const sent = relayOf(body).snapshot;
    expect(sent.subjects.length).toBeGreaterThan(0);
    expect(sent.subjects.length).toBeLessThan(400);
    expect(Math.min(...sent.subjects.map((s) => s.msgs_per_s))).toBeGreaterThan(400 - sent.subjects.length);
    const total = (s: { subjects: { msgs_per_s: number }[]; other: { msgs_per_s: number } | null }) =>
      s.subjects.reduce((n, x) => n + x.msgs_per_s, 0) + (s.other?.msgs_per_s ?? 0);
    expect(total(sent)).toBe(total(snap));
  });

  it("fleet wire - a malformed tap snapshot fails validation naming the field", () => {
    const body = JSON.parse(encodeTapRelay(origin(), tapSnapshot(1), 1 << 20));
    body.snapshot.tap.mode = "flooded";
    expect(TapRelaySchema.safeParse(body).error?.issues[0]?.path).toEqual(["snapshot", "tap", "mode"]);
  });

  it("fleet wire - a deposed leader's older tap and a repeated one are refused; a newer leader's is applied", () => {
    const order = new TapRelayOrder();
    const relay = (o: Partial<SampleOrigin>) => relayOf(encodeTapRelay(origin(o), tapSnapshot(1), 1 << 20));
    expect(order.accept(relay({ leader: "a", lock_rev: 5, seq: 1 })).ok).toBe(true);
    expect(order.accept(relay({ leader: "a", lock_rev: 5, seq: 1 }))).toEqual({ ok: false, reason: "repeated tap 1 of a" });
    expect(order.accept(relay({ leader: "b", lock_rev: 7, seq: 1 })).ok).toBe(true);
    expect(order.accept(relay({ leader: "a", lock_rev: 6, seq: 2 }))).toEqual({
      ok: false,
      reason: "stale tap of a (lock revision 6 < 7)",
    });
    expect(order.accept(relay({ leader: "b", lock_rev: 8, seq: 2 })).ok).toBe(true);
  });

  it("fleet wire - a leader restarted under the same holder id counts from 1 again at a higher revision: applied", () => {
    const order = new TapRelayOrder();
    const relay = (o: Partial<SampleOrigin>) => relayOf(encodeTapRelay(origin(o), tapSnapshot(1), 1 << 20));
    expect(order.accept(relay({ leader: "pod-0", lock_rev: 9, seq: 40 })).ok).toBe(true);
    expect(order.accept(relay({ leader: "pod-0", lock_rev: 12, seq: 1 })).ok).toBe(true);
    expect(order.accept(relay({ leader: "pod-0", lock_rev: 12, seq: 1 })).ok).toBe(false);
  });
});
