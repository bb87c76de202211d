import { describe, expect, it } from "vitest";
import { streamSummary } from "../../testing/fixtures/stream";
import { internalStreamCount, selectStreams } from "./list";
import type { StreamSummary } from "./types";

const NOW = Date.parse("2026-11-23T12:00:00Z");
function s(
  name: string,
  over: { messages?: number; bytes?: number; max_bytes?: number; subjects?: string[]; msgs_per_s?: number } = {},
): StreamSummary {
  return streamSummary(name, {
    created: "2026-11-23T10:00:00Z",
    sampled_at: "2026-11-23T12:00:00Z",
    config: { subjects: over.subjects ?? [`${name}.>`], max_age_ms: 3_600_000, max_bytes: over.max_bytes ?? -1 },
    state: { messages: over.messages ?? 0, bytes: over.bytes ?? 0, first_seq: 1, last_seq: 1, num_subjects: 1 },
    rates: over.msgs_per_s !== undefined ? { msgs_per_s: over.msgs_per_s, bytes_per_s: 0 } : null,
  });
}
const names = (rows: { stream: StreamSummary }[]) => rows.map((r) => r.stream.name);

describe("stream-list", () => {
  const streams = [
    s("beta", { messages: 5 }),
    s("alpha", { messages: 50, subjects: ["orders.>"] }),
    s("gamma", { messages: 10, bytes: 1000, max_bytes: 1000 }),
  ];

  it("stream-list - sorts by the chosen key and direction, ties by name", () => {
    expect(names(selectStreams(streams, { q: "", sort: "name", dir: "asc", show: "all", own: false }, NOW))).toEqual([
      "alpha",
      "beta",
      "gamma",
    ]);
    expect(names(selectStreams(streams, { q: "", sort: "messages", dir: "desc", show: "all", own: false }, NOW))).toEqual([
      "alpha",
      "gamma",
      "beta",
    ]);
    expect(names(selectStreams(streams, { q: "", sort: "fill", dir: "desc", show: "all", own: false }, NOW))[0]).toBe("gamma");
  });

  it("stream-list - search matches names and subjects", () => {
    expect(names(selectStreams(streams, { q: "ORDERS", sort: "name", dir: "asc", show: "all", own: false }, NOW))).toEqual(["alpha"]);
    expect(names(selectStreams(streams, { q: "et", sort: "name", dir: "asc", show: "all", own: false }, NOW))).toEqual(["beta"]);
  });

  it("stream-list - attention keeps only streams with a limit warning or unhealthy replicas", () => {
    expect(names(selectStreams(streams, { q: "", sort: "name", dir: "asc", show: "attention", own: false }, NOW))).toEqual(["gamma"]);
  });

  it("stream-list - busdeck's own streams are listed but never need attention, full or not", () => {
    const withOwn = [...streams, s("BUSDECK_LOCK_TRANSITIONS", { bytes: 1000, max_bytes: 1000 })];
    const own = ["BUSDECK_LOCK_TRANSITIONS"];
    const all = selectStreams(withOwn, { q: "", sort: "name", dir: "asc", show: "all", own: true }, NOW, own);
    expect(all.find((r) => r.stream.name === "BUSDECK_LOCK_TRANSITIONS")).toMatchObject({ own: true, warning: { status: "full" } });
    expect(names(selectStreams(withOwn, { q: "", sort: "name", dir: "asc", show: "attention", own: false }, NOW, own))).toEqual(["gamma"]);
  });

  it("stream-list - show internal: busdeck's own and KV/object store streams are hidden until asked, an alarm never", () => {
    const withInternal = [
      ...streams,
      s("BUSDECK_HISTORY"),
      s("KV_locks"),
      s("OBJ_images"),
      s("KV_full", { bytes: 1000, max_bytes: 1000 }),
      s("KV_busdeck_fleet", { bytes: 1000, max_bytes: 1000 }),
    ];
    const own = ["BUSDECK_HISTORY", "KV_busdeck_fleet"];
    const base = { q: "", sort: "name", dir: "asc", show: "all" } as const;
    // the full KV bucket needs attention, so it stays listed; busdeck's own full bucket never needs it
    expect(names(selectStreams(withInternal, { ...base, own: false }, NOW, own))).toEqual(["alpha", "beta", "gamma", "KV_full"]);
    expect(internalStreamCount(withInternal, NOW, own)).toBe(4);
    const shown = selectStreams(withInternal, { ...base, own: true }, NOW, own);
    expect(shown.map((r) => [r.stream.name, r.kind])).toEqual([
      ["alpha", "application"],
      ["beta", "application"],
      ["BUSDECK_HISTORY", "internal"],
      ["gamma", "application"],
      ["KV_busdeck_fleet", "internal"],
      ["KV_full", "kv"],
      ["KV_locks", "kv"],
      ["OBJ_images", "object-store"],
    ]);
    expect(names(selectStreams(withInternal, { ...base, show: "attention", own: false }, NOW, own))).toEqual(["gamma", "KV_full"]);
  });
});
