/**
 * Findings: every verdict busdeck makes about the bus, as one list on-call can triage. A finding is identified
 * by its entity and rule, so the same problem keeps its id (and its `since`) across evaluations and replicas.
 */
import { z } from "zod";

export const FINDING_SEVERITIES = ["critical", "warning", "info"] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** Worst first. */
export const SEVERITY_RANK: Record<FindingSeverity, number> = { critical: 2, warning: 1, info: 0 };

export type FindingEntity =
  | { kind: "consumer"; stream: string; consumer: string }
  | { kind: "stream"; stream: string }
  | { kind: "handler"; handler: string }
  | { kind: "singleton"; bucket: string; key: string };

export type FindingEntityKind = FindingEntity["kind"];

export const FINDING_RULES = [
  "consumer_health",
  "consumer_threshold",
  "consumer_metadata",
  "consumer_loss",
  "stream_limit",
  "stream_replicas",
  "handler_error_spike",
  "handler_latency",
  "handler_silent",
  "lease_expired",
  "lock_split_brain",
  "lock_flapping",
] as const;
export type FindingRule = (typeof FINDING_RULES)[number];

/** What one rule saw at one evaluation: a finding before hysteresis decides whether it is open. */
export interface FindingCondition {
  id: string;
  severity: FindingSeverity;
  entity: FindingEntity;
  rule: FindingRule;
  evidence: string;
  /** The page that explains it (lib/links.ts). */
  link: string;
}

export interface Finding extends FindingCondition {
  state: "open" | "resolved";
  /** When the condition began to hold (its first evaluation in the run that opened it), ISO. */
  since: string;
  /** When it was judged resolved, ISO; null while open. */
  resolved_at: string | null;
}

/** The hub's `findings` topic: open findings worst first, then the most recently resolved, newest first. */
export interface FindingsSnapshot {
  status: "initializing" | "ok";
  evaluated_at: string | null;
  open: Finding[];
  resolved: Finding[];
}

export const emptyFindingsSnapshot = (): FindingsSnapshot => ({ status: "initializing", evaluated_at: null, open: [], resolved: [] });

const entityPath = (e: FindingEntity): string => {
  switch (e.kind) {
    case "consumer":
      return `${e.stream}/${e.consumer}`;
    case "stream":
      return e.stream;
    case "handler":
      return e.handler;
    case "singleton":
      return `${e.bucket}/${e.key}`;
  }
};

/** Stable per entity and rule. */
export const findingId = (entity: FindingEntity, rule: FindingRule): string => `${rule}:${entity.kind}:${entityPath(entity)}`;

/** A rule's condition on one entity, with its stable id. */
export const findingCondition = (
  entity: FindingEntity,
  rule: FindingRule,
  severity: FindingSeverity,
  evidence: string,
  link: string,
): FindingCondition => ({
  id: findingId(entity, rule),
  severity,
  entity,
  rule,
  evidence,
  link,
});

/** Worst first; among equals the oldest first (it has been wrong longest), then by id for a stable order. */
/** localeCompare's order (the default locale's collation), with one collator rather than one per call. */
const collation = new Intl.Collator().compare;

export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || collation(a.since, b.since) || collation(a.id, b.id);
}

export const FindingsQuerySchema = z.object({ state: z.enum(["open", "resolved", "all"]).default("open") });
export type FindingsQuery = z.infer<typeof FindingsQuerySchema>;

/** The findings a `?state=` asks for, from the snapshot: open worst first, resolved newest first. */
export function selectFindings(snapshot: FindingsSnapshot, state: FindingsQuery["state"]): Finding[] {
  if (state === "open") return snapshot.open;
  if (state === "resolved") return snapshot.resolved;
  return [...snapshot.open, ...snapshot.resolved];
}
