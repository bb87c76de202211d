/**
 * Classifies the ordered KV history of singleton lock keys into transitions (docs/contracts.md, "Singleton
 * locks"): a put by the same holder = renew, by another holder = failover (handover when the previous holder
 * deleted the key first), delete/purge = release, a key that outlived the bucket's max age = expired.
 * Pure: callers pass the bucket's max age and `now`; the classifier never reads a clock.
 */
import type { LockEvent } from "./locks";

export type TransitionKind = "acquire" | "renew" | "late_renew" | "failover" | "handover" | "release" | "expired" | "malformed";

/** Kinds that change who holds the lock; what the timeline bands are built from. */
export const TENURE_KINDS: readonly TransitionKind[] = ["acquire", "failover", "handover", "release", "expired"];

export interface LockTransition {
  bucket: string;
  key: string;
  kind: TransitionKind;
  /** Holder after the transition (null once released or expired). */
  holder: string | null;
  previous_holder: string | null;
  revision: number;
  at: string;
  /** The previous holder's last activity (last write, or its delete) before this transition. */
  previous_write_at: string | null;
  /** failover/handover: previous holder's last activity → the new holder's first write; late_renew: the gap. */
  gap_ms: number | null;
  /** Two holders writing within one lease: the new holder wrote before the old lease ran out. */
  split_brain: boolean;
  ttl_s: number | null;
  renew_interval_s: number | null;
  raw?: string;
  warning?: string;
}

export interface ClassifierOptions {
  /** The bucket's max age; a key whose last write is older has vanished (expired). Null = keys never age out. */
  maxAgeMs: number | null;
  /** A renew later than this many renew intervals is flagged (same threshold as the amber lease state). */
  lateRenewFactor?: number;
}

/** Per-key memory of the classifier; everything the summary and the next event need. */
export interface KeyTrack {
  bucket: string;
  key: string;
  holder: string | null;
  /** The holder before the key was released or expired; decides handover vs failover vs acquire. */
  last_holder: string | null;
  ended_by: "release" | "expired" | null;
  held_since: string | null;
  /** Last write of the current (or last) holder. */
  last_write_at: string | null;
  /** When the last holder stopped: its delete, or its last write for an expiry. */
  ended_at: string | null;
  last_revision: number;
  ttl_s: number | null;
  renew_interval_s: number | null;
  /** Recent renew cadence of the current holder (ms), newest last, for the observed interval. */
  renew_deltas: number[];
  /** Holder id → last write seen, to show passive candidates that once held the lock. */
  holders_seen: Record<string, string>;
  warning: string | null;
  raw: string | null;
  /** Events ignored because their revision was already seen (duplicates) or older (out of order). */
  ignored: number;
}

export const newKeyTrack = (bucket: string, key: string): KeyTrack => ({
  bucket,
  key,
  holder: null,
  last_holder: null,
  ended_by: null,
  held_since: null,
  last_write_at: null,
  ended_at: null,
  last_revision: 0,
  ttl_s: null,
  renew_interval_s: null,
  renew_deltas: [],
  holders_seen: {},
  warning: null,
  raw: null,
  ignored: 0,
});

const RENEW_DELTAS_KEPT = 8;
const ms = (iso: string) => Date.parse(iso);

/** The renew interval: the value's own figure when it carries one, else the median observed cadence. */
export function renewIntervalMs(track: Pick<KeyTrack, "renew_interval_s" | "renew_deltas">): {
  ms: number | null;
  source: "value" | "observed" | null;
} {
  if (track.renew_interval_s) return { ms: track.renew_interval_s * 1000, source: "value" };
  if (track.renew_deltas.length === 0) return { ms: null, source: null };
  const sorted = [...track.renew_deltas].sort((a, b) => a - b);
  return { ms: sorted[Math.floor(sorted.length / 2)]!, source: "observed" };
}

/** The lease: the value's ttl, else three observed intervals (the usual ttl/renew ratio), else unknown. */
export function leaseMs(track: Pick<KeyTrack, "ttl_s" | "renew_interval_s" | "renew_deltas">): {
  ms: number | null;
  source: "value" | "estimated" | null;
} {
  if (track.ttl_s) return { ms: track.ttl_s * 1000, source: "value" };
  const interval = renewIntervalMs(track).ms;
  return interval ? { ms: interval * 3, source: "estimated" } : { ms: null, source: null };
}

function transition(
  track: KeyTrack,
  kind: TransitionKind,
  e: Pick<LockEvent, "revision" | "at">,
  extra: Partial<LockTransition> = {},
): LockTransition {
  return {
    bucket: track.bucket,
    key: track.key,
    kind,
    holder: track.holder,
    previous_holder: null,
    revision: e.revision,
    at: e.at,
    previous_write_at: null,
    gap_ms: null,
    split_brain: false,
    ttl_s: track.ttl_s,
    renew_interval_s: track.renew_interval_s,
    ...extra,
  };
}

/**
 * Rebuilds a key's track from the last tenure transition busdeck recorded, so a restart whose bucket history
 * no longer reaches back to the holder's first write does not mistake the oldest retained renew for an acquire.
 */
export function trackFromTransition(t: LockTransition): KeyTrack {
  const track = newKeyTrack(t.bucket, t.key);
  track.holder = t.holder;
  track.last_holder = t.holder ?? t.previous_holder;
  track.ended_by = t.kind === "release" ? "release" : t.kind === "expired" ? "expired" : null;
  track.held_since = t.holder ? t.at : null;
  track.last_write_at = t.holder ? t.at : t.previous_write_at;
  track.ended_at = t.kind === "release" ? t.at : t.kind === "expired" ? t.previous_write_at : null;
  track.last_revision = t.revision;
  track.ttl_s = t.ttl_s;
  track.renew_interval_s = t.renew_interval_s;
  if (t.holder) track.holders_seen[t.holder] = t.at;
  if (t.previous_holder && t.previous_write_at) track.holders_seen[t.previous_holder] = t.previous_write_at;
  return track;
}

/** The holder's tenure ends (expired or released): the key is free; returns who held it. */
function endTenure(track: KeyTrack, by: "expired" | "release", at: string): string {
  const previous = track.holder!;
  track.last_holder = previous;
  track.holder = null;
  track.ended_by = by;
  track.ended_at = at;
  track.renew_deltas = [];
  return previous;
}

/** Emits `expired` when the last write is older than the bucket's max age at `now`. Idempotent. */
export function expireIfDue(track: KeyTrack, now: number, maxAgeMs: number | null): LockTransition[] {
  if (!maxAgeMs || !track.holder || !track.last_write_at) return [];
  const expiresAt = ms(track.last_write_at) + maxAgeMs;
  if (now < expiresAt) return [];
  const previous = endTenure(track, "expired", track.last_write_at);
  return [
    transition(
      track,
      "expired",
      { revision: track.last_revision, at: new Date(expiresAt).toISOString() },
      {
        previous_holder: previous,
        previous_write_at: track.last_write_at,
      },
    ),
  ];
}

/**
 * Applies one raw KV event to the key's track (mutated) and returns what happened. Events at or below the
 * last revision are duplicates or arrived out of order: the KV history already told us, so they are ignored.
 */
export function applyLockEvent(track: KeyTrack, e: LockEvent, opts: ClassifierOptions): LockTransition[] {
  if (e.revision <= track.last_revision) {
    track.ignored++;
    return [];
  }
  const out = expireIfDue(track, ms(e.at), opts.maxAgeMs);
  track.last_revision = e.revision;

  if (e.op !== "put") {
    if (!track.holder) return out; // deleting a key nobody holds changes nothing we show
    const previous = endTenure(track, "release", e.at);
    out.push(transition(track, "release", e, { previous_holder: previous, previous_write_at: track.last_write_at }));
    return out;
  }

  if (!e.holder) {
    // Unreadable value: keep the holder we knew, surface the raw text; the next readable write decides.
    track.warning = e.warning ?? "unreadable lock value";
    track.raw = e.raw ?? null;
    out.push(transition(track, "malformed", e, { raw: e.raw, warning: track.warning }));
    return out;
  }
  track.warning = null;
  track.raw = null;
  track.holders_seen[e.holder] = e.at;

  if (track.holder === e.holder) {
    const delta = track.last_write_at ? ms(e.at) - ms(track.last_write_at) : null;
    const interval = renewIntervalMs(track).ms;
    const late = delta !== null && interval !== null && delta > interval * (opts.lateRenewFactor ?? 1.5);
    if (delta !== null) track.renew_deltas = [...track.renew_deltas, delta].slice(-RENEW_DELTAS_KEPT);
    adoptLease(track, e);
    track.last_write_at = e.at;
    out.push(
      transition(track, late ? "late_renew" : "renew", e, {
        previous_holder: e.holder,
        previous_write_at: null,
        gap_ms: late ? delta : null,
      }),
    );
    return out;
  }

  // A new holder. Who it replaced, and how: still held (failover), released (handover), expired, or nobody.
  const endedByOther = track.holder === null && track.last_holder !== null && track.last_holder !== e.holder;
  const displaced = track.holder ?? (endedByOther ? track.last_holder : null);
  const kind: TransitionKind = track.holder ? "failover" : !displaced ? "acquire" : track.ended_by === "release" ? "handover" : "failover";
  // For a release that is the delete; for an expiry (ended_at = last write) and a live takeover, the last renew.
  const previousActivity = track.holder ? track.last_write_at : displaced ? track.ended_at : null;
  const lease = leaseMs(track).ms;
  const gap = previousActivity ? ms(e.at) - ms(previousActivity) : null;
  // Only a takeover of a lock still held can overlap the old lease; a handover follows a delete.
  const splitBrain = kind === "failover" && track.holder !== null && gap !== null && lease !== null && gap < lease;

  track.holder = e.holder;
  track.last_holder = e.holder;
  track.ended_by = null;
  track.ended_at = null;
  track.held_since = e.at;
  track.last_write_at = e.at;
  track.renew_deltas = [];
  track.ttl_s = null;
  track.renew_interval_s = null;
  adoptLease(track, e);
  out.push(
    transition(track, kind, e, {
      previous_holder: displaced,
      previous_write_at: previousActivity,
      gap_ms: kind === "acquire" ? null : gap,
      split_brain: splitBrain,
    }),
  );
  return out;
}

function adoptLease(track: KeyTrack, e: LockEvent) {
  if (e.ttl_s !== undefined) track.ttl_s = e.ttl_s ?? null;
  if (e.renew_interval_s !== undefined) track.renew_interval_s = e.renew_interval_s ?? null;
}

/** Classifies a whole history (any order, duplicates allowed) as the watcher would have seen it live. */
export function classifyHistory(
  events: readonly LockEvent[],
  opts: ClassifierOptions,
  now?: number,
): { tracks: Map<string, KeyTrack>; transitions: LockTransition[] } {
  const ordered = [...events].sort((a, b) => a.bucket.localeCompare(b.bucket) || a.revision - b.revision);
  const tracks = new Map<string, KeyTrack>();
  const transitions: LockTransition[] = [];
  for (const e of ordered) {
    const id = `${e.bucket}/${e.key}`;
    let track = tracks.get(id);
    if (!track) tracks.set(id, (track = newKeyTrack(e.bucket, e.key)));
    transitions.push(...applyLockEvent(track, e, opts));
  }
  if (now !== undefined) for (const t of tracks.values()) transitions.push(...expireIfDue(t, now, opts.maxAgeMs));
  return { tracks, transitions };
}

// ─── Derived per-singleton views (pure; `now` is an argument) ───────────────────────────────────────────────

/** What the server publishes per singleton; the browser derives ages and health with its own clock. */
export interface SingletonState {
  bucket: string;
  key: string;
  holder: string | null;
  held_since: string | null;
  last_write_at: string | null;
  last_revision: number;
  renew_interval_ms: number | null;
  interval_source: "value" | "observed" | null;
  lease_ms: number | null;
  lease_source: "value" | "estimated" | null;
  /** Other holders that wrote this key recently: the passive replicas we can see. */
  candidates: string[];
  warning: string | null;
  raw: string | null;
}

export function singletonState(track: KeyTrack, now: number, candidateWindowMs = 24 * 3600_000): SingletonState {
  const interval = renewIntervalMs(track);
  const lease = leaseMs(track);
  return {
    bucket: track.bucket,
    key: track.key,
    holder: track.holder,
    held_since: track.holder ? track.held_since : null,
    last_write_at: track.last_write_at,
    last_revision: track.last_revision,
    renew_interval_ms: interval.ms,
    interval_source: interval.source,
    lease_ms: lease.ms,
    lease_source: lease.source,
    candidates: Object.entries(track.holders_seen)
      .filter(([h, at]) => h !== track.holder && now - ms(at) <= candidateWindowMs)
      .map(([h]) => h)
      .sort(),
    warning: track.warning,
    raw: track.raw,
  };
}

export type LeaseHealthState = "ok" | "late" | "expired" | "released" | "unknown" | "stale";

export interface LeaseHealth {
  state: LeaseHealthState;
  label: string;
  age_ms: number | null;
  /** Age as a fraction of the lease (0..1, clamped) for the bar. */
  fraction: number;
}

/** The server publishes singletons every second: data older than this cannot vouch for a lease at `now`. */
export const FRESH_DATA_MS = 3_000;

type LeaseFacts = Pick<SingletonState, "holder" | "last_write_at" | "renew_interval_ms" | "lease_ms">;

/** ok until 1.5 renew intervals, late (amber) after, expired (red) past the lease — as of `at`. */
function leaseHealthAt(s: LeaseFacts, at: number): LeaseHealth {
  if (!s.holder) return { state: "released", label: "no holder", age_ms: null, fraction: 0 };
  if (!s.last_write_at) return { state: "unknown", label: "unknown", age_ms: null, fraction: 0 };
  const age = Math.max(0, at - ms(s.last_write_at));
  const fraction = s.lease_ms ? Math.min(1, age / s.lease_ms) : 0;
  if (s.lease_ms && age > s.lease_ms) return { state: "expired", label: "lease expired", age_ms: age, fraction };
  if (s.renew_interval_ms && age > s.renew_interval_ms * 1.5) return { state: "late", label: "renew late", age_ms: age, fraction };
  if (!s.renew_interval_ms) return { state: "unknown", label: "interval unknown", age_ms: age, fraction };
  return { state: "ok", label: "healthy", age_ms: age, fraction };
}

/**
 * The lease judged at `now` when the browser's data is fresh. Data sampled at `dataAt` and older than
 * `freshMs` is judged at its own time instead: what it showed late or expired stays so, and a lease it showed
 * healthy reads "data N s old" — the browser has not caught up, which says nothing about the holder.
 */
export function leaseHealth(s: LeaseFacts, now: number, dataAt: number | null = null, freshMs = FRESH_DATA_MS): LeaseHealth {
  if (dataAt === null || now - dataAt <= freshMs) return leaseHealthAt(s, now);
  const atSample = leaseHealthAt(s, dataAt);
  if (atSample.state !== "ok" && atSample.state !== "unknown") return atSample;
  return { ...atSample, state: "stale", label: `data ${Math.round((now - dataAt) / 1000)} s old` };
}

/**
 * Browser clock minus server clock from samples of (received, sampled at): the smallest difference, from the
 * sample that reached the page fastest. A sample handled late only makes its difference larger, so a stalled
 * page never shrinks it; the estimate errs towards ages that are too short, never towards false alarms.
 */
export function estimateClockOffset(samples: readonly { receivedAt: number; sampledAt: number }[]): number {
  return samples.length ? Math.min(...samples.map((s) => s.receivedAt - s.sampledAt)) : 0;
}

export type StatusTone = "ok" | "warn" | "bad" | "neutral";

/**
 * The one status a card leads with: an expired lease, then data too old to judge, then flapping (a lock that
 * keeps moving is not healthy however fresh its lease), then the lease's own state.
 */
export function singletonStatus(health: LeaseHealth, alarms: Pick<SingletonAlarms, "flapping">): { tone: StatusTone; label: string } {
  if (health.state === "expired") return { tone: "bad", label: health.label };
  if (health.state === "stale") return { tone: "neutral", label: health.label };
  if (alarms.flapping) return { tone: "bad", label: "flapping" };
  const tone: Record<LeaseHealthState, StatusTone> = {
    ok: "ok",
    late: "warn",
    expired: "bad",
    released: "neutral",
    unknown: "neutral",
    stale: "neutral",
  };
  return { tone: tone[health.state], label: health.label };
}

const isFailover = (t: LockTransition) => t.kind === "failover";

/** Failovers of one key in [from, to] — the bus-derived twin of augur_failover_total. */
export function countFailovers(transitions: readonly LockTransition[], key: string | null, from: number, to: number): number {
  return transitions.filter((t) => isFailover(t) && (key === null || t.key === key) && ms(t.at) >= from && ms(t.at) <= to).length;
}

export interface FlappingRule {
  maxFailovers: number;
  windowMs: number;
}
/** More than 5 failovers in 5 minutes: the demo's own cadence (one per ~minute) stays under it. */
export const DEFAULT_FLAPPING: FlappingRule = { maxFailovers: 5, windowMs: 5 * 60_000 };

export interface SingletonAlarms {
  split_brain: LockTransition | null;
  flapping: { failovers: number; window_ms: number } | null;
}

/** Flapping windows over a range, for the timeline: each failover that completed more than N in the window. */
export function flappingMarks(transitions: readonly LockTransition[], key: string, rule = DEFAULT_FLAPPING): LockTransition[] {
  const failovers = transitions.filter((t) => t.key === key && isFailover(t)).sort((a, b) => ms(a.at) - ms(b.at));
  const marks: LockTransition[] = [];
  let start = 0;
  for (let i = 0; i < failovers.length; i++) {
    while (ms(failovers[i]!.at) - ms(failovers[start]!.at) > rule.windowMs) start++;
    if (i - start + 1 > rule.maxFailovers) marks.push(failovers[i]!);
  }
  return marks;
}

export interface FailoverSummary {
  bucket: string;
  key: string;
  failovers: number;
  handovers: number;
  split_brains: number;
  /** Gaps of the failovers (ms): what an incident review quotes. */
  gap_ms: { max: number | null; median: number | null };
}

/** Per-singleton failover figures over whatever transitions are passed (already cut to a range). */
export function summarizeFailovers(transitions: readonly LockTransition[]): FailoverSummary[] {
  const byKey = new Map<string, LockTransition[]>();
  for (const t of transitions) {
    const id = `${t.bucket}/${t.key}`;
    if (!byKey.has(id)) byKey.set(id, []);
    byKey.get(id)!.push(t);
  }
  return [...byKey.values()]
    .map((ts) => {
      const failovers = ts.filter(isFailover);
      const gaps = failovers.flatMap((t) => (t.gap_ms === null ? [] : [t.gap_ms])).sort((a, b) => a - b);
      return {
        bucket: ts[0]!.bucket,
        key: ts[0]!.key,
        failovers: failovers.length,
        handovers: ts.filter((t) => t.kind === "handover").length,
        split_brains: ts.filter((t) => t.split_brain).length,
        gap_ms: { max: gaps.at(-1) ?? null, median: gaps.length ? gaps[Math.floor(gaps.length / 2)]! : null },
      };
    })
    .sort((a, b) => `${a.bucket}/${a.key}`.localeCompare(`${b.bucket}/${b.key}`));
}
