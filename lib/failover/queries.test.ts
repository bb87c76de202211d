import { describe, expect, it } from "vitest";
import { FailoverCountQuerySchema, TimelineQuerySchema } from "./queries";

describe("failover api queries", () => {
  it("timeline query - names the parameter that is wrong", () => {
    const bad = TimelineQuerySchema.safeParse({ from: "2026-11-23T10:00:00Z", to: "2026-11-23T09:00:00Z" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(["to"]);
    expect(TimelineQuerySchema.safeParse({ from: "nope" }).error!.issues[0]!.path).toEqual(["from"]);
    expect(TimelineQuerySchema.parse({ from: "2026-11-23T10:00:00Z", limit: "10" }).limit).toBe(10);
  });

  it("failover count query - needs a from time", () => {
    expect(FailoverCountQuerySchema.safeParse({}).success).toBe(false);
    expect(FailoverCountQuerySchema.parse({ from: "2026-11-23T10:00:00Z" })).toEqual({ from: "2026-11-23T10:00:00Z" });
  });
});
