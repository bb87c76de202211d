"use client";
import { useLiveTopic } from "@/components/live/use-live-events";
import type { ConsumerRow } from "@/lib/consumers/types";
import type { StreamsSnapshot, StreamSummary } from "@/lib/streams/types";
import styles from "./failover.module.css";

/** Current RAFT leaders from the sampled stream/consumer info; a single server has none to elect. */
export function JetStreamLeaders({
  streams,
  consumers,
}: {
  streams: StreamsSnapshot | null | undefined;
  consumers: readonly ConsumerRow[] | undefined;
}) {
  // With a node down the paged stream list can name a stream twice (stale and fresh): keep the newest sample.
  const newest = new Map<string, StreamSummary>();
  for (const st of streams?.streams ?? [])
    if (!newest.has(st.name) || newest.get(st.name)!.sampled_at < st.sampled_at) newest.set(st.name, st);
  const clustered = [...newest.values()].filter((s) => s.cluster?.leader);
  const clusteredConsumers = [...new Map((consumers ?? []).map((c) => [`${c.stream}/${c.name}`, c])).values()].filter(
    (c) => c.cluster?.leader,
  );
  if (!streams) return <span className="muted">waiting for the first JetStream sample…</span>;
  if (clustered.length === 0)
    return (
      <span className="muted" data-testid="leaders-none">
        Single server: no RAFT leaders to elect ({streams.streams.length} streams).
      </span>
    );
  return (
    <div className={styles.leaders} data-testid="leaders">
      {clustered.map((s) => (
        <span key={s.name} className={styles.leader}>
          <b>{s.name}</b> → {s.cluster!.leader}
          <span className="muted">
            {" "}
            ({s.cluster!.replicas.filter((r) => r.current && !r.offline).length + 1}/{s.config.replicas} current)
          </span>
        </span>
      ))}
      {clusteredConsumers.map((c) => (
        <span key={`${c.stream}/${c.name}`} className={styles.leader}>
          {c.stream}/{c.name} → {c.cluster!.leader}
        </span>
      ))}
    </div>
  );
}

/** The leaders, subscribed here so stream and consumer samples re-render this line, not the whole Failover view. */
export function JetStreamLeadersLive() {
  const streams = useLiveTopic("streams").data;
  const consumers = useLiveTopic("consumer_rows").data?.items;
  return <JetStreamLeaders streams={streams} consumers={consumers} />;
}
