/**
 * Ingests reflex outcomes into the hub: the `outcomes` feed and the `outcome_stats` aggregations.
 *
 * Two sources, one pipeline. When the history stream exists, an ordered consumer starting an hour back
 * replays history and then carries on live, so every record has a `stream_seq` (its id, a permalink that
 * survives restarts). When it doesn't, a core subscription runs live-only and the view says so; if the
 * stream appears later we switch over, skipping records already seen live (by Nats-Msg-Id).
 *
 * Messages are only queued in the NATS callback; parsing, validation and aggregation run per batch.
 */
import type { Msg, MsgHdrs, NatsConnection, Subscription } from "@nats-io/nats-core";
import { jetstream, type ConsumerMessages, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { OutcomeAggregator } from "../../lib/outcome-stats";
import { parseOutcome, type HistoryStatus, type OutcomeRecord, type OutcomeStats } from "../../lib/outcomes";
import type { Hub } from "../hub";
import { headersToRecord } from "../nats-headers";

export interface OutcomeSubscriberOptions {
  nc: NatsConnection;
  jsm: () => Promise<JetStreamManager>;
  hub: Hub;
  prefix: string;
  stream: string;
  batchMs?: number;
  /** How far back history is replayed on start. */
  historyMs?: number;
  /** How often the stream's existence is re-checked (and the stats re-published so ages and rates decay). */
  checkMs?: number;
  /** Feed items kept per batch: a history replay of a million records only needs its newest ones in the feed. */
  feedTail?: number;
  now?: () => number;
  log?: (msg: string) => void;
  /** Called after each flush with the records it folded (tests and the bench observe ingest through this). */
  onFlush?: (records: number, stats: OutcomeStats) => void;
}

/** What the NATS callback keeps: no parsing, no copies. */
interface Queued {
  subject: string;
  data: Uint8Array;
  headers: MsgHdrs | undefined;
  seq: number;
  /** Stream time (ms) for stream messages, arrival time for live ones. */
  at: number;
}

const MAX_LIVE_IDS = 200_000;

export interface OutcomeIngest {
  stop(): void;
  /** Folds whatever is queued now (tests, bench). */
  flush(): void;
  readonly stats: () => OutcomeStats;
}

export function startOutcomeSubscriber(opts: OutcomeSubscriberOptions): () => void {
  const ingest = createOutcomeIngest(opts);
  return () => ingest.stop();
}

export function createOutcomeIngest(opts: OutcomeSubscriberOptions): OutcomeIngest {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => undefined);
  const feedTail = opts.feedTail ?? 5_000;
  const agg = new OutcomeAggregator();
  let queue: Queued[] = [];
  let liveCounter = 0;
  let streamAvailable: boolean | null = null;
  let history: HistoryStatus = { mode: "pending" };
  let stopped = false;
  let coreSub: Subscription | null = null;
  let streamMessages: ConsumerMessages | null = null;
  /** Nats-Msg-Ids seen live-only, so a later switch to the stream does not count them twice. */
  let liveIds: Set<string> | null = null;
  let flushScheduled = false;
  const startedAt = now();

  let stats = agg.snapshot(now(), { stream_available: streamAvailable, history });
  const publishStats = () => {
    stats = agg.snapshot(now(), { stream_available: streamAvailable, history });
    opts.hub.publishState("outcome_stats", stats);
  };

  const flush = () => {
    flushScheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const records: OutcomeRecord[] = new Array(batch.length);
    let kept = 0;
    for (const q of batch) {
      const headers = q.headers ? headersToRecord(q.headers) : undefined;
      const msgId = headers?.["Nats-Msg-Id"]?.[0];
      if (q.seq === 0 && msgId && liveIds && liveIds.size < MAX_LIVE_IDS) liveIds.add(msgId);
      if (q.seq > 0 && msgId && liveIds?.has(msgId)) continue;
      const r = parseOutcome({
        id: q.seq > 0 ? String(q.seq) : `live-${++liveCounter}`,
        subject: q.subject,
        data: q.data,
        received_at: new Date(q.at).toISOString(),
        stream_seq: q.seq > 0 ? q.seq : undefined,
        headers,
        prefix: opts.prefix,
      });
      agg.add(r);
      records[kept++] = r;
    }
    records.length = kept;
    opts.hub.appendFeed("outcomes", kept > feedTail ? records.slice(kept - feedTail) : records);
    publishStats();
    opts.onFlush?.(kept, stats);
  };

  const enqueue = (q: Queued) => {
    queue.push(q);
    // A replay fills the queue far faster than the timer drains it; fold big batches straight away.
    if (queue.length >= 20_000 && !flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };

  const startLive = () => {
    if (coreSub) return;
    liveIds = new Set();
    coreSub = opts.nc.subscribe(`${opts.prefix}.>`, {
      callback: (err, msg: Msg) => {
        if (!err) enqueue({ subject: msg.subject, data: msg.data, headers: msg.headers, seq: 0, at: now() });
      },
    });
  };

  const startStream = async () => {
    const from = new Date(Math.min(startedAt, now()) - (opts.historyMs ?? 3_600_000)).toISOString();
    const t0 = now();
    history = { mode: "stream", stream: opts.stream, loading: true, loaded_from: from, loaded_count: 0, load_ms: null };
    const jsm = await opts.jsm();
    const info = await jsm.streams.info(opts.stream);
    const js = jetstream(opts.nc);
    const consumer = await js.consumers.get(opts.stream, { opt_start_time: from, filter_subjects: `${opts.prefix}.>` });
    let replayed = 0;
    const loaded = () => {
      if (history.mode === "stream" && history.loading) {
        history = { ...history, loading: false, loaded_count: replayed, load_ms: now() - t0 };
        log(`outcome history: ${replayed} records from ${opts.stream} since ${from} in ${now() - t0} ms`);
        flush();
        // Caught up: everything received live before the switch has been matched against the stream.
        liveIds = null;
      }
    };
    // Nothing stored since `from`: the replay is done before it starts.
    if (info.state.messages === 0 || Date.parse(info.state.last_ts) < Date.parse(from)) loaded();
    streamMessages = await consumer.consume({
      max_messages: 10_000,
      callback: (m: JsMsg) => {
        // Headers cost a decode per message; stored records need them only to skip ones already seen live
        // (the drill-down reads them from the stream).
        enqueue({ subject: m.subject, data: m.data, headers: liveIds ? m.headers : undefined, seq: m.seq, at: Math.floor(m.info.timestampNanos / 1e6) });
        if (history.mode === "stream" && history.loading) {
          replayed++;
          if (m.info.pending === 0) loaded();
        }
      },
    });
    // Live records seen so far are in the stream too; stop the core subscription once the consumer runs.
    coreSub?.unsubscribe();
    coreSub = null;
    void streamMessages.closed().then(() => {
      if (!stopped) switchTo(false, "history consumer closed");
    });
  };

  let switching = false;
  const switchTo = (available: boolean, reason: string) => {
    if (switching || stopped) return;
    streamAvailable = available;
    if (available && !streamMessages) {
      switching = true;
      startStream()
        .catch((err) => {
          log(`outcome history unavailable: ${(err as Error).message}`);
          streamMessages = null;
          history = { mode: "live_only", reason: `history stream ${opts.stream} could not be read: ${(err as Error).message}` };
          startLive();
        })
        .finally(() => (switching = false));
    } else if (!available) {
      const msgs = streamMessages;
      streamMessages = null;
      void msgs?.close().catch(() => undefined);
      history = { mode: "live_only", reason };
      startLive();
    }
    publishStats();
  };

  const checkStream = async () => {
    let available = false;
    try {
      await (await opts.jsm()).streams.info(opts.stream);
      available = true;
    } catch {
      available = false;
    }
    if (stopped) return;
    if (available !== streamAvailable || (available && !streamMessages && !switching)) {
      switchTo(available, `history stream ${opts.stream} does not exist (live only; the demo workload creates it)`);
    } else {
      publishStats();
    }
  };

  // Live first, so nothing is missed while the stream check is in flight.
  startLive();
  void checkStream();
  const timer = setInterval(flush, opts.batchMs ?? 100);
  timer.unref?.();
  const streamTimer = setInterval(() => void checkStream(), opts.checkMs ?? 5_000);
  streamTimer.unref?.();

  return {
    flush,
    stats: () => stats,
    stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(streamTimer);
      coreSub?.unsubscribe();
      void streamMessages?.close().catch(() => undefined);
    },
  };
}
