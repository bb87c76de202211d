/**
 * Keeps a bounded rate history per stream, fed by the `streams` topic (the sampler already computes rates),
 * so the detail page can chart the last minutes without asking NATS. Streams that disappear are forgotten.
 */
import "server-only";
import { appendPoint, ratePoint, type RatePoint } from "../../lib/streams/rate-history";
import type { Hub } from "../hub/hub";

export interface StreamHistory {
  get(stream: string): readonly RatePoint[];
  stop(): void;
}

export function startStreamHistory(hub: Hub, capacity?: number): StreamHistory {
  const series = new Map<string, RatePoint[]>();
  let lastSampledAt: string | null = null;
  const off = hub.onChange((topic) => {
    if (topic !== "streams") return;
    const snap = hub.getState("streams");
    if (!snap || snap.sampled_at === lastSampledAt) return;
    lastSampledAt = snap.sampled_at;
    const seen = new Set<string>();
    for (const s of snap.streams) {
      seen.add(s.name);
      const p = ratePoint(s);
      if (!p) continue;
      let list = series.get(s.name);
      if (!list) series.set(s.name, (list = []));
      appendPoint(list, p, capacity);
    }
    // A failed tick keeps the previous streams; only a real sample that lacks a stream removes it.
    if (snap.status !== "degraded" || snap.streams.length > 0) for (const name of series.keys()) if (!seen.has(name)) series.delete(name);
  });
  const history: StreamHistory = {
    get: (stream) => series.get(stream) ?? [],
    stop: () => {
      off();
    },
  };
  return history;
}
