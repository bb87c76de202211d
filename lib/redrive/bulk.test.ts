import { describe, expect, it } from "vitest";
import type { DeadLetterEntry } from "../consumers/series";
import { BulkRedriveRequestSchema, bulkSummary, deadLetterSeqs } from "./bulk";

const entry = (stream_seq: number | null, kind: DeadLetterEntry["kind"] = "max_deliveries"): DeadLetterEntry => ({
  at: "2026-12-07T09:00:00Z",
  kind,
  stream_seq,
  deliveries: 3,
});

describe("bulk redrive", () => {
  it("bulk redrive - dead letters in the range, each once, in sequence order; NAKs are not dead letters", () => {
    const entries = [entry(9), entry(4), entry(4, "terminated"), entry(5, "naked"), entry(12), entry(null), entry(2)];
    expect(deadLetterSeqs(entries, 3, 10)).toEqual([4, 9]);
  });

  it("bulk redrive - the range must run forwards; the pace defaults to 10 per second", () => {
    expect(BulkRedriveRequestSchema.safeParse({ from_seq: 5, to_seq: 4, n: 1 }).success).toBe(false);
    expect(BulkRedriveRequestSchema.parse({ from_seq: 1, to_seq: 4, n: 1 }).per_second).toBe(10);
  });

  it("bulk redrive - the summary counts what went out, what the stream already held and what failed", () => {
    const result = { stream: "S", seq: 1, subject: "a", msg_id: "S:1:redrive:1", published_seq: 5, size: 1 };
    expect(
      bulkSummary(
        [
          { kind: "planned", seqs: [1, 2, 3] },
          { kind: "message", seq: 1, ok: true, result: { ...result, duplicate: false } },
          { kind: "message", seq: 2, ok: true, result: { ...result, duplicate: true } },
          { kind: "message", seq: 3, ok: false, reason: "gone" },
        ],
        true,
      ),
    ).toEqual({ kind: "done", sent: 1, duplicates: 1, failed: 1, cancelled: true });
  });
});
