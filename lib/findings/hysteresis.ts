/**
 * Findings open and resolve with hysteresis: a condition must hold for `openAfter` evaluations in a row before
 * its finding opens, and be clear for `resolveAfter` in a row before it resolves, so a condition that comes
 * and goes on alternate samples neither opens nor resolves. Pure: the state in, the next state out.
 */
import {
  compareFindings,
  type Finding,
  type FindingCondition,
  type FindingEntityKind,
  type FindingSeverity,
  type FindingsSnapshot,
} from "./finding";

export interface HysteresisConfig {
  openAfter: number;
  resolveAfter: number;
  /** Resolved findings kept for the snapshot, newest first. */
  keepResolved: number;
}

export const DEFAULT_HYSTERESIS: HysteresisConfig = { openAfter: 3, resolveAfter: 3, keepResolved: 200 };

/** One condition being watched: pending (not yet open) or open. */
export interface Track {
  /** The latest condition seen, and when its current run of holding began. */
  condition: FindingCondition;
  since: string;
  holding: number;
  clear: number;
  open: boolean;
  /**
   * The open finding last shown for it and the condition it was made from (findingsSnapshot): shown again while
   * the condition object and `since` are the same, rather than a new copy of every open finding each evaluation.
   */
  shown?: Finding;
  shownFor?: FindingCondition;
}

/** The same condition: the id names the entity and the rule. */
const sameCondition = (a: FindingCondition, b: FindingCondition) =>
  a.id === b.id && a.severity === b.severity && a.evidence === b.evidence && a.link === b.link;

export interface FindingsState {
  tracks: ReadonlyMap<string, Track>;
  /** Newest first, bounded by keepResolved. */
  resolved: readonly Finding[];
}

export const initialFindingsState = (): FindingsState => ({ tracks: new Map(), resolved: [] });

/** An open finding whose severity changed at this evaluation (say warning → critical): it stays open, with its since. */
export interface SeverityChange {
  finding: Finding;
  previous: FindingSeverity;
}

export interface FindingsStep {
  state: FindingsState;
  opened: Finding[];
  resolved: Finding[];
  changed: SeverityChange[];
}

const asFinding = (t: Track, resolvedAt: string | null = null): Finding => ({
  ...t.condition,
  state: resolvedAt ? "resolved" : "open",
  since: t.since,
  resolved_at: resolvedAt,
});

/**
 * Advances every track by one evaluation at `at` (ISO). Tracks whose entity kind was not judged this time (its
 * source was degraded) are kept unchanged: no data is not the same as clear.
 */
export function stepFindings(
  prev: FindingsState,
  conditions: readonly FindingCondition[],
  judged: ReadonlySet<FindingEntityKind>,
  at: string,
  cfg: HysteresisConfig = DEFAULT_HYSTERESIS,
): FindingsStep {
  const tracks = new Map<string, Track>();
  const opened: Finding[] = [];
  const resolved: Finding[] = [];
  const changed: SeverityChange[] = [];
  const seen = new Set<string>();
  for (const c of conditions) {
    seen.add(c.id);
    const old = prev.tracks.get(c.id);
    // an unchanged condition stays the object the track holds (and its shown finding stays valid)
    const track: Track = old
      ? {
          condition: sameCondition(old.condition, c) ? old.condition : c,
          since: old.since,
          holding: old.holding + 1,
          clear: 0,
          open: old.open,
          shown: old.shown,
          shownFor: old.shownFor,
        }
      : { condition: c, since: at, holding: 1, clear: 0, open: false };
    if (!track.open && track.holding >= cfg.openAfter) {
      track.open = true;
      opened.push(asFinding(track));
    } else if (old?.open && old.condition.severity !== c.severity)
      changed.push({ finding: asFinding(track), previous: old.condition.severity });
    tracks.set(c.id, track);
  }
  for (const [id, old] of prev.tracks) {
    if (seen.has(id)) continue;
    if (!judged.has(old.condition.entity.kind)) tracks.set(id, old);
    else if (!old.open)
      continue; // a pending condition that lapsed starts over
    else if (old.clear + 1 >= cfg.resolveAfter) resolved.push(asFinding(old, at));
    else tracks.set(id, { ...old, holding: 0, clear: old.clear + 1 });
  }
  return { state: { tracks, resolved: [...resolved, ...prev.resolved].slice(0, cfg.keepResolved) }, opened, resolved, changed };
}

/** The open findings worst first and the recently resolved, as the hub topic and the API serve them. */
export function findingsSnapshot(state: FindingsState, evaluatedAt: string | null): FindingsSnapshot {
  const open: Finding[] = [];
  for (const t of state.tracks.values()) {
    if (!t.open) continue;
    if (t.shown === undefined || t.shownFor !== t.condition || t.shown.since !== t.since) {
      t.shown = asFinding(t);
      t.shownFor = t.condition;
    }
    open.push(t.shown);
  }
  return { status: "ok", evaluated_at: evaluatedAt, open: open.sort(compareFindings), resolved: [...state.resolved] };
}
