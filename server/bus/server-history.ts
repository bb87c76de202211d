/**
 * Each bus server's recent figures (every sample, 15 min at 1 s) for its page's charts, fed by the `bus_servers`
 * topic; and, when this replica is the elected sampler, one record per history step written to busdeck's
 * persisted history (server/history/history-store.ts), so a past range and a restart still show them.
 */
import "server-only";
import {
  appendServerPoint,
  serverHistoryPoints,
  serverHistoryRecord,
  type ServerHistoryPoint,
  type ServerHistoryRecord,
} from "../../lib/bus/server-history";
import { HISTORY_CAPACITY } from "../../lib/streams/rate-history";
import { StepDownsampler } from "../../lib/time/persisted-history";
import { describeError } from "../../lib/errors";
import type { Hub } from "../hub/hub";

export interface ServerHistory {
  /** The server's recent points, oldest first; empty for a server not sampled lately. */
  get(server: string): readonly ServerHistoryPoint[];
  stop(): void;
}

export interface ServerHistoryOptions {
  capacity?: number;
  /** Called with each step's record when the step closes (every replica closes the same steps). */
  onStep?: (record: ServerHistoryRecord) => void;
}

export function startServerHistory(hub: Hub, opts: ServerHistoryOptions = {}): ServerHistory {
  const capacity = opts.capacity ?? HISTORY_CAPACITY;
  const series = new Map<string, ServerHistoryPoint[]>();
  let lastSampledAt: string | null = null;
  const off = hub.onChange((topic) => {
    if (topic !== "bus_servers") return;
    const snap = hub.getState("bus_servers");
    if (!snap || snap.sampled_at === lastSampledAt) return;
    lastSampledAt = snap.sampled_at;
    const sample = serverHistoryPoints(snap);
    if (!sample) return;
    for (const [name, p] of sample.points) {
      let list = series.get(name);
      if (!list) series.set(name, (list = []));
      appendServerPoint(list, p, capacity);
    }
    // A server the snapshot forgot (gone FORGET_AFTER_MISSED samples) leaves the recent window too.
    for (const name of series.keys()) if (!sample.points.has(name)) series.delete(name);
    opts.onStep?.(serverHistoryRecord(sample.t, sample.points));
  });
  return { get: (server) => series.get(server) ?? [], stop: off };
}

/**
 * Downsamples the records to one per step and writes each closed step when `leading()` (the elected sampler);
 * a record of the same step written twice around a takeover is stored once (its message id names the step).
 */
export function createServerHistoryRecorder(opts: {
  write: (record: ServerHistoryRecord) => Promise<void>;
  stepMs: number;
  leading: () => boolean;
  log?: (msg: string) => void;
}): (record: ServerHistoryRecord) => void {
  const steps = new StepDownsampler<ServerHistoryRecord>(opts.stepMs);
  return (record) => {
    const closed = steps.offer(record);
    if (!closed || !opts.leading()) return;
    opts.write(closed).catch((err) => opts.log?.(`history: servers write failed: ${describeError(err)}`));
  };
}
