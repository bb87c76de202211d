/**
 * Wire types and URL state of the Failover view: lock transitions and JetStream leader changes on one
 * timeline, the per-singleton states the server publishes, and the range the user is looking at.
 */
import { z } from "zod";
import type { LockTransition, SingletonState } from "./lock-transitions";

/** A JetStream RAFT leadership change or quorum loss, from the advisory subjects. */
export interface LeaderEvent {
  kind: "stream_leader" | "consumer_leader" | "stream_quorum_lost" | "consumer_quorum_lost";
  stream: string | null;
  consumer: string | null;
  leader: string | null;
  at: string;
}

/** One persisted timeline entry (busdeck's own JetStream stream holds these). */
export type TimelineEntry = { source: "lock"; transition: LockTransition } | { source: "jetstream"; leader: LeaderEvent };

export interface SingletonsSnapshot {
  status: "initializing" | "ok" | "degraded";
  /** When the server built this snapshot (its clock): how old the browser's view of every lease is. */
  sampled_at?: string;
  singletons: SingletonState[];
  /** Bucket max age per bucket (ms, null = none), so expiry is explainable. */
  max_age_ms: Record<string, number | null>;
  /** Where transitions are kept and how far back they reach. */
  history: { stream: string | null; oldest: string | null; entries: number; persisted: boolean };
  errors: { bucket: string | null; message: string }[];
}

export const emptySingletonsSnapshot = (): SingletonsSnapshot => ({
  status: "initializing",
  singletons: [],
  max_age_ms: {},
  history: { stream: null, oldest: null, entries: 0, persisted: false },
  errors: [],
});

export const entryAt = (e: TimelineEntry) => (e.source === "lock" ? e.transition.at : e.leader.at);

/** Stable identity of an entry, so a restart re-reading the bucket history does not record it twice. */
export function entryId(e: TimelineEntry): string {
  if (e.source === "lock") {
    const t = e.transition;
    return `lock/${t.bucket}/${t.key}/${t.revision}/${t.kind}`;
  }
  const l = e.leader;
  return `js/${l.kind}/${l.stream ?? ""}/${l.consumer ?? ""}/${l.leader ?? ""}/${l.at}`;
}

// ─── URL state ─────────────────────────────────────────────────────────────────────────────────────────────

export const RANGE_PRESETS = {
  "15m": 15 * 60_000,
  "1h": 3600_000,
  "6h": 6 * 3600_000,
  "24h": 24 * 3600_000,
  "7d": 7 * 24 * 3600_000,
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO-8601 time");

/**
 * `?range=1h` (trailing window) or `?from=…&to=…` (a zoomed window from the brush); `key` focuses one singleton.
 * Unknown or broken values fall back to the default rather than breaking a shared link.
 */
export const FailoverParamsSchema = z.object({
  range: z
    .enum(Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]])
    .catch("1h")
    .default("1h"),
  from: isoTime.optional().catch(undefined),
  to: isoTime.optional().catch(undefined),
  key: z.string().min(1).max(256).optional().catch(undefined),
});
export type FailoverParams = z.infer<typeof FailoverParamsSchema>;

export function parseFailoverParams(search: URLSearchParams | Record<string, string | string[] | undefined>): FailoverParams {
  const get = (k: string) => {
    const v = search instanceof URLSearchParams ? search.get(k) : search[k];
    return (Array.isArray(v) ? v[0] : v) ?? undefined;
  };
  return FailoverParamsSchema.parse({ range: get("range"), from: get("from"), to: get("to"), key: get("key") });
}

/** Only what differs from the defaults, so URLs stay short. */
export function failoverParamsToQuery(p: FailoverParams): Record<string, string | undefined> {
  const zoomed = p.from !== undefined && p.to !== undefined;
  return {
    range: !zoomed && p.range !== "1h" ? p.range : undefined,
    from: zoomed ? p.from : undefined,
    to: zoomed ? p.to : undefined,
    key: p.key,
  };
}

/** The window on screen: a zoom when from/to are both set and ordered, else the trailing preset. */
export function resolveWindow(p: FailoverParams, now: number): { from: number; to: number; zoomed: boolean } {
  if (p.from && p.to) {
    const from = Date.parse(p.from);
    const to = Date.parse(p.to);
    if (to > from) return { from, to, zoomed: true };
  }
  return { from: now - RANGE_PRESETS[p.range], to: now, zoomed: false };
}

/** `/api/failover/timeline` query: strict, since a script asking for a bad range should hear why. */
export const TimelineQuerySchema = z
  .object({
    from: isoTime,
    to: isoTime.optional(),
    key: z.string().min(1).max(256).optional(),
    limit: z.coerce.number().int().min(1).max(20_000).default(5_000),
  })
  .refine((q) => !q.to || Date.parse(q.to) > Date.parse(q.from), { message: "must be after from", path: ["to"] });
export type TimelineQuery = z.infer<typeof TimelineQuerySchema>;

/** `/api/failover/failovers` query: counts and gaps per singleton over a range. */
export const FailoverCountQuerySchema = z.object({
  from: isoTime,
  to: isoTime.optional(),
});

/** Holder colours: stable per name, so a holder keeps its colour across cards, charts and reloads. */
export const HOLDER_PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"];
export function holderColor(holder: string): string {
  let h = 0;
  for (let i = 0; i < holder.length; i++) h = (h * 31 + holder.charCodeAt(i)) >>> 0;
  return HOLDER_PALETTE[h % HOLDER_PALETTE.length]!;
}

/**
 * Which markers get a text label: walking in time order, a marker is labelled only when it sits at least
 * `minGap` (ms) after the last labelled one, so bursts (an election storm, a flapping lock) don't print on top
 * of each other. Unlabelled markers are still drawn; the table below names every one.
 */
export function spacedLabels(times: readonly number[], minGap: number): boolean[] {
  const order = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]);
  const out = times.map(() => false);
  let last = -Infinity;
  for (const [t, i] of order) {
    if (t - last >= minGap) {
      out[i] = true;
      last = t;
    }
  }
  return out;
}
