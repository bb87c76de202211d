import { describe, expect, it } from "vitest";
import { emptyConsumersSnapshot } from "../../lib/consumers/types";
import { consumerEntity, finding } from "../../testing/fixtures/finding";
import { Hub } from "../hub/hub";
import { createFindingsEngine } from "./engine";

describe("findings engine on a follower", () => {
  const now = Date.parse("2026-11-23T12:30:00.000Z");
  const follower = () => {
    const hub = new Hub();
    return { hub, engine: createFindingsEngine({ hub, now: () => now }) };
  };

  it("findings - an applied event is not an evaluation: the follower shows no evaluation time until it follows a sample", () => {
    const { hub, engine } = follower();
    engine.apply({ type: "opened", finding: finding(consumerEntity("billing")) });
    expect(hub.getState("findings")?.open).toHaveLength(1);
    expect(hub.getState("findings")?.evaluated_at).toBeNull();
  });

  it("findings - a follower shows the elected sampler's evaluation time: the time of the sample it evaluated", () => {
    const { hub, engine } = follower();
    engine.apply({ type: "opened", finding: finding(consumerEntity("billing")) });
    engine.followSample({ consumers: { ...emptyConsumersSnapshot(), status: "ok", sampled_at: "2026-11-23T12:29:58.000Z" } });
    expect(hub.getState("findings")).toMatchObject({ status: "ok", evaluated_at: "2026-11-23T12:29:58.000Z" });
    engine.followSample({ consumers: { ...emptyConsumersSnapshot(), status: "ok", sampled_at: "2026-11-23T12:29:59.000Z" } });
    expect(hub.getState("findings")?.evaluated_at).toBe("2026-11-23T12:29:59.000Z");
  });
});
