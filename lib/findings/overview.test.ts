import { describe, expect, it } from "vitest";
import { consumerRow } from "../../testing/fixtures/consumer";
import { streamSummary } from "../../testing/fixtures/stream";
import { emptyStreamsSnapshot } from "../streams/types";
import { viewsHealth } from "./overview";

describe("overview views health", () => {
  it("overview - counts the bus's streams and consumers and sums their lag, leaving busdeck's own out", () => {
    const own = ["BUSDECK_FINDINGS"];
    const health = viewsHealth({
      streams: { ...emptyStreamsSnapshot(), streams: [streamSummary("ORDERS"), streamSummary("BUSDECK_FINDINGS")], own_streams: own },
      rows: {
        meta: { status: "ok", sampled_at: null, duration_ms: null, errors: [], own_streams: own },
        items: [consumerRow("ORDERS", "billing", 7), consumerRow("ORDERS", "shipping", 5), consumerRow("BUSDECK_FINDINGS", "mine", 100)],
      },
    });
    expect(health).toEqual({ streams: 1, consumers: 2, lag_msgs: 12, outcomes: 0, errored: 0, locks: 0 });
  });

  it("overview - nothing known yet reads as zeros, not an error", () => {
    expect(viewsHealth({})).toEqual({ streams: 0, consumers: 0, lag_msgs: 0, outcomes: 0, errored: 0, locks: 0 });
  });
});
