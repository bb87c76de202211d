/** The failover routes' service: counts per singleton and the recorded timeline, from the runtime's transition store. */
import "server-only";
import type { z } from "zod";
import type { FailoverCountQuerySchema, TimelineQuery } from "../../lib/failover/queries";
import { summarizeFailovers } from "../../lib/failover/lock-transitions";
import { BadRequestError } from "../errors";
import { getRuntime } from "../runtime";

/** Failover count per singleton over the range (the bus-derived twin of augur_failover_total) and the gap each one took. */
export async function failoverCounts(q: z.output<typeof FailoverCountQuerySchema>, now: number) {
  const { failover } = await getRuntime();
  const from = Date.parse(q.from);
  const to = q.to ? Date.parse(q.to) : now;
  if (to <= from) throw new BadRequestError("to", "must be after from");
  const { entries, truncated } = failover.store.query({ from, to, limit: 100_000 });
  const transitions = entries.flatMap((e) => (e.source === "lock" ? [e.transition] : []));
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), singletons: summarizeFailovers(transitions), truncated };
}

/** Recorded transitions and leader changes over the range, and how far back the store reaches. */
export async function failoverTimeline(q: TimelineQuery, now: number) {
  const { failover } = await getRuntime();
  const to = q.to ? Date.parse(q.to) : now;
  const { entries, truncated } = failover.store.query({ from: Date.parse(q.from), to, key: q.key, limit: q.limit });
  return { from: q.from, to: new Date(to).toISOString(), entries, truncated, oldest: failover.store.oldest() };
}
