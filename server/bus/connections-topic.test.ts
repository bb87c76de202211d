import { describe, expect, it } from "vitest";
import { emptyConnectionsFold, foldConnectionsSample, type ConnectionsFold, type ObservedConnz } from "../../lib/bus/connections";
import { connectionItemKey, fromConnectionsTopic, toConnectionsTopic, type BusConnectionsTopic } from "../../lib/bus/connections-topic";
import { applyState, applyStatePatch } from "../../lib/wire/live-cache";
import { unpackEvent, type DashboardEvent, type WireEvent } from "../../lib/wire/topics";
import { CONN_T0, connInfo, connzOf, iso, observedConnz } from "../../testing/fixtures/connection";
import { Hub, type HubSink } from "../hub/hub";

/** The SSE frames a browser would parse, as the events it applies. */
function recordingSink(): HubSink & { take(): DashboardEvent[] } {
  let frames: string[] = [];
  return {
    write: (chunk) => void frames.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk)),
    isBackedUp: () => false,
    close: () => {},
    take() {
      const events = frames
        .filter((f) => f.includes("data: {"))
        .map((f) => unpackEvent(JSON.parse(f.slice(f.indexOf("data: ") + 6)) as WireEvent));
      frames = [];
      return events;
    },
  };
}

const fold = (prev: ConnectionsFold, at: number, servers: ObservedConnz[]) =>
  foldConnectionsSample(prev, { at, source: "monitor", servers });

/** What the browser's cache holds after applying every bus_connections event, as it does (live-cache.ts). */
function applyAll(cached: BusConnectionsTopic | undefined, events: DashboardEvent[]): BusConnectionsTopic | undefined {
  for (const e of events) {
    if (e.type === "state" && e.topic === "bus_connections") cached = applyState("bus_connections", e.data);
    else if (e.type === "state_patch" && e.topic === "bus_connections") cached = applyStatePatch(cached, e) ?? undefined;
  }
  return cached;
}

const byKey = (topic: BusConnectionsTopic) => Object.fromEntries(topic.items.map((r) => [connectionItemKey(r), r]));

describe("bus connections topic on the hub", () => {
  it("bus connections topic - after the first state a sample sends only the rows that changed, and the browser's copy equals the server's", () => {
    const hub = new Hub({ stateIntervalMs: 0 });
    const sink = recordingSink();
    const steady = [connInfo(1), connInfo(2), connInfo(3)];
    let f = fold(emptyConnectionsFold("monitor"), CONN_T0, [observedConnz("n1", { open: connzOf(CONN_T0, steady) })]);
    f = fold(f, CONN_T0 + 1_000, [observedConnz("n1", { open: connzOf(CONN_T0 + 1_000, steady) })]);
    hub.publishState("bus_connections", toConnectionsTopic(f.snapshot));
    hub.subscribe(sink, ["bus_connections"]);
    const first = sink.take();
    expect(first.map((e) => e.type)).toEqual(["hello", "state"]);
    let browser = applyAll(undefined, first);
    const kept = browser!.items.find((r) => r.key === "n1:3");

    // 1's pending grows, 2 closes (listed closed), 4 is new, 3 is as it was
    const at = CONN_T0 + 2_000;
    f = fold(f, at, [
      observedConnz("n1", {
        open: connzOf(at, [connInfo(1, { pending_bytes: 4_096 }), connInfo(3), connInfo(4)]),
        closed: connzOf(at, [connInfo(2, { stop: iso(at - 500), reason: "Slow Consumer (Pending Bytes)" })]),
      }),
    ]);
    hub.publishState("bus_connections", toConnectionsTopic(f.snapshot));
    hub.flush();
    const [patch, ...rest] = sink.take();
    expect(rest).toEqual([]);
    expect(patch).toMatchObject({ type: "state_patch", topic: "bus_connections", remove: ["n1:2"] });
    const upserted = (patch as Extract<DashboardEvent, { type: "state_patch"; topic: "bus_connections" }>).upsert;
    expect(upserted.map(connectionItemKey).sort()).toEqual(["closed:n1:2", "n1:1", "n1:4"]);

    browser = applyAll(browser, [patch!]);
    expect(byKey(browser!)).toEqual(byKey(toConnectionsTopic(f.snapshot)));
    expect(fromConnectionsTopic(browser!).closed).toEqual(f.snapshot.closed);
    expect(browser!.meta.sampled_at).toBe(iso(at));
    // an unchanged row keeps its object in the browser: its filter text and rendered row are reused
    expect(browser!.items.find((r) => r.key === "n1:3")).toBe(kept);
    hub.close();
  });
});
