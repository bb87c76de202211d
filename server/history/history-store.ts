/**
 * Persisted sample history (docs/history.md) in busdeck's own stream (default BUSDECK_HISTORY, subjects
 * `<prefix>.history.>`, limits retention by age and bytes). Every replica downsamples the samples it shows;
 * only the elected sampler writes the steps it closes, each record under a Nats-Msg-Id naming its step, so a
 * step written by two leaders around a takeover is stored once. Reads go by time through a short-lived
 * consumer starting at `from` (nats-server 2.9 has no direct get by time).
 */
import "server-only";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import {
  ConsumerRecordSchema,
  StepDownsampler,
  StreamRecordSchema,
  consumerPoint,
  consumerRecords,
  historySample,
  historySubjects,
  recordMsgId,
  streamPoint,
  streamRecord,
  type ConsumerHistoryRange,
  type HistorySample,
  type StreamHistoryRange,
} from "../../lib/time/persisted-history";
import {
  ServerHistoryRecordSchema,
  serverPointFromRecord,
  type ServerHistoryPoint,
  type ServerHistoryRecord,
} from "../../lib/bus/server-history";
import type { ConsumersSnapshot } from "../../lib/consumers/types";
import type { StreamsSnapshot } from "../../lib/streams/types";
import { mapLimit } from "../concurrency";
import { scanStream } from "../outcomes/stream-scan";
import { ensureOwnStream } from "../own-streams";
import type { ReplicaSetting } from "../replicas";

export interface HistoryConfig {
  enabled: boolean;
  stream: string;
  /** subject prefix (the fleet's): records go to `<prefix>.history.…` */
  prefix: string;
  stepMs: number;
  maxAgeMs: number;
  maxBytes: number;
}

export interface HistoryStore {
  stream: string;
  stepMs: number;
  write(sample: HistorySample): Promise<{ messages: number; bytes: number }>;
  readConsumer(stream: string, consumer: string, from: number, to: number): Promise<ConsumerHistoryRange>;
  readStream(name: string, from: number, to: number): Promise<StreamHistoryRange>;
  /** One step of the bus servers' figures (every server of the sample in one record). */
  writeServers(record: ServerHistoryRecord): Promise<void>;
  readServer(name: string, from: number, to: number): Promise<ServerHistoryRange>;
}

export interface ServerHistoryRange {
  server: string;
  from: string;
  to: string;
  step_ms: number;
  points: ServerHistoryPoint[];
  complete: boolean;
}

/** A read stops after this many records (one per step: 24 h at 10 s is 8,640). */
const MAX_RECORDS_PER_READ = 20_000;

export async function openHistoryStore(
  nc: NatsConnection,
  jsm: JetStreamManager,
  config: HistoryConfig & { replicas: ReplicaSetting },
): Promise<HistoryStore> {
  const subjects = historySubjects(config.prefix);
  await ensureOwnStream(jsm, {
    name: config.stream,
    subjects: [subjects.all],
    maxAgeMs: config.maxAgeMs,
    maxBytes: config.maxBytes,
    // Covers two leaders closing the same step around a takeover (at most a lease plus a step apart).
    duplicateWindowMs: 10 * 60_000,
    replicas: config.replicas,
    description: "busdeck: downsampled consumer lag/rates and stream rates, so charts survive restarts and show on every replica",
  });
  const js = jetstream(nc);
  const enc = new TextEncoder();

  /** Records of one subject whose sample time falls in [from, to), oldest first. */
  const read = async <R extends { t: number }>(subject: string, from: number, to: number, parse: (m: JsMsg) => R | null) => {
    const records: R[] = [];
    const scan = await scanStream(js, jsm, {
      stream: config.stream,
      filterSubject: subject,
      // A record is written after its step closes, so it is stored a little after its sample time.
      start: { time: new Date(from).toISOString() },
      max: MAX_RECORDS_PER_READ,
      onMsg: (m) => {
        const r = parse(m);
        if (!r) return true;
        if (r.t >= to) return false;
        if (r.t >= from) records.push(r);
        return true;
      },
    });
    return { records, complete: scan.complete || records.length < MAX_RECORDS_PER_READ };
  };
  const parser =
    <S extends typeof ConsumerRecordSchema | typeof StreamRecordSchema | typeof ServerHistoryRecordSchema>(schema: S) =>
    (m: JsMsg) => {
      try {
        const parsed = schema.safeParse(m.json());
        return parsed.success ? (parsed.data as import("zod").infer<S>) : null;
      } catch {
        return null; // not JSON: someone else's message on our subject; skipped
      }
    };
  const iso = (t: number) => new Date(t).toISOString();

  return {
    stream: config.stream,
    stepMs: config.stepMs,
    async write(sample) {
      const bodies: { subject: string; body: Uint8Array; msgID: string }[] = consumerRecords(sample.t, sample.consumers.consumers).map(
        (r) => ({
          subject: subjects.consumers(r.stream),
          body: enc.encode(JSON.stringify(r)),
          msgID: recordMsgId("c", r.stream, sample.t, config.stepMs),
        }),
      );
      bodies.push({
        subject: subjects.streams,
        body: enc.encode(JSON.stringify(streamRecord(sample.t, sample.streams))),
        msgID: recordMsgId("s", null, sample.t, config.stepMs),
      });
      await mapLimit(bodies, 32, (b) => js.publish(b.subject, b.body, { msgID: b.msgID }));
      return { messages: bodies.length, bytes: bodies.reduce((n, b) => n + b.body.length, 0) };
    },
    async readConsumer(stream, consumer, from, to) {
      const { records, complete } = await read(subjects.consumers(stream), from, to, parser(ConsumerRecordSchema));
      const points = records.flatMap((r) => consumerPoint(r, consumer) ?? []);
      return { stream, consumer, from: iso(from), to: iso(to), step_ms: config.stepMs, points, complete };
    },
    async readStream(name, from, to) {
      const { records, complete } = await read(subjects.streams, from, to, parser(StreamRecordSchema));
      const points = records.flatMap((r) => streamPoint(r, name) ?? []);
      return { stream: name, from: iso(from), to: iso(to), step_ms: config.stepMs, points, complete };
    },
    async writeServers(record) {
      await js.publish(subjects.servers, enc.encode(JSON.stringify(record)), { msgID: recordMsgId("b", null, record.t, config.stepMs) });
    },
    async readServer(name, from, to) {
      const { records, complete } = await read(subjects.servers, from, to, parser(ServerHistoryRecordSchema));
      const points = records.flatMap((r) => serverPointFromRecord(r as ServerHistoryRecord, name) ?? []);
      return { server: name, from: iso(from), to: iso(to), step_ms: config.stepMs, points, complete };
    },
  };
}

/** Waits before each retry of a step's write: a node that dies mid-write times the publish out (5 s). */
const WRITE_RETRY_DELAYS_MS = [1_000, 2_000, 4_000];

/**
 * Feeds every sample this replica shows into the step downsampler; when a step closes and this replica is the
 * sampler, writes it. Replicas that only follow keep their downsampler current, so a takeover mid-step still
 * writes that step whole. A failed write is tried again (records carry a Nats-Msg-Id, so JetStream keeps one
 * copy): the chaos run lost a step whose write went to a node killed under it.
 */
export function createHistoryRecorder(opts: {
  store: () => Promise<HistoryStore>;
  stepMs: number;
  log?: (msg: string) => void;
  retryDelaysMs?: readonly number[];
}) {
  const steps = new StepDownsampler(opts.stepMs);
  const delays = opts.retryDelaysMs ?? WRITE_RETRY_DELAYS_MS;
  const write = async (sample: HistorySample) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await (await opts.store()).write(sample);
      } catch (err) {
        const delay = delays[attempt];
        const message = (err as Error)?.message ?? String(err);
        if (delay === undefined) throw new Error(`${message} (after ${attempt + 1} attempts)`, { cause: err });
        opts.log?.(`history: write of step ${new Date(sample.t).toISOString()} failed, retrying in ${delay} ms: ${message}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };
  return (shown: { streams: StreamsSnapshot; consumers: ConsumersSnapshot }, leading: boolean) => {
    const sample = historySample(shown.streams, shown.consumers);
    const closed = sample && steps.offer(sample);
    if (!closed || !leading) return;
    void write(closed).catch((err) => opts.log?.(`history: write failed: ${(err as Error)?.message ?? err}`));
  };
}
