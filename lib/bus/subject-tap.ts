/**
 * The subject tap's budget (server/bus/subject-tap.ts): the decision to narrow or pause the tap when the rate
 * it receives goes over BUSDECK_SUBJECT_TAP_MAX_RATE, the retry with back-off, and the `bus_subjects` topic the
 * Subjects page shows. Pure: the clock comes in as `now`.
 */
import type { RenderedPayload } from "../streams/payload";
import { SUBJECT_CAP, SUBJECT_WINDOW_MS, type SubjectRate, type WindowRates } from "./subject-tree";

/** on: every configured subject tapped; narrowed: the busiest left out; paused: none; off: not configured. */
export const TAP_MODES = ["on", "narrowed", "paused", "off"] as const;
export type TapMode = (typeof TAP_MODES)[number];

export interface TapPolicy {
  /** Messages per second the tap may receive, all its subscriptions together. */
  maxRate: number;
  /** The first pause; each trip doubles it, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** On this long without a trip, the back-off starts again from backoffMs. */
  stableMs: number;
  /** A narrowed tap keeps subjects whose rates sum to at most this share of the budget. */
  headroom: number;
}

export const DEFAULT_TAP_MAX_RATE = 20_000;
export const defaultTapPolicy = (maxRate = DEFAULT_TAP_MAX_RATE): TapPolicy => ({
  maxRate,
  backoffMs: 5_000,
  maxBackoffMs: 300_000,
  stableMs: 60_000,
  headroom: 0.5,
});

export interface FilterRate {
  filter: string;
  msgs_per_s: number;
}

/** What the tap saw when it went over budget. */
export interface TapTrip {
  msgs_per_s: number;
  at: number;
  filters: FilterRate[];
}

export interface TapControl {
  mode: TapMode;
  configured: string[];
  /** The subjects subscribed now. */
  active: string[];
  /** Why it is not on, in a sentence; null when on. */
  reason: string | null;
  /** The last trip (kept after a retry, so the page can say what happened). */
  seen: TapTrip | null;
  /** The next pause's length. */
  backoff_ms: number;
  /** When the whole configured set is tried again (narrowed or paused). */
  retry_at: number | null;
  /** Since when the tap has been on without a trip. */
  on_since: number | null;
}

export function initialTapControl(configured: readonly string[], policy: TapPolicy, now: number, offReason: string): TapControl {
  const on = configured.length > 0;
  return {
    mode: on ? "on" : "off",
    configured: [...configured],
    active: on ? [...configured] : [],
    reason: on ? null : offReason,
    seen: null,
    backoff_ms: policy.backoffMs,
    retry_at: null,
    on_since: on ? now : null,
  };
}

const perS = (n: number) => `${Math.round(n).toLocaleString("en-US")} msg/s`;

/** Subscriptions a narrowed tap may hold. */
export const MAX_NARROWED = 50;

/**
 * A `…>` filter one level down, from the subjects it received: `prefix.token.>` for each next token seen with
 * deeper subjects, `prefix.token` for a subject that ends there, each with its messages. What a single tapped
 * subject narrows to. Other filters (no trailing `>`) have no level below: none.
 */
export function narrowerFilters(filter: string, counts: Iterable<[subject: string, msgs: number]>): { filter: string; msgs: number }[] {
  const tokens = filter.split(".");
  if (tokens.at(-1) !== ">") return [];
  const prefix = tokens.slice(0, -1);
  const out = new Map<string, number>();
  for (const [subject, msgs] of counts) {
    const st = subject.split(".");
    if (st.length <= prefix.length || !prefix.every((t, i) => t === "*" || t === st[i])) continue;
    const child = [...prefix, st[prefix.length]!, ...(st.length > prefix.length + 1 ? [">"] : [])].join(".");
    out.set(child, (out.get(child) ?? 0) + msgs);
  }
  return [...out].map(([f, msgs]) => ({ filter: f, msgs }));
}

/**
 * Candidates seen two ways, each at its higher rate: the tripping interval's (what is flooding now) and the
 * window's (the quiet subjects that happened not to send in the interval's first milliseconds).
 */
export function mergeCandidateRates(now: readonly FilterRate[], recent: readonly FilterRate[]): FilterRate[] {
  const out = new Map<string, number>();
  for (const f of [...now, ...recent]) out.set(f.filter, Math.max(out.get(f.filter) ?? 0, f.msgs_per_s));
  return [...out].map(([filter, msgs_per_s]) => ({ filter, msgs_per_s }));
}

/**
 * The tap went over budget. `trip.filters` are the candidates with their rates: the tapped subjects, or a single
 * tapped `…>` one level down (narrowerFilters). Keep the quietest candidates whose rates fit in the budget's
 * headroom (at most MAX_NARROWED) and leave the rest out (narrowed); when none fits, or nothing would be left
 * out, unsubscribe all (paused). Either way the whole configured set is tried again after the back-off, which
 * doubles for the next trip.
 */
export function tapOverBudget(ctl: TapControl, trip: TapTrip, now: number, policy: TapPolicy): TapControl {
  if (ctl.mode === "off") return ctl;
  const candidates = trip.filters;
  const byRate = [...candidates].sort((a, b) => a.msgs_per_s - b.msgs_per_s);
  const keep = new Set<string>();
  let sum = 0;
  for (const f of byRate) {
    if (keep.size >= MAX_NARROWED || sum + f.msgs_per_s > policy.maxRate * policy.headroom) break;
    keep.add(f.filter);
    sum += f.msgs_per_s;
  }
  const budget = `over the budget of ${perS(policy.maxRate)}`;
  const common = {
    ...ctl,
    seen: trip,
    retry_at: now + ctl.backoff_ms,
    backoff_ms: Math.min(ctl.backoff_ms * 2, policy.maxBackoffMs),
    on_since: null,
  };
  if (keep.size > 0 && keep.size < candidates.length) {
    const dropped = byRate.filter((f) => !keep.has(f.filter)).reverse();
    const named = dropped.slice(0, 3).map((f) => `${f.filter} (${perS(f.msgs_per_s)})`);
    const more = dropped.length > 3 ? ` and ${dropped.length - 3} more` : "";
    return {
      ...common,
      mode: "narrowed",
      active: candidates.filter((f) => keep.has(f.filter)).map((f) => f.filter),
      reason: `saw ${perS(trip.msgs_per_s)}, ${budget}: left out ${named.join(", ")}${more}`,
    };
  }
  return { ...common, mode: "paused", active: [], reason: `saw ${perS(trip.msgs_per_s)}, ${budget}: paused` };
}

/** Once per interval: a narrowed or paused tap due for a retry taps every configured subject again; a stable one resets its back-off. */
export function tapTick(ctl: TapControl, now: number, policy: TapPolicy): TapControl {
  if (ctl.mode === "off") return ctl;
  if (ctl.retry_at !== null && now >= ctl.retry_at)
    return { ...ctl, mode: "on", active: [...ctl.configured], reason: null, retry_at: null, on_since: now };
  if (ctl.mode === "on" && ctl.on_since !== null && now - ctl.on_since >= policy.stableMs && ctl.backoff_ms !== policy.backoffMs)
    return { ...ctl, backoff_ms: policy.backoffMs };
  return ctl;
}

/** The `bus_subjects` topic: the tap's state and its traffic over the window (the page builds the tree from `subjects`). */
export interface BusSubjectsSnapshot {
  tap: {
    mode: TapMode;
    reason: string | null;
    configured: string[];
    active: string[];
    max_rate: number;
    seen: TapTrip | null;
    retry_at: number | null;
    /** Every message received per second over the window, internal ones included: what the budget counts. */
    received_per_s: number;
  };
  /** The replica whose tap measured this (the elected sampler's; followers show it relayed, server/fleet/); null: none yet. */
  tapped_by: string | null;
  sampled_at: number | null;
  window_ms: number;
  /** The span the rates are measured over (up to window_ms; shorter just after start). */
  span_ms: number;
  /** Distinct subjects tracked; beyond them, traffic is in `other`. */
  cap: number;
  subjects: SubjectRate[];
  other: WindowRates["other"];
  internal: WindowRates["internal"];
}

export function emptyBusSubjectsSnapshot(
  ctl: Pick<TapControl, "mode" | "reason" | "configured" | "active">,
  maxRate: number,
  tappedBy: string | null = null,
): BusSubjectsSnapshot {
  return {
    tap: { ...ctl, max_rate: maxRate, seen: null, retry_at: null, received_per_s: 0 },
    tapped_by: tappedBy,
    sampled_at: null,
    window_ms: SUBJECT_WINDOW_MS,
    span_ms: 0,
    cap: SUBJECT_CAP,
    subjects: [],
    other: null,
    internal: { msgs_per_s: 0, bytes_per_s: 0 },
  };
}

export function toBusSubjectsSnapshot(
  ctl: TapControl,
  rates: WindowRates,
  maxRate: number,
  at: number,
  windowMs: number,
  cap: number,
  tappedBy: string | null = null,
): BusSubjectsSnapshot {
  const received = rates.subjects.reduce((n, s) => n + s.msgs_per_s, 0) + (rates.other?.msgs_per_s ?? 0) + rates.internal.msgs_per_s;
  return {
    tap: {
      mode: ctl.mode,
      reason: ctl.reason,
      configured: ctl.configured,
      active: ctl.active,
      max_rate: maxRate,
      seen: ctl.seen,
      retry_at: ctl.retry_at,
      received_per_s: received,
    },
    tapped_by: tappedBy,
    sampled_at: at,
    window_ms: windowMs,
    span_ms: rates.span_ms,
    cap,
    subjects: rates.subjects,
    other: rates.other,
    internal: rates.internal,
  };
}

/** One tailed message, masked (server/bus/subject-tap-api.ts). */
export interface TailedMessage {
  subject: string;
  at: number;
  size: number;
  payload: RenderedPayload;
  headers: Record<string, string[]> | null;
  redacted: number;
}

/** Newest first, at most TAIL_SHOWN. */
export const TAIL_SHOWN = 50;

/** What the tail's SSE stream carries: a message, messages skipped (over the tail's rate or buffer), or the error that ended it. */
export type SubjectTailEvent =
  { type: "message"; message: TailedMessage } | { type: "skipped"; count: number } | { type: "error"; message: string };

/** The tail as the page keeps it: the new message first, the oldest beyond TAIL_SHOWN dropped. */
export const withTailed = (shown: readonly TailedMessage[], m: TailedMessage): TailedMessage[] => [m, ...shown.slice(0, TAIL_SHOWN - 1)];
