import "server-only";
import { getRuntime } from "../runtime";
import type { OutcomeSource } from "./query";

/** The runtime's NATS handles for outcome queries; rejects while NATS is unreachable. */
export async function outcomeSource(): Promise<OutcomeSource> {
  const rt = await getRuntime();
  const [nc, jsm] = await Promise.all([rt.nc, rt.jsm()]);
  return { nc, jsm, hub: rt.hub, prefix: rt.config.outcomes.prefix, stream: rt.config.outcomes.stream, rollups: rt.outcomeRollups };
}
