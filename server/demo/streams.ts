/** The demo's streams (the consumer demo's and the reflex outcomes') and an idempotent create-or-update, plus the shared publish helper. */
import { headers, nanos, type NatsConnection } from "@nats-io/nats-core";
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type StreamConfig,
} from "@nats-io/jetstream";
import { OUTCOME_STREAM, OUTCOME_SUBJECT_PREFIX } from "../../lib/outcomes/outcome";
import type { Lifecycle } from "./lifecycle";

const HOUR = 3_600_000;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export interface StreamSpec {
  name: string;
  subjects: string[];
  maxAgeMs: number;
  maxBytes: number;
  description: string;
}

export const ROUTING_STREAM = "routing-decisions";
export const MEMORY_STREAM = "memory-events";
export const LLM_STREAM = "llm-requests";
export const SENSORY_STREAM = "sensory-events";

export const DEMO_STREAMS: readonly StreamSpec[] = [
  {
    name: ROUTING_STREAM,
    subjects: ["routing.>"],
    maxAgeMs: 7 * 24 * HOUR,
    maxBytes: 1 * GiB,
    description: "Routing decisions made by the bridge for LLM model selection",
  },
  {
    name: MEMORY_STREAM,
    subjects: ["memory.>"],
    maxAgeMs: 30 * 24 * HOUR,
    maxBytes: 5 * GiB,
    description: "Memory tier transitions and consolidation events",
  },
  {
    name: LLM_STREAM,
    subjects: ["llm.>"],
    maxAgeMs: 24 * HOUR,
    maxBytes: 500 * MiB,
    description: "LLM request lifecycle events for metrics and cost tracking",
  },
  {
    name: OUTCOME_STREAM,
    subjects: [`${OUTCOME_SUBJECT_PREFIX}.>`],
    maxAgeMs: 7 * 24 * HOUR,
    maxBytes: 256 * MiB,
    description: "Reflex handler outcomes, one per handled sensory event",
  },
  {
    name: SENSORY_STREAM,
    subjects: ["sensory.>"],
    maxAgeMs: 24 * HOUR,
    maxBytes: 256 * MiB,
    description: "Sensory events (SNMP traps, Meraki webhooks) that trigger reflex handlers",
  },
];

/** JSInsufficientResourcesErr / JSStorageResourcesExceededErr: the host can't reserve the seed's max_bytes. */
const INSUFFICIENT = new Set([10023, 10047]);

export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec, replicas: number, lc: Lifecycle): Promise<void> {
  const want: Partial<StreamConfig> & { name: string } = {
    name: spec.name,
    subjects: spec.subjects,
    description: spec.description,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    num_replicas: replicas,
    max_age: nanos(spec.maxAgeMs),
    max_bytes: spec.maxBytes,
  };
  let existing: StreamConfig | undefined;
  try {
    existing = (await jsm.streams.info(spec.name)).config;
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
  }
  if (!existing) {
    // Small hosts and accounts with storage limits can't reserve 5 GiB: shrink rather than run without the stream.
    for (let bytes = spec.maxBytes; ; bytes = Math.floor(bytes / 2)) {
      try {
        await jsm.streams.add({ ...want, max_bytes: bytes });
        if (bytes !== spec.maxBytes)
          lc.log(`stream ${spec.name}: created with max_bytes ${bytes} (the seed's ${spec.maxBytes} did not fit)`);
        return;
      } catch (err) {
        if (!(err instanceof JetStreamApiError && INSUFFICIENT.has(err.code)) || bytes < 16 * MiB) throw err;
      }
    }
  }
  const drift =
    existing.subjects?.join(",") !== spec.subjects.join(",") ||
    existing.max_age !== want.max_age ||
    existing.num_replicas !== replicas ||
    existing.description !== spec.description ||
    existing.max_bytes > spec.maxBytes ||
    existing.max_bytes === -1;
  if (drift) {
    // Retention and storage can't be changed in place; only the updatable limits are reconciled.
    await jsm.streams.update(spec.name, {
      subjects: spec.subjects,
      description: spec.description,
      max_age: want.max_age,
      max_bytes: existing.max_bytes > 0 && existing.max_bytes < spec.maxBytes ? existing.max_bytes : spec.maxBytes,
      num_replicas: replicas,
    });
  }
}

export async function ensureStreams(jsm: JetStreamManager, replicas: number, lc: Lifecycle): Promise<string[]> {
  const ready: string[] = [];
  for (const spec of DEMO_STREAMS) {
    if (lc.stopped) break;
    try {
      await ensureStream(jsm, spec, replicas, lc);
      ready.push(spec.name);
    } catch (err) {
      // Against a foreign server another stream may already own these subjects; carry on with the rest.
      lc.log(`stream ${spec.name}: could not create or update: ${(err as Error).message}`);
    }
  }
  return ready;
}

const encoder = new TextEncoder();

export function jsonHeaders(msgId: string, contentType = "application/json") {
  const h = headers();
  h.set("Content-Type", contentType);
  h.set("Nats-Msg-Id", msgId);
  return h;
}

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** JetStream publish with the headers every demo message carries; failures are logged (rate-limited), not thrown. */
export async function jsPublish(js: JetStreamClient, lc: Lifecycle, subject: string, body: unknown, msgId: string): Promise<boolean> {
  const data = body instanceof Uint8Array ? body : encodeJson(body);
  try {
    await lc.unlessStopped(js.publish(subject, data, { headers: jsonHeaders(msgId) }));
    return !lc.stopped;
  } catch (err) {
    if (lc.stopped) return false;
    lc.warn(`pub:${subject.split(".")[0]}`, `publish ${subject} failed: ${(err as Error).message}`);
    lc.requestRepair();
    return false;
  }
}

/** Core publish (no ack round trip) for outcomes, as the reflex runner does: the stream captures them anyway. */
export function corePublish(
  nc: NatsConnection,
  lc: Lifecycle,
  subject: string,
  data: Uint8Array,
  msgId: string,
  contentType?: string,
): void {
  try {
    nc.publish(subject, data, { headers: jsonHeaders(msgId, contentType) });
  } catch (err) {
    lc.warn(`core:${subject}`, `publish ${subject} failed: ${(err as Error).message}`);
  }
}
