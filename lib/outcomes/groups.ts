/**
 * The bounded set of error groups (handler × fingerprint pattern). Bounded like a segmented cache: a group
 * seen once waits in probation, where one-offs evict each other oldest first; a group seen again is
 * protected, and only another repeating group can evict it (the least recently seen protected one). A group
 * just evicted from probation is remembered briefly, so a steady but slow group returns with its count.
 */
import { addExample, exampleValue, fingerprint, FINGERPRINT_MAX_CHARS, patternId, type GroupExample } from "./fingerprint";
import type { ErrorGroup } from "./outcome";

export const MAX_GROUPS = 500;
/** Slots one-offs always have: protected groups never take more than MAX_GROUPS minus this. */
export const PROBATION_MIN = 100;
const PROTECTED_MAX = MAX_GROUPS - PROBATION_MIN;
/** Groups remembered after eviction, with their counts and their first example only. */
export const GHOST_MAX = 4_000;

/** One group's counts as folded and as persisted in a rollup (lib/outcomes/rollup.ts). */
export interface GroupCounts {
  pattern: string;
  /** The newest exception line of the group, as raised. */
  exception: string;
  count: number;
  first_t: number;
  last_t: number;
  last_id: string;
  examples: GroupExample[];
}

interface GroupState extends GroupCounts {
  key: string;
  handler_id: string;
}

const groupKey = (handler_id: string, pattern: string) => `${handler_id}\u0000${pattern}`;

/** Folds `g` into `into`: counts add, times widen, the newest line and id win, examples merge. */
function mergeCounts(into: GroupCounts, g: GroupCounts): void {
  into.count += g.count;
  if (g.first_t < into.first_t) into.first_t = g.first_t;
  if (g.last_t >= into.last_t) {
    into.last_t = g.last_t;
    into.last_id = g.last_id;
    into.exception = g.exception;
  }
  for (const e of g.examples) addExample(into.examples, e.value, e.count);
}

const cloneCounts = (g: GroupCounts): GroupCounts => ({ ...g, examples: g.examples.map((e) => ({ ...e })) });

/** A group's counts from one errored outcome's exception line (or summary). */
export function groupCountsOf(line: string, t: number, id: string): GroupCounts {
  const fp = fingerprint(line);
  const exception = line.length > FINGERPRINT_MAX_CHARS ? `${line.slice(0, FINGERPRINT_MAX_CHARS)}…` : line;
  return {
    pattern: fp.pattern,
    exception,
    count: 1,
    first_t: t,
    last_t: t,
    last_id: id,
    examples: [{ value: exampleValue(fp), count: 1 }],
  };
}

export class GroupBook {
  /** Map order is insertion order: the first entry of probation is its oldest. */
  private readonly probation = new Map<string, GroupState>();
  private readonly protectedGroups = new Map<string, GroupState>();
  private readonly ghosts = new Map<string, GroupCounts>();

  get size(): number {
    return this.probation.size + this.protectedGroups.size;
  }

  add(handler_id: string, g: GroupCounts): void {
    const key = groupKey(handler_id, g.pattern);
    const kept = this.protectedGroups.get(key);
    if (kept) return mergeCounts(kept, g);
    const waiting = this.probation.get(key);
    if (waiting) {
      mergeCounts(waiting, g);
      this.probation.delete(key);
      return this.protect(waiting);
    }
    const state: GroupState = { key, handler_id, ...cloneCounts(g) };
    const ghost = this.ghosts.get(key);
    if (ghost) {
      this.ghosts.delete(key);
      mergeCounts(state, ghost);
    }
    if (state.count >= 2) return this.protect(state);
    this.probation.set(key, state);
    this.trimProbation();
  }

  groups(): (GroupCounts & { handler_id: string; key: string })[] {
    return [...this.protectedGroups.values(), ...this.probation.values()];
  }

  /** As the wire type, unsorted. */
  toErrorGroups(): ErrorGroup[] {
    return this.groups().map((g) => ({
      key: g.key,
      id: patternId(g.pattern),
      handler_id: g.handler_id,
      exception: g.pattern,
      sample: g.exception,
      examples: g.examples.map((e) => ({ ...e })),
      count: g.count,
      first_seen: new Date(g.first_t).toISOString(),
      last_seen: new Date(g.last_t).toISOString(),
      last_id: g.last_id,
    }));
  }

  private protect(g: GroupState): void {
    if (this.protectedGroups.size >= PROTECTED_MAX) this.evict(this.protectedGroups, leastRecentlySeen(this.protectedGroups));
    this.protectedGroups.set(g.key, g);
    this.trimProbation();
  }

  private trimProbation(): void {
    while (this.size > MAX_GROUPS && this.probation.size > 0) this.evict(this.probation, this.probation.keys().next().value!);
  }

  private evict(from: Map<string, GroupState>, key: string): void {
    const g = from.get(key)!;
    from.delete(key);
    const { key: _key, handler_id: _handler, ...counts } = g;
    this.ghosts.set(key, { ...counts, examples: counts.examples.slice(0, 1) });
    if (this.ghosts.size > GHOST_MAX) this.ghosts.delete(this.ghosts.keys().next().value!);
  }
}

function leastRecentlySeen(groups: Map<string, GroupState>): string {
  let oldest: GroupState | null = null;
  for (const g of groups.values()) if (!oldest || g.last_t < oldest.last_t) oldest = g;
  return oldest!.key;
}
