import { describe, expect, it } from "vitest";
import { captionLines, describeFilters, viewName } from "./caption";
import { clusterLabel } from "../wire/connection";

const base = {
  view: "Consumer lag",
  params: new URLSearchParams("q=analytics&status=WARN,ERR&range=1h&tz=local"),
  defaultWindowMs: 15 * 60_000,
  cluster: "east",
  server: "nats-1",
  version: "2.9.10",
  generatedAt: Date.parse("2026-11-23T15:00:00.000Z"),
};

describe("caption", () => {
  it("caption - a fixed range: view, panel, filters, UTC range, cluster, server and generated-at", () => {
    expect(
      captionLines({ ...base, panel: "Lag", range: { kind: "fixed", from: "2026-11-23T13:00:00.000Z", to: "2026-11-23T14:30:00.000Z" } }),
    ).toEqual([
      "busdeck · Consumer lag — Lag",
      "filters: q=analytics, status=WARN,ERR · range: 2026-11-23 13:00:00 UTC → 2026-11-23 14:30:00 UTC (1h 30m)",
      "cluster east · server nats-1 v2.9.10 · generated 2026-11-23 15:00:00 UTC",
    ]);
  });

  it("caption - a live range is resolved to absolute UTC bounds at generation time", () => {
    expect(captionLines({ ...base, range: { kind: "live", last: "1h" } })[1]).toBe(
      "filters: q=analytics, status=WARN,ERR · range: last 1h: 2026-11-23 14:00:00 UTC → 2026-11-23 15:00:00 UTC",
    );
    expect(captionLines({ ...base, range: { kind: "live", last: null } })[1]).toMatch(
      /range: live: 2026-11-23 14:45:00 UTC → 2026-11-23 15:00:00 UTC$/,
    );
  });

  it("caption - a live range names where its data starts when the view's source does not start at now − window", () => {
    const liveFrom = Date.parse("2026-11-23T12:10:00.000Z");
    expect(captionLines({ ...base, range: { kind: "live", last: null }, liveFrom })[1]).toMatch(
      /range: live: 2026-11-23 12:10:00 UTC → 2026-11-23 15:00:00 UTC$/,
    );
    // A fixed range is its own.
    const fixed = { kind: "fixed" as const, from: "2026-11-23T13:00:00.000Z", to: "2026-11-23T14:00:00.000Z" };
    expect(captionLines({ ...base, range: fixed, liveFrom })[1]).toMatch(/range: 2026-11-23 13:00:00 UTC → /);
  });

  it("caption - unknown cluster or server read as a dash, no filters as none", () => {
    const lines = captionLines({
      ...base,
      params: new URLSearchParams("tz=local"),
      cluster: null,
      server: null,
      version: null,
      range: { kind: "live", last: null },
    });
    expect(lines[1]).toMatch(/^filters: none · /);
    expect(lines[2]).toBe("cluster — · server — · generated 2026-11-23 15:00:00 UTC");
    expect(describeFilters(new URLSearchParams("from=a&to=b&handler=x"))).toBe("handler=x");
  });

  it("caption - view names follow the path", () => {
    expect(viewName("/consumers/S/C")).toBe("Consumer detail");
    expect(viewName("/streams/S/messages/4")).toBe("Message");
    expect(viewName("/streams/S/messages")).toBe("Message browser");
    expect(viewName("/outcomes/groups/h/abc")).toBe("Error group");
    expect(viewName("/outcomes/handlers/h")).toBe("Handler");
    expect(viewName("/outcomes/17")).toBe("Outcome");
    expect(viewName("/outcomes")).toBe("Reflex outcomes");
    expect(viewName("/")).toBe("Overview");
  });

  it("caption - a chart about one entity names it on the first line", () => {
    const lines = captionLines({
      ...base,
      panel: "Lag",
      entity: { kind: "consumer", parts: ["routing-decisions", "analytics-consumer"] },
      range: { kind: "live", last: "1h" },
    });
    expect(lines[0]).toBe("busdeck · Consumer lag — Lag · consumer routing-decisions / analytics-consumer");
  });

  it("caption - the cluster is the server's, or standalone for a server in none; unknown until connected", () => {
    expect(clusterLabel({ cluster: "east", server_name: "n1", server: "h:4222" })).toBe("east");
    expect(clusterLabel({ cluster: null, server_name: "busdeck-4222", server: "127.0.0.1:4222" })).toBe("standalone");
    expect(clusterLabel({ cluster: null, server_name: null, server: null })).toBeNull();
    expect(clusterLabel(undefined)).toBeNull();
  });
});
