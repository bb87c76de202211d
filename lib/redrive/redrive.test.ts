import { describe, expect, it } from "vitest";
import { consumerRow } from "../../testing/fixtures/consumer";
import { receivingConsumers, redriveHeaders, redriveMsgId, RedriveRequestSchema, redriveSubjectProblem } from "./redrive";

describe("redrive", () => {
  it("redrive - the dedup id names the stream, the sequence and the attempt", () => {
    expect(redriveMsgId("ORDERS", 42, 1)).toBe("ORDERS:42:redrive:1");
  });

  it("redrive - the copy keeps the original headers, replaces its message id and drops publish expectations", () => {
    const headers = redriveHeaders(
      {
        "Content-Type": ["application/json"],
        "Nats-Msg-Id": ["order-7"],
        "Nats-Expected-Last-Sequence": ["41"],
        "Nats-Rollup": ["sub"],
        "Busdeck-Redrive-Of": ["OLD:1"],
        "X-Trace": ["a", "b"],
      },
      { stream: "ORDERS", seq: 42, n: 2 },
    );
    expect(headers).toEqual({
      "Content-Type": ["application/json"],
      "X-Trace": ["a", "b"],
      "Nats-Msg-Id": ["ORDERS:42:redrive:2"],
      "Busdeck-Redrive-Of": ["ORDERS:42"],
    });
  });

  it("redrive - a message without headers gets only the redrive headers", () => {
    expect(redriveHeaders(null, { stream: "S", seq: 1, n: 1 })).toEqual({
      "Nats-Msg-Id": ["S:1:redrive:1"],
      "Busdeck-Redrive-Of": ["S:1"],
    });
  });

  it("redrive - the target subject must be literal and one the stream captures", () => {
    expect(redriveSubjectProblem("orders.eu", ["orders.>"])).toBeNull();
    expect(redriveSubjectProblem("billing.eu", ["orders.>"])).toBe(`subject "billing.eu" is not one the stream captures (orders.>)`);
    expect(redriveSubjectProblem("orders.*", ["orders.>"])).toMatch(/without wildcards/);
  });

  it("redrive - the request takes an attempt from 1 and an optional literal subject", () => {
    expect(RedriveRequestSchema.safeParse({ n: 1 }).success).toBe(true);
    expect(RedriveRequestSchema.safeParse({ n: 0 }).success).toBe(false);
    expect(RedriveRequestSchema.safeParse({ n: 1.5 }).success).toBe(false);
    expect(RedriveRequestSchema.safeParse({ n: 1, subject: "a.>" }).success).toBe(false);
  });

  it("redrive - the preview lists the stream's consumers whose filter receives the subject, most behind first", () => {
    const filtered = (stream: string, name: string, pending: number, filter_subjects: string[]) => {
      const row = consumerRow(stream, name, pending);
      return { ...row, config: { ...row.config, filter_subjects } };
    };
    const rows = [
      filtered("ORDERS", "all", 1, []),
      filtered("ORDERS", "eu", 9, ["orders.*.eu"]),
      filtered("ORDERS", "us", 50, ["orders.*.us"]),
      filtered("OTHER", "elsewhere", 3, []),
    ];
    expect(receivingConsumers("ORDERS", "orders.created.eu", rows).map((c) => [c.name, c.num_pending])).toEqual([
      ["eu", 9],
      ["all", 1],
    ]);
  });
});
