import { describe, expect, it } from "vitest";
import { consumerEntity, finding } from "../../testing/fixtures/finding";
import type { FindingEvent } from "./events";
import {
  TIMELINE_BUCKET_MS,
  entityLabel,
  formatOpenFor,
  groupByArea,
  recentTimelineEvents,
  shapeTimeline,
  snapshotEvents,
  timelineEvent,
  worstSeverity,
} from "./triage";

const stream = { kind: "stream" as const, stream: "ORDERS" };
const lock = { kind: "singleton" as const, bucket: "locks", key: "reporter" };
const handler = { kind: "handler" as const, handler: "enrich" };

describe("findings triage", () => {
  it("triage - groups open findings by area, the area with the worst finding first, each worst first then oldest", () => {
    const groups = groupByArea([
      finding(stream, { severity: "warning", since: "2026-11-23T10:00:00.000Z" }),
      finding(consumerEntity("billing"), { severity: "warning", since: "2026-11-23T11:00:00.000Z" }),
      finding(lock, { severity: "critical", since: "2026-11-23T12:20:00.000Z" }),
      finding(consumerEntity("shipping"), { severity: "critical", since: "2026-11-23T12:30:00.000Z" }),
      finding(consumerEntity("audit"), { severity: "critical", since: "2026-11-23T12:10:00.000Z" }),
    ]);
    expect(groups.map((g) => g.area)).toEqual(["consumers", "failover", "streams"]);
    expect(groups[0]!.findings.map((f) => entityLabel(f.entity))).toEqual(["ORDERS / audit", "ORDERS / shipping", "ORDERS / billing"]);
    expect(groups[0]!.counts).toEqual({ critical: 2, warning: 1, info: 0 });
  });

  it("triage - areas with equally bad findings: the one wrong for longest comes first; no findings, no groups", () => {
    const groups = groupByArea([
      finding(handler, { severity: "warning", since: "2026-11-23T12:00:00.000Z" }),
      finding(stream, { severity: "warning", since: "2026-11-23T09:00:00.000Z" }),
    ]);
    expect(groups.map((g) => g.area)).toEqual(["streams", "handlers"]);
    expect(groupByArea([])).toEqual([]);
  });

  it("triage - how long a finding is open, to the minute", () => {
    expect([0, 59_999, 60_000, 12 * 60_000 + 59_000, 3 * 3600_000 + 5 * 60_000, 50 * 3600_000].map(formatOpenFor)).toEqual([
      "<1 min",
      "<1 min",
      "1 min",
      "12 min",
      "3 h 05 min",
      "2 d 02 h",
    ]);
  });

  it("triage - the worst severity among findings, or null for none", () => {
    expect(worstSeverity([finding(stream, { severity: "info" }), finding(lock, { severity: "critical" })])).toBe("critical");
    expect(worstSeverity([])).toBeNull();
  });
});

describe("findings timeline", () => {
  const now = Date.parse("2026-11-23T12:07:00.000Z");
  const opened = (since: string, severity: "critical" | "warning" = "critical", key = "a"): FindingEvent => ({
    type: "opened",
    finding: finding(consumerEntity(key), { since, severity }),
  });
  const resolved = (since: string, at: string, key = "a"): FindingEvent => ({
    type: "resolved",
    finding: finding(consumerEntity(key), { since, state: "resolved", resolved_at: at }),
  });

  it("timeline - 96 quarter-hour buckets aligned to the clock, the last holding now", () => {
    const t = shapeTimeline([], now);
    expect(t.buckets).toHaveLength(96);
    expect(t.to).toBe(Date.parse("2026-11-23T12:15:00.000Z"));
    expect(t.from).toBe(Date.parse("2026-11-22T12:15:00.000Z"));
    expect(t.buckets.at(-1)!.start).toBe(Date.parse("2026-11-23T12:00:00.000Z"));
    expect(t.peak).toBe(0);
  });

  it("timeline - counts openings by severity at their since and resolutions at their resolved_at, once each", () => {
    const events = [
      opened("2026-11-23T11:50:00.000Z"),
      resolved("2026-11-23T11:50:00.000Z", "2026-11-23T12:05:00.000Z"),
      opened("2026-11-23T11:52:00.000Z", "warning", "b"),
      // the same transition again, as the history and the live snapshot both hold it
      opened("2026-11-23T11:50:00.000Z"),
      // older than the window
      opened("2026-11-22T10:00:00.000Z", "critical", "c"),
    ];
    const t = shapeTimeline(events.map(timelineEvent), now);
    const at = (iso: string) => t.buckets[(Date.parse(iso) - t.from) / TIMELINE_BUCKET_MS]!;
    expect(at("2026-11-23T11:45:00.000Z")).toMatchObject({ opened: { critical: 1, warning: 1, info: 0 }, resolved: 0 });
    expect(at("2026-11-23T12:00:00.000Z")).toMatchObject({ opened: { critical: 0, warning: 0, info: 0 }, resolved: 1 });
    expect(t).toMatchObject({ opened: 2, resolved: 1, peak: 2 });
  });

  it("timeline - a snapshot implies its findings' transitions, which the log's copies do not double", () => {
    const open = finding(consumerEntity("a"), { since: "2026-11-23T11:00:00.000Z" });
    const gone = finding(stream, { since: "2026-11-23T10:00:00.000Z", state: "resolved", resolved_at: "2026-11-23T11:30:00.000Z" });
    const events = snapshotEvents({ open: [open], resolved: [gone] });
    expect(events.map((e) => e.id)).toEqual([
      `${open.id}@${open.since}/opened`,
      `${gone.id}@${gone.since}/opened`,
      `${gone.id}@${gone.since}/resolved`,
    ]);
    const logged: FindingEvent = { type: "opened", finding: { ...gone, state: "open", resolved_at: null } };
    expect(shapeTimeline([timelineEvent(logged), ...events], now)).toMatchObject({ opened: 2, resolved: 1 });
  });

  it("timeline - a page carries the newest events of the window, oldest first", () => {
    const events = ["10:00", "11:00", "11:30", "12:00"].map((hm, i) => opened(`2026-11-23T${hm}:00.000Z`, "critical", `k${i}`));
    const kept = recentTimelineEvents(events, Date.parse("2026-11-23T10:30:00.000Z"), 2);
    expect(kept.map((e) => new Date(e.at).toISOString().slice(11, 16))).toEqual(["11:30", "12:00"]);
  });
});
