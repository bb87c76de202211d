/**
 * The cross-replica fan-out of samples (docs/architecture.md#sampler-election): the leader delivers each sample to
 * its own hub directly, then broadcasts it on `<prefix>.sample.*`; every other replica validates, reassembles and
 * delivers it to its hub. The origin skips its own echo: parsing it would only tell it what it already shows. The
 * leader's subject tap state travels the same way, on `<prefix>.sample.tap`.
 */
import "server-only";
import { headers, type NatsConnection } from "@nats-io/nats-core";
import {
  ConsumerChunkSchema,
  SampleAssembler,
  SampleCommitSchema,
  StreamChunkSchema,
  encodeSample,
  encodeTapRelay,
  ORIGIN_HEADER,
  TapRelaySchema,
  sampleSubjects,
  type AssembledSample,
  type SampleChunk,
  type SampleCommit,
  type SampleOrigin,
  type TapRelay,
} from "../../lib/wire/fleet";
import type { BusSubjectsSnapshot } from "../../lib/bus/subject-tap";
import type { ConsumersSnapshot, ConsumerSummary } from "../../lib/consumers/types";
import type { StreamsSnapshot, StreamSummary } from "../../lib/streams/types";

/** NATS's default max_payload, for a connection that has not reported its server's yet. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

export function publishSample(
  nc: NatsConnection,
  prefix: string,
  origin: SampleOrigin,
  streams: StreamsSnapshot,
  consumers: ConsumersSnapshot,
): { messages: number; bytes: number } {
  const subjects = sampleSubjects(prefix);
  const encoded = encodeSample(origin, streams, consumers, nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD);
  let bytes = 0;
  const h = originHeaders(origin.leader);
  const send = (subject: string, body: string) => {
    nc.publish(subject, body, { headers: h });
    bytes += body.length;
  };
  for (const body of encoded.streams) send(subjects.streams, body);
  for (const body of encoded.consumers) send(subjects.consumers, body);
  send(subjects.commit, JSON.stringify(encoded.commit));
  return { messages: encoded.streams.length + encoded.consumers.length + 1, bytes };
}

/** The leader's subject tap state, whole, in one message (lib/wire/fleet.ts encodeTapRelay). */
export function publishTap(nc: NatsConnection, prefix: string, origin: SampleOrigin, snapshot: BusSubjectsSnapshot): number {
  const body = encodeTapRelay(origin, snapshot, nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD);
  nc.publish(sampleSubjects(prefix).tap, body, { headers: originHeaders(origin.leader) });
  return body.length;
}

function originHeaders(id: string) {
  const h = headers();
  h.set(ORIGIN_HEADER, id);
  return h;
}

/** "I am here and want samples": followers say it every renew interval; the leader publishes only while heard. */
export function sayHello(nc: NatsConnection, prefix: string, selfId: string): void {
  nc.publish(sampleSubjects(prefix).hello, JSON.stringify({ id: selfId }), { headers: originHeaders(selfId) });
}

export interface SampleSubscriberOptions {
  nc: NatsConnection;
  prefix: string;
  /** This replica's holder id: its own samples are already in its hub. */
  selfId: string;
  assembler: SampleAssembler;
  onSample: (sample: AssembledSample) => void;
  onReject?: (reason: string) => void;
  /** Another replica said hello. */
  onHello?: () => void;
  /** The leader's subject tap state, validated. */
  onTap?: (relay: TapRelay) => void;
}

/** One subscription for all sample subjects, so NATS's per-publisher ordering puts chunks before their commit. */
export function subscribeSamples(opts: SampleSubscriberOptions): () => void {
  const subjects = sampleSubjects(opts.prefix);
  const sub = opts.nc.subscribe(subjects.all, {
    callback: (err, msg) => {
      if (err) return opts.onReject?.(`subscription: ${err.message}`);
      // Our own echo is dropped before it is parsed.
      if (msg.headers?.get(ORIGIN_HEADER) === opts.selfId) return;
      if (msg.subject === subjects.hello) return opts.onHello?.();
      let body: unknown;
      try {
        body = msg.json();
      } catch {
        return opts.onReject?.(`${msg.subject}: not JSON`);
      }
      if ((body as { leader?: unknown })?.leader === opts.selfId) return;
      if (msg.subject === subjects.tap) {
        const tap = TapRelaySchema.safeParse(body);
        if (tap.success) return opts.onTap?.(tap.data as unknown as TapRelay);
        const issue = tap.error.issues[0];
        return opts.onReject?.(`${msg.subject}: ${issue?.path.join(".")}: ${issue?.message}`);
      }
      const schema =
        msg.subject === subjects.commit
          ? SampleCommitSchema
          : msg.subject === subjects.streams
            ? StreamChunkSchema
            : msg.subject === subjects.consumers
              ? ConsumerChunkSchema
              : null;
      if (!schema) return; // a newer leader's extra subject
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return opts.onReject?.(`${msg.subject}: ${issue?.path.join(".")}: ${issue?.message}`);
      }
      if (msg.subject === subjects.streams) opts.assembler.addChunk("streams", parsed.data as unknown as SampleChunk<StreamSummary>);
      else if (msg.subject === subjects.consumers)
        opts.assembler.addChunk("consumers", parsed.data as unknown as SampleChunk<ConsumerSummary>);
      else {
        const result = opts.assembler.commit(parsed.data as SampleCommit);
        if (result.ok) opts.onSample(result.sample);
        else opts.onReject?.(result.reason);
      }
    },
  });
  return () => sub.unsubscribe();
}
