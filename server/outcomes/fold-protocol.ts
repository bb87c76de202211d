/** Messages between the connection's thread (outcome-folder.ts) and the outcome summary's (fold-worker.ts). */
import type { FoldBatch, OutcomeFold } from "../../lib/outcomes/fold";
import type { OutcomeRollup } from "../../lib/outcomes/rollup";
import type { HistoryStatus, OutcomeStats } from "../../lib/outcomes/outcome";

export interface FoldWorkerData {
  prefix: string;
  /** The process's compiled redaction rules (server/redaction.ts): plain lists, so the thread needs no config. */
  redaction: { fields: string[]; headers: string[] };
  /** One Int32: messages folded so far. */
  done: SharedArrayBuffer;
}

export type SnapshotMeta = { stream_available: boolean | null; history: HistoryStatus };

export type FoldRequest =
  | { t: "fold"; batch: FoldBatch; rollups: boolean }
  | { t: "rollups"; rollups: OutcomeRollup[] }
  | { t: "close-if-idle"; now: number; streamLastSeq: number }
  | { t: "snapshot"; now: number; meta: SnapshotMeta };

/** `batch`: the folded batch's arrays, handed back for reuse (absent for a close-if-idle). */
export type FoldResponse =
  { t: "ready" } | { t: "folded"; count: number; rollups: OutcomeRollup[]; batch?: FoldBatch } | { t: "stats"; stats: OutcomeStats };

/**
 * Carries out a request on `fold` and gives what the thread answers with (null: no answer). The thread and the
 * inline fold (its fallback) both go through here, so they answer alike.
 */
export function answerFoldRequest(fold: OutcomeFold, r: FoldRequest): FoldResponse | null {
  switch (r.t) {
    case "fold":
      return { t: "folded", count: r.batch.ends.length, rollups: fold.fold(r.batch, r.rollups), batch: r.batch };
    case "rollups":
      fold.addRollups(r.rollups);
      return null;
    case "close-if-idle":
      return { t: "folded", count: 0, rollups: fold.closeIfIdle(r.now, r.streamLastSeq) };
    case "snapshot":
      return { t: "stats", stats: fold.snapshot(r.now, r.meta) };
  }
}
