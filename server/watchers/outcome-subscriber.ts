/**
 * Ingests reflex outcomes into the hub: the `outcomes` feed and the `outcome_stats` aggregations.
 *
 * Two sources, one pipeline. When the history stream exists, an ordered consumer starting an hour back
 * replays history and then carries on live, so every record has a `stream_seq` (its id, a permalink that
 * survives restarts). When it doesn't, a core subscription runs live-only and the view says so; if the
 * stream appears later we switch over, skipping records already seen live (by Nats-Msg-Id).
 *
 * The NATS callback keeps each message for the feed and queues its bytes for the summary; the summary (parse,
 * validate, aggregate, roll up) is folded on a thread of its own (server/outcomes/outcome-folder.ts). The hub
 * gets the feed tail (as the feed's slim rows and as full records, both built from the message only when read)
 * and a stats snapshot at most every `statsMs`.
 */
import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { DeliverPolicy, jetstream, type ConsumerMessages, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import { FoldBatchBuilder, recordId } from "../../lib/outcomes/fold";
import { floorMinute, type OutcomeRollup } from "../../lib/outcomes/rollup";
import {
  boundOutcome,
  FEED_OUTCOME_CHARS,
  parseOutcome,
  toOutcomeRow,
  type HistoryStatus,
  type OutcomeRecord,
  type OutcomeRow,
  type OutcomeStats,
} from "../../lib/outcomes/outcome";
import { lastIsoOf } from "../../lib/format";
import { idHash, RecentIds } from "../../lib/outcomes/recent-ids";
import { DeferredFeedItem, type Hub } from "../hub/hub";
import { coreHeaderLength, coreMsgBytes, headersToRecord, headerValueHash, parseHeaderBlock } from "../nats-headers";
import { redactParsedOutcome } from "../redaction";
import { startOutcomeFolder, type OutcomeFolder } from "../outcomes/outcome-folder";
import type { RollupStore } from "../outcomes/rollup-store";

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
  /** Stats snapshots are the expensive part; they are published at most this often (feed items as they arrive). */
  statsMs?: number;
  /** Feed items kept per batch: a history replay of a million records only needs its newest ones in the feed. */
  feedTail?: number;
  now?: () => number;
  log?: (msg: string) => void;
  /**
   * Per-minute aggregates kept in JetStream: the history load folds them instead of replaying every outcome,
   * and closed minutes are written back. Absent (or failing to open): every load replays raw outcomes.
   */
  rollups?: () => Promise<RollupStore>;
  /** Called as each batch has been folded into the summary, with its size (the bench observes ingest through this). */
  onFlush?: (records: number) => void;
  /** Where the summary is folded: its own thread (default), or the connection's. */
  foldThread?: "worker" | "inline";
}

/** Live ids remembered for the switch to the stream: at least this many of the newest (lib/outcomes/recent-ids.ts). */
const LIVE_IDS_PER_GENERATION = 131_072;

/**
 * A full feed record kept as its message until something reads it (the `outcomes` topic, a live-only query or
 * drill-down, its feed row): parsed, masked whole and bounded then. Keeping 5,000 parsed bodies alive for a
 * topic no page streams made every young-generation GC copy them — a third of ingest CPU.
 */
class DeferredOutcome extends DeferredFeedItem<OutcomeRecord> {
  private record: OutcomeRecord | undefined;
  /** The parse input's fields, held one by one: one object per message instead of three. */
  constructor(
    /** As FoldBatch carries it: a string only when read (lib/outcomes/fold.ts recordId). */
    private readonly id: number,
    private readonly subject: string,
    /** The message's header block (headerLength long, parsed when read), then its payload. */
    private readonly bytes: Uint8Array,
    private readonly headerLength: number,
    private readonly receivedAt: string,
    private readonly seq: number | undefined,
    /** Headers already parsed (a stored record's), else undefined. */
    private readonly headers: Record<string, string[]> | undefined,
    private readonly prefix: string,
  ) {
    super();
  }
  resolve(): OutcomeRecord {
    return (this.record ??= this.build());
  }
  /** The record, without keeping it when it was not kept already: its row needs it only for a moment. */
  build(): OutcomeRecord {
    if (this.record) return this.record;
    const headers = this.headerLength > 0 ? parseHeaderBlock(this.bytes.subarray(0, this.headerLength)) : this.headers;
    const data = this.headerLength > 0 ? this.bytes.subarray(this.headerLength) : this.bytes;
    const input = {
      id: recordId(this.id),
      subject: this.subject,
      data,
      received_at: this.receivedAt,
      stream_seq: this.seq,
      headers,
      prefix: this.prefix,
    };
    return boundOutcome(redactParsedOutcome(parseOutcome(input)), FEED_OUTCOME_CHARS);
  }
}

/**
 * A feed row derived from its message when read: an SSE frame, /api/topics/outcome_rows. Past a few thousand
 * outcomes a second the hub sends clients only the newest of each flush, so most rows were derived (and kept
 * alive, and copied by the GC) for nobody; below that every row is read once, at about the cost of deriving it
 * at ingest.
 */
class DeferredOutcomeRow extends DeferredFeedItem<OutcomeRow> {
  private row: OutcomeRow | undefined;
  constructor(private readonly outcome: DeferredOutcome) {
    super();
  }
  resolve(): OutcomeRow {
    return (this.row ??= toOutcomeRow(this.outcome.build()));
  }
}

/** idHash of a parsed header record's message id; 0 when it has none (or an empty one). */
const idHashOfRecord = (headers: Record<string, string[]>) => {
  const id = headers["Nats-Msg-Id"]?.[0];
  return id ? idHash(id) : 0;
};

export interface OutcomeIngest {
  /** Where the summary is folded (server/outcomes/outcome-folder.ts). */
  readonly foldThread: "worker" | "inline";
  /** Messages received and not folded into the summary yet. */
  foldBacklog(): number;
  stop(): void;
  /** Publishes what was folded since the last flush now (tests, bench). */
  flush(): void;
  /** The last summary published (null until the first one). */
  readonly stats: () => OutcomeStats | null;
}

export function createOutcomeIngest(opts: OutcomeSubscriberOptions): OutcomeIngest {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => undefined);
  const feedTail = opts.feedTail ?? 5_000;
  let pendingFeed: DeferredOutcome[] = [];
  const batch = new FoldBatchBuilder();
  /** Messages received since the last flush. */
  let received = 0;
  let liveCounter = 0;
  let streamAvailable: boolean | null = null;
  let history: HistoryStatus = { mode: "pending" };
  let stopped = false;
  /** A flushFeed is due this turn (live messages). */
  let feedScheduled = false;
  let coreSub: Subscription | null = null;
  let streamMessages: ConsumerMessages | null = null;
  /** Nats-Msg-Ids seen live-only, so a later switch to the stream does not count them twice. */
  let liveIds: RecentIds | null = null;
  const startedAt = now();
  // Messages arrive in bursts within one millisecond: format each millisecond's timestamp once.
  const receivedAtIso = lastIsoOf();

  /** The last stream sequence the summary holds (folded, rolled up, or counted live): a restart goes on after it. */
  let foldedSeq = 0;
  /** Outcomes the summary took from stored rollups. */
  let rolledUpTotal = 0;
  let rollupStore: RollupStore | null = null;
  /** Minutes up to this one are stored already (by us or another replica): never written again. */
  let lastStoredMinute = -Infinity;
  const rollupsClosed = (closed: OutcomeRollup[]) => {
    const fresh = closed.filter((r) => r.minute > lastStoredMinute);
    if (!rollupStore || fresh.length === 0) return;
    lastStoredMinute = fresh[0]!.minute;
    rollupStore.write(fresh).catch((err) => log(`outcome rollups not written: ${(err as Error).message}`));
  };

  let stats: OutcomeStats | null = null;
  let lastStatsAt = -Infinity;
  let statsDirty = false;
  const folder: OutcomeFolder = startOutcomeFolder(
    { prefix: opts.prefix, thread: opts.foldThread, log },
    {
      folded(n, closed, folded) {
        if (folded) batch.recycle(folded);
        rollupsClosed(closed);
        if (n === 0) return;
        statsDirty = true;
        opts.onFlush?.(n);
      },
      stats(s) {
        stats = s;
        opts.hub.publishState("outcome_stats", s);
      },
    },
  );
  const publishDueStats = () => {
    lastStatsAt = now();
    statsDirty = false;
    publishStats();
  };
  const publishStats = () => folder.snapshot(now(), { stream_available: streamAvailable, history });
  publishStats();
  const sendBatch = () => {
    const b = batch.take();
    if (b) folder.fold(b, rollupStore !== null);
  };

  /**
   * Keeps one message for the feed as its bytes (DeferredOutcome: keeping parsed records until the flush, and
   * in the hub's rings, made the GC copy them) and queues its bytes for the summary's thread.
   */
  /**
   * `bytes`: a core message's header block (headerLength long; only its message id is read per message), then
   * its payload; or a payload alone (headerLength 0) with its `headers` parsed, or none.
   */
  const ingest = (
    subject: string,
    bytes: Uint8Array,
    headerLength: number,
    headers: Record<string, string[]> | undefined,
    seq: number,
    at: number,
    aggregate = true,
  ) => {
    const id = seq > 0 ? seq : -++liveCounter;
    if (seq > foldedSeq && aggregate) foldedSeq = seq;
    if (liveIds && (headerLength > 0 || headers)) {
      const msgId = headerLength > 0 ? headerValueHash(bytes, "Nats-Msg-Id", headerLength) : idHashOfRecord(headers!);
      if (msgId !== 0) {
        if (seq === 0) liveIds.addHash(msgId);
        else if (liveIds.hasHash(msgId)) {
          // Counted live already (and in the feed): its minute's rollup, built from stored records only, still needs it.
          if (aggregate && rollupStore) {
            if (!batch.hasRoomFor(bytes.byteLength - headerLength)) sendBatch();
            batch.add(subject, bytes, headerLength, id, at, true);
          }
          return;
        }
      }
    }
    if (aggregate) {
      if (!batch.hasRoomFor(bytes.byteLength - headerLength)) sendBatch();
      batch.add(subject, bytes, headerLength, id, at);
    }
    received++;
    // The full record and the row the hub, the SSE feed and every export downstream get are built from the
    // message, masked whole (DeferredOutcome).
    pendingFeed.push(
      new DeferredOutcome(id, subject, bytes, headerLength, receivedAtIso(at), seq > 0 ? seq : undefined, headers, opts.prefix),
    );
    // Only the newest feedTail can reach the feed; drop older ones in chunks, not per message.
    if (pendingFeed.length >= 2 * feedTail) pendingFeed = pendingFeed.slice(-feedTail);
    // Live messages go to the hub once this turn's burst is in, not at the next batch tick; a history replay
    // (a million stored records) keeps the batch, which sends only its newest.
    if (!feedScheduled && !(history.mode === "stream" && history.loading)) {
      feedScheduled = true;
      setImmediate(flushFeed);
    }
  };

  /** Hands the messages received since the last time to the hub's feeds. */
  const flushFeed = () => {
    feedScheduled = false;
    if (pendingFeed.length === 0 || stopped) return;
    const items = pendingFeed.length > feedTail ? pendingFeed.slice(-feedTail) : pendingFeed;
    pendingFeed = [];
    opts.hub.appendFeed("outcomes", items);
    // Pages stream the rows: derived once per record for every client (a deferred record's when read).
    opts.hub.appendFeed(
      "outcome_rows",
      items.map((item) => new DeferredOutcomeRow(item)),
    );
  };

  const flush = () => {
    sendBatch();
    if (received === 0) {
      // Trailing edge: the last folds before traffic stopped still reach the summary.
      if (statsDirty && now() - lastStatsAt >= (opts.statsMs ?? 250)) publishDueStats();
      return;
    }
    received = 0;
    flushFeed();
    // The feed is latency-sensitive (publish → browser); the per-handler summary is not, and costs far more.
    statsDirty = true;
    if (now() - lastStatsAt >= (opts.statsMs ?? 250)) publishDueStats();
  };

  const startLive = () => {
    if (coreSub) return;
    liveIds = new RecentIds(LIVE_IDS_PER_GENERATION);
    coreSub = opts.nc.subscribe(`${opts.prefix}.>`, {
      callback: (err, msg: Msg) => {
        if (err) return;
        const bytes = coreMsgBytes(msg);
        if (bytes) ingest(msg.subject, bytes, coreHeaderLength(msg), undefined, 0, now());
        else ingest(msg.subject, msg.data, 0, headersToRecord(msg.headers), 0, now());
      },
    });
  };

  /** Folds the stored rollups since `from`; returns the sequence raw replay resumes after (0: none). */
  const loadRollups = async (from: number): Promise<{ resumeSeq: number; rolledUp: number }> => {
    if (!opts.rollups) return { resumeSeq: 0, rolledUp: 0 };
    try {
      rollupStore = await opts.rollups();
      const loaded = await rollupStore.load(from);
      folder.addRollups(loaded.rollups);
      if (loaded.lastMinute !== null) lastStoredMinute = loaded.lastMinute;
      if (loaded.invalid > 0) log(`outcome rollups: ${loaded.invalid} stored record(s) failed validation and were recomputed`);
      return { resumeSeq: loaded.resumeSeq, rolledUp: loaded.rollups.reduce((n, r) => n + r.total, 0) };
    } catch (err) {
      rollupStore = null;
      log(`outcome rollups unavailable, replaying raw outcomes: ${(err as Error).message}`);
      return { resumeSeq: 0, rolledUp: 0 };
    }
  };

  const startStream = async () => {
    // From a minute boundary, so the first minute written back is a whole one.
    const from = new Date(floorMinute(Math.min(startedAt, now()) - (opts.historyMs ?? 3_600_000))).toISOString();
    const t0 = now();
    history = { mode: "stream", stream: opts.stream, loading: true, loaded_from: from, loaded_count: 0, rolled_up: 0, load_ms: null };
    const jsm = await opts.jsm();
    const info = await jsm.streams.info(opts.stream);
    // A restarted history consumer (after a node or connection loss): the summary holds the rollups and records
    // up to foldedSeq already, so it goes on after them; loading the rollups again would count them twice.
    const restart = foldedSeq > 0 && foldedSeq <= info.state.last_seq;
    const { resumeSeq, rolledUp } = restart ? { resumeSeq: foldedSeq, rolledUp: rolledUpTotal } : await loadRollups(Date.parse(from));
    rolledUpTotal = rolledUp;
    foldedSeq = Math.max(foldedSeq, resumeSeq);
    const js = jetstream(opts.nc);
    // After rolled-up minutes, the newest `feedTail` of them are read again for the feed only (not counted twice).
    const start =
      resumeSeq > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Math.max(1, resumeSeq + 1 - feedTail) }
        : { opt_start_time: from };
    const consumer = await js.consumers.get(opts.stream, { ...start, filter_subjects: `${opts.prefix}.>` });
    let replayed = 0;
    const loaded = () => {
      if (history.mode === "stream" && history.loading) {
        history = { ...history, loading: false, loaded_count: replayed, rolled_up: rolledUp, load_ms: now() - t0 };
        log(
          `outcome history: ${rolledUp} outcomes from per-minute rollups + ${replayed} replayed from ${opts.stream} since ${from} in ${now() - t0} ms`,
        );
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
        ingest(
          m.subject,
          m.data,
          0,
          liveIds ? headersToRecord(m.headers) : undefined,
          m.seq,
          Math.floor(m.info.timestampNanos / 1e6),
          m.seq > resumeSeq,
        );
        if (history.mode === "stream" && history.loading) {
          if (m.seq > resumeSeq) replayed++;
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
    let available: boolean;
    try {
      const info = await (await opts.jsm()).streams.info(opts.stream);
      available = true;
      // Nothing newer in the stream than what we folded: a minute that has ended can be written.
      if (streamMessages && history.mode === "stream" && !history.loading) folder.closeIfIdle(now(), info.state.last_seq);
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
  // The summary's batch (and a history replay's feed); live feed items go out as they arrive (flushFeed).
  const timer = setInterval(flush, opts.batchMs ?? 20);
  timer.unref?.();
  const streamTimer = setInterval(() => void checkStream(), opts.checkMs ?? 5_000);
  streamTimer.unref?.();

  return {
    flush,
    stats: () => stats,
    get foldThread() {
      return folder.thread;
    },
    foldBacklog: () => folder.inFlight(),
    stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(streamTimer);
      coreSub?.unsubscribe();
      void streamMessages?.close().catch(() => undefined);
      folder.stop();
    },
  };
}
