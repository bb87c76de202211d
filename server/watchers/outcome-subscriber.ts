/**
 * Subscribes to reflex outcomes (core NATS, so it works with or without the history stream), parses each
 * with the contract schema and hands batches to the hub. Malformed payloads are kept as raw records.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamManager } from "@nats-io/jetstream";
import { emptyOutcomeStats, foldOutcomeStats, parseOutcome, type OutcomeRecord } from "../../lib/outcomes";
import type { Hub } from "../hub";
import { headersToRecord } from "../nats-headers";

export interface OutcomeSubscriberOptions {
  nc: NatsConnection;
  jsm: () => Promise<JetStreamManager>;
  hub: Hub;
  prefix: string;
  stream: string;
  batchMs?: number;
}

export function startOutcomeSubscriber(opts: OutcomeSubscriberOptions): () => void {
  let pending: OutcomeRecord[] = [];
  let counter = 0;
  const sub = opts.nc.subscribe(`${opts.prefix}.>`, {
    callback: (err, msg) => {
      if (err) return;
      const headers = headersToRecord(msg.headers);
      const msgId = headers?.["Nats-Msg-Id"]?.[0];
      pending.push(
        parseOutcome({
          id: msgId ?? `live-${++counter}`,
          subject: msg.subject,
          data: msg.data,
          received_at: new Date().toISOString(),
          headers,
          prefix: opts.prefix,
        }),
      );
    },
  });
  // Batching keeps the per-handler fold off the per-message path.
  const timer = setInterval(() => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    opts.hub.appendFeed("outcomes", batch);
    opts.hub.updateState("outcome_stats", emptyOutcomeStats(), (s) => foldOutcomeStats(s, batch));
  }, opts.batchMs ?? 100);
  timer.unref?.();

  const checkStream = async () => {
    let available = false;
    try {
      await (await opts.jsm()).streams.info(opts.stream);
      available = true;
    } catch {
      available = false;
    }
    opts.hub.updateState("outcome_stats", emptyOutcomeStats(), (s) => (s.stream_available === available ? s : { ...s, stream_available: available }));
  };
  void checkStream();
  const streamTimer = setInterval(checkStream, 10_000);
  streamTimer.unref?.();

  return () => {
    clearInterval(timer);
    clearInterval(streamTimer);
    sub.unsubscribe();
  };
}
