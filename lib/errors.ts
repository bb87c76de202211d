/** Error helpers shared by the server's watchers, the fleet election and the demo workload. Pure: no IO. */

/** A one-line description of anything thrown, for logs and degraded-state banners. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/**
 * JetStream's wrong-last-sequence rejection (KV update-with-revision or create on an existing key): the
 * expected outcome of a lost lock race, not a fault worth a warning.
 */
export function isRevisionConflict(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 10071 || code === 10164 || /wrong last sequence/i.test(describeError(err));
}

/**
 * JetStream refusing replicated storage because the server can't place it: a single server ("replicas > 1 not
 * supported in non-clustered mode", 10074) or too few peers (10005 no suitable peers, 10023 insufficient
 * resources). An "auto" replica count falls back to one replica on these and on nothing else.
 */
export function isReplicaShortage(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return (
    code === 10074 ||
    code === 10005 ||
    code === 10023 ||
    /replicas > 1 not supported|no suitable peers|insufficient resources/i.test(describeError(err))
  );
}
