import { describe, expect, it } from "vitest";
import { carryTimeWindow, links } from "./links";
import { outcomeFilterToSearch } from "./outcomes/filter";

describe("links", () => {
  it("links - the outcomes view takes a filter's search string or a record, the same link either way", () => {
    const filter = { handler: "dedup", severity: ["high" as const, "critical" as const] };
    expect(links.outcomes(outcomeFilterToSearch(filter))).toBe("/outcomes?handler=dedup&severity=high%2Ccritical");
    expect(links.outcomes({ handler: "dedup", severity: "high,critical" })).toBe(links.outcomes(outcomeFilterToSearch(filter)));
    expect(links.outcomes(outcomeFilterToSearch({}))).toBe("/outcomes");
  });

  it("links - a drill-down keeps the page's trailing range and zone", () => {
    expect(carryTimeWindow(links.consumer("ORDERS", "billing"), "range=1h&q=bill&tz=local")).toBe(
      "/consumers/ORDERS/billing?range=1h&tz=local",
    );
  });

  it("links - a fixed window rides along with the link's own parameters", () => {
    expect(
      carryTimeWindow(links.consumers({ stream: "ORDERS" }), "from=2026-11-23T13%3A00%3A00.000Z&to=2026-11-23T14%3A00%3A00.000Z"),
    ).toBe("/consumers?stream=ORDERS&from=2026-11-23T13%3A00%3A00.000Z&to=2026-11-23T14%3A00%3A00.000Z");
  });

  it("links - a link that names its own window keeps it", () => {
    expect(carryTimeWindow("/failover?range=24h", "range=1h")).toBe("/failover?range=24h");
    expect(carryTimeWindow("/outcomes?from=2026-11-23T13:00:00Z&to=2026-11-23T14:00:00Z", "range=1h")).toBe(
      "/outcomes?from=2026-11-23T13%3A00%3A00Z&to=2026-11-23T14%3A00%3A00Z",
    );
  });

  it("links - API, external and window-less links are left alone, a hash is kept", () => {
    expect(carryTimeWindow(links.api.streamHistory("ORDERS"), "range=1h")).toBe("/api/streams/ORDERS/history");
    expect(carryTimeWindow("https://example.com/x", "range=1h")).toBe("https://example.com/x");
    expect(carryTimeWindow("/streams/ORDERS#rates", "range=1h")).toBe("/streams/ORDERS?range=1h#rates");
    expect(carryTimeWindow("/streams", "q=x")).toBe("/streams");
  });

  it("links - a subject's route page and its API carry the subject encoded, wildcards and all", () => {
    expect(links.busSubjects("orders.*.created")).toBe("/bus/subjects?subject=orders.*.created");
    expect(links.busSubjects("orders.>")).toBe("/bus/subjects?subject=orders.%3E");
    expect(links.busSubjects("a b&c")).toBe("/bus/subjects?subject=a+b%26c");
    expect(links.busSubjects()).toBe("/bus/subjects");
    expect(links.api.subjectRoute("$JS.API.>")).toBe("/api/bus/subject-route?subject=%24JS.API.%3E");
  });

  it("links - a KV key is one path segment, slashes and all; a lock key leads to its singleton card", () => {
    expect(links.busKvKey("config", "app/db=1.x", { rev: 7 })).toBe("/bus/kv/config/app%2Fdb%3D1.x?rev=7");
    expect(links.busKvBucket("locks", "?prefix=reflex.")).toBe("/bus/kv/locks?prefix=reflex.");
    expect(links.singleton("dedup")).toBe("/failover?key=dedup");
  });
});
