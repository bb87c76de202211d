/**
 * The overview's triage of findings: open findings grouped by area, worst first; a 24 h strip of findings opening
 * and resolving, from the persisted history and the live snapshot. Pure; `now` is an argument.
 */
import { findingEventId, type FindingEvent } from "./events";
import {
  FINDING_SEVERITIES,
  SEVERITY_RANK,
  compareFindings,
  type Finding,
  type FindingEntity,
  type FindingEntityKind,
  type FindingRule,
  type FindingSeverity,
  type FindingsSnapshot,
} from "./finding";

export const FINDING_AREAS = ["consumers", "streams", "handlers", "failover"] as const;
export type FindingArea = (typeof FINDING_AREAS)[number];

const AREA_OF_KIND: Record<FindingEntityKind, FindingArea> = {
  consumer: "consumers",
  stream: "streams",
  handler: "handlers",
  singleton: "failover",
};

export const AREA_LABELS: Record<FindingArea, string> = {
  consumers: "Consumers",
  streams: "Streams",
  handlers: "Reflex handlers",
  failover: "Failover",
};

export const RULE_LABELS: Record<FindingRule, string> = {
  consumer_health: "consumer health",
  consumer_threshold: "consumer threshold",
  consumer_metadata: "consumer metadata",
  consumer_loss: "loss forecast",
  stream_limit: "stream limit",
  stream_replicas: "stream replicas",
  handler_error_spike: "error spike",
  handler_latency: "latency regression",
  handler_silent: "silent handler",
  lease_expired: "lease expired",
  lock_split_brain: "split brain",
  lock_flapping: "flapping lock",
};

export const areaOf = (entity: FindingEntity): FindingArea => AREA_OF_KIND[entity.kind];

/** What the finding is about, as a heading names it: "ORDERS / billing", "ORDERS", "locks / reporter". */
export function entityLabel(e: FindingEntity): string {
  switch (e.kind) {
    case "consumer":
      return `${e.stream} / ${e.consumer}`;
    case "stream":
      return e.stream;
    case "handler":
      return e.handler;
    case "singleton":
      return `${e.bucket} / ${e.key}`;
  }
}

export type SeverityCounts = Record<FindingSeverity, number>;

const noCounts = (): SeverityCounts => ({ critical: 0, warning: 0, info: 0 });

export function severityCounts(findings: readonly Finding[]): SeverityCounts {
  const counts = noCounts();
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export interface FindingGroup {
  area: FindingArea;
  /** Worst first, then longest open (compareFindings). */
  findings: Finding[];
  counts: SeverityCounts;
}

/** Open findings by area; the area whose worst finding is worst (then oldest) comes first, empty areas are left out. */
export function groupByArea(open: readonly Finding[]): FindingGroup[] {
  const byArea = new Map<FindingArea, Finding[]>();
  for (const f of open) {
    const area = areaOf(f.entity);
    const list = byArea.get(area);
    if (list) list.push(f);
    else byArea.set(area, [f]);
  }
  const groups = [...byArea].map(([area, findings]) => {
    findings.sort(compareFindings);
    return { area, findings, counts: severityCounts(findings) };
  });
  return groups.sort((a, b) => compareFindings(a.findings[0]!, b.findings[0]!));
}

/** The worst severity among `findings`, or null when there are none. */
export function worstSeverity(findings: readonly Finding[]): FindingSeverity | null {
  let worst: FindingSeverity | null = null;
  for (const f of findings) if (worst === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

export const TIMELINE_WINDOW_MS = 24 * 3600_000;
export const TIMELINE_BUCKET_MS = 15 * 60_000;

export interface TimelineBucket {
  /** Start of the bucket, epoch ms. */
  start: number;
  opened: SeverityCounts;
  resolved: number;
}

export interface FindingsTimeline {
  from: number;
  to: number;
  bucketMs: number;
  buckets: TimelineBucket[];
  opened: number;
  resolved: number;
  /** The largest number of openings or resolutions in one bucket: the strip's scale. */
  peak: number;
}

/** One finding opening or resolving, as the timeline needs it: small enough to ship a day of them in the page. */
export interface TimelineEvent {
  /** The event's id (findingEventId): the same transition from the history and the live snapshot counts once. */
  id: string;
  type: FindingEvent["type"];
  severity: FindingSeverity;
  /** When: a finding opens at its `since`, resolves at its `resolved_at`; epoch ms. */
  at: number;
}

export const timelineEvent = (e: FindingEvent): TimelineEvent => ({
  id: findingEventId(e),
  type: e.type,
  severity: e.finding.severity,
  at: Date.parse(e.type === "opened" ? e.finding.since : (e.finding.resolved_at ?? "")),
});

/** The transitions a snapshot implies: each open and resolved finding opened, each resolved one resolved. */
export function snapshotEvents(snapshot: Pick<FindingsSnapshot, "open" | "resolved">): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const finding of snapshot.open) events.push(timelineEvent({ type: "opened", finding }));
  for (const finding of snapshot.resolved) {
    events.push(timelineEvent({ type: "opened", finding: { ...finding, state: "open", resolved_at: null } }));
    events.push(timelineEvent({ type: "resolved", finding }));
  }
  return events;
}

/** The newest `limit` of `events` in the window, oldest first: what a page carries of the history. */
export function recentTimelineEvents(events: readonly FindingEvent[], fromMs: number, limit: number): TimelineEvent[] {
  const inWindow = events.map(timelineEvent).filter((e) => e.at >= fromMs);
  return inWindow.slice(Math.max(0, inWindow.length - limit));
}

/**
 * Findings opening and resolving in the 24 h up to `now`, in 15-minute buckets aligned to the clock (so a bucket
 * keeps its place as time passes). `events` may repeat one transition (history and snapshot): each counts once.
 */
export function shapeTimeline(
  events: readonly TimelineEvent[],
  now: number,
  windowMs = TIMELINE_WINDOW_MS,
  bucketMs = TIMELINE_BUCKET_MS,
): FindingsTimeline {
  const to = Math.ceil((now + 1) / bucketMs) * bucketMs;
  const from = to - windowMs;
  const buckets: TimelineBucket[] = Array.from({ length: Math.ceil(windowMs / bucketMs) }, (_, i) => ({
    start: from + i * bucketMs,
    opened: noCounts(),
    resolved: 0,
  }));
  const seen = new Set<string>();
  let opened = 0;
  let resolved = 0;
  for (const e of events) {
    if (!(e.at >= from && e.at < to) || seen.has(e.id)) continue;
    seen.add(e.id);
    const bucket = buckets[Math.floor((e.at - from) / bucketMs)]!;
    if (e.type === "opened") {
      bucket.opened[e.severity]++;
      opened++;
    } else {
      bucket.resolved++;
      resolved++;
    }
  }
  const peak = buckets.reduce((m, b) => Math.max(m, openedIn(b), b.resolved), 0);
  return { from, to, bucketMs, buckets, opened, resolved, peak };
}

export const openedIn = (b: TimelineBucket): number => FINDING_SEVERITIES.reduce((n, s) => n + b.opened[s], 0);

/**
 * How long a finding has been open, to the minute: "<1 min", "12 min", "3 h 05 min", "2 d 04 h". Coarse on
 * purpose: a list of a thousand findings then changes once a minute, not every second.
 */
export function formatOpenFor(ms: number): string {
  const min = Math.floor(Math.max(0, ms) / 60_000);
  if (min < 1) return "<1 min";
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ${String(min % 60).padStart(2, "0")} min`;
  return `${Math.floor(h / 24)} d ${String(h % 24).padStart(2, "0")} h`;
}
