/** Messages between the connection's thread (outcome-folder.ts) and the outcome summary's (fold-worker.ts). */
import type { FoldBatch } from "../../lib/outcome-fold";
import type { OutcomeRollup } from "../../lib/outcome-rollup";
import type { HistoryStatus, OutcomeStats } from "../../lib/outcomes";

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
export type FoldResponse = { t: "ready" } | { t: "folded"; count: number; rollups: OutcomeRollup[]; batch?: FoldBatch } | { t: "stats"; stats: OutcomeStats };
