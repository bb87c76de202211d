/**
 * How many replicas busdeck gives its own storage (the sampler lock, history, rollups, failover timeline, notes,
 * snapshots). "auto", the default, asks for 3 and takes 1 where the server can't place 3 (a single server or a
 * small cluster), so one setting fits the embedded default and a production cluster alike; a number is used as
 * it is, and a server that can't place it is an error the operator sees.
 */
import "server-only";
import { isReplicaShortage } from "../lib/errors";

export type ReplicaSetting = number | "auto";

const AUTO_PREFERRED = 3;

export async function withReplicas<T>(setting: ReplicaSetting, create: (replicas: number) => Promise<T>): Promise<T> {
  if (setting !== "auto") return create(setting);
  try {
    return await create(AUTO_PREFERRED);
  } catch (err) {
    if (!isReplicaShortage(err)) throw err;
    return create(1);
  }
}
