/**
 * The chaos run's seeded schedule: which faults happen when, to which target and for how long, the lock's
 * scheduled changes of holder and the consumer's stall. Pure: the same seed and duration give the same schedule.
 */
import { mulberry32 } from "../../server/demo/random";

export const FAULT_KINDS = ["nats_kill", "replica_kill", "replica_term", "publisher_cut"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ScheduledFault {
  at_ms: number;
  kind: FaultKind;
  /** Node or replica index (0–2); 0 for the publisher. */
  target: number;
  /** How long the target stays down before it is restarted. */
  down_ms: number;
}

export interface LockChange {
  at_ms: number;
  /** failover: the next holder overwrites the lock; handover: the holder deletes it, the next creates it. */
  mode: "failover" | "handover";
}

export interface ChaosSchedule {
  seed: number;
  duration_ms: number;
  faults: ScheduledFault[];
  lockChanges: LockChange[];
  /** The `stall` consumer stops acking in [from, to). */
  stall: { from_ms: number; to_ms: number };
}

const FIRST_FAULT_MS = 20_000;
/** Time left after the last restart, so the run ends with everything up and caught up. */
const QUIET_END_MS = 30_000;
const MEAN_FAULT_GAP_MS = 25_000;
const DOWN_MS: Record<FaultKind, [number, number]> = {
  nats_kill: [5_000, 15_000],
  replica_kill: [2_000, 10_000],
  replica_term: [2_000, 10_000],
  publisher_cut: [2_000, 8_000],
};
/** Fewer than busdeck's flapping rule allows (5 in 5 min): a scheduled change must not read as flapping. */
const LOCK_EVERY_MS = 62_000;

export function chaosSchedule(seed: number, durationMs: number): ChaosSchedule {
  const rand = mulberry32(seed);
  const between = (lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));
  const span = Math.max(0, durationMs - QUIET_END_MS - 15_000 - FIRST_FAULT_MS);
  const count = Math.max(FAULT_KINDS.length, Math.floor(span / MEAN_FAULT_GAP_MS));
  // Each kind in turn, in a shuffled order per round, so every kind happens even in a short run.
  const kinds: FaultKind[] = [];
  while (kinds.length < count) {
    const round = [...FAULT_KINDS];
    for (let i = round.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [round[i], round[j]] = [round[j]!, round[i]!];
    }
    kinds.push(...round);
  }
  // One fault per slot, each over (and restarted) before the next slot begins: never two faults at once.
  const slot = span / count;
  const faults = kinds.slice(0, count).map((kind, i) => {
    const [lo, hi] = DOWN_MS[kind];
    const down_ms = Math.min(between(lo, hi), Math.max(1_000, slot * 0.6));
    const at_ms = Math.round(FIRST_FAULT_MS + i * slot + rand() * Math.max(0, slot - down_ms - 1_000) * 0.5);
    return { at_ms, kind, target: kind === "publisher_cut" ? 0 : Math.floor(rand() * 3), down_ms };
  });
  const lockChanges: LockChange[] = [];
  // A failover first, so even a two-minute run (one change) has busdeck classify a takeover after a lease.
  for (let at = LOCK_EVERY_MS, i = 0; at <= durationMs - 20_000; at += LOCK_EVERY_MS, i++)
    lockChanges.push({ at_ms: at, mode: i % 2 === 0 ? "failover" : "handover" });
  return {
    seed,
    duration_ms: durationMs,
    faults,
    lockChanges,
    stall: { from_ms: Math.round(durationMs * 0.2), to_ms: Math.round(durationMs * 0.45) },
  };
}
