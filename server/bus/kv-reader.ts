/**
 * Reads KV buckets and object stores on request: the bucket list from one stream listing, a bucket's keys and a
 * key's revisions through a short-lived consumer (server/outcomes/stream-scan.ts) that is capped and stops when
 * the request goes away. Values are masked before they are rendered, like every stored payload.
 */
import "server-only";
import type { JetStreamClient, JetStreamManager, JsMsg, StreamInfo } from "@nats-io/jetstream";
import {
  kvKeyFilter,
  kvKeySubject,
  kvOperation,
  kvOverviewFromStreams,
  kvStreamName,
  keyOfSubject,
  MAX_KV_KEYS,
  MAX_KV_REVISIONS,
  MAX_OBJECTS,
  parseObjectMeta,
  objectMetaFilter,
  type KvKeyHistory,
  type KvKeyPage,
  type KvKeyRow,
  type KvOverview,
  type KvRevision,
  type ObjectList,
  type ObjectRow,
} from "../../lib/bus/kv";
import { NotFoundError } from "../errors";
import { scanStream } from "../outcomes/stream-scan";
import { DETAIL_RENDER, LIST_RENDER } from "../streams/messages";
import type { PayloadMasker, PayloadRender } from "../streams/payload-masker";

export interface KvReadClients {
  js: JetStreamClient;
  jsm: JetStreamManager;
  masker: PayloadMasker;
}

/** What marks a bucket: busdeck's own streams (internal) and the lock buckets the Failover view decodes. */
export interface KvMarks {
  ownStreams: readonly string[];
  lockBuckets: readonly string[];
}

const KV_OPERATION_HEADER = "KV-Operation";
/** With headers_only, the server puts the payload's size here. */
const MSG_SIZE_HEADER = "Nats-Msg-Size";

/** Every KV bucket and object store on the server, from one (paged) stream listing. */
export async function readKvOverview(jsm: JetStreamManager, marks: KvMarks): Promise<KvOverview> {
  const infos: StreamInfo[] = [];
  for await (const si of jsm.streams.list()) infos.push(si);
  return kvOverviewFromStreams(infos, marks.ownStreams, marks.lockBuckets);
}

/** The bucket's live keys starting with `prefix`, sorted; at most MAX_KV_KEYS (capped says more matched). */
export async function readKvKeys(
  { js, jsm }: KvReadClients,
  bucket: string,
  prefix: string,
  marks: KvMarks,
  signal?: AbortSignal,
): Promise<KvKeyPage> {
  const keys: KvKeyRow[] = [];
  const scan = await scanStream(js, jsm, {
    stream: kvStreamName(bucket),
    filterSubject: kvKeyFilter(bucket, prefix),
    start: { lastPerSubject: true },
    headersOnly: true,
    signal,
    onMsg: (m) => {
      const key = keyOfSubject(bucket, m.subject);
      if (!key.startsWith(prefix) || operationOf(m) !== "PUT") return;
      if (keys.length === MAX_KV_KEYS) return false;
      keys.push({ key, revision: m.seq, time: m.timestamp, size: Number(m.headers?.get(MSG_SIZE_HEADER) || 0) });
    },
  });
  keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { bucket, prefix, keys, capped: !scan.complete, limit: MAX_KV_KEYS, locks: marks.lockBuckets.includes(bucket) };
}

type RawRevision = Omit<KvRevision, "value" | "redacted"> & { data: Uint8Array };

/**
 * A key's revisions, newest first, values masked and shown short; the revision `rev` (default: the newest)
 * masked and shown whole. A key without revisions, or a `rev` it does not have, is a NotFoundError.
 */
export async function readKvHistory(
  clients: KvReadClients,
  bucket: string,
  key: string,
  rev: number | undefined,
  marks: KvMarks,
  signal?: AbortSignal,
): Promise<{ history: KvKeyHistory; selectedBytes: Uint8Array | null }> {
  const raw: RawRevision[] = [];
  const scan = await scanStream(clients.js, clients.jsm, {
    stream: kvStreamName(bucket),
    filterSubject: kvKeySubject(bucket, key),
    start: { seq: 1 },
    signal,
    onMsg: (m) => {
      if (raw.length === MAX_KV_REVISIONS) return false;
      raw.push({ revision: m.seq, operation: operationOf(m), time: m.timestamp, size: m.data.length, data: m.data.slice() });
    },
  });
  if (raw.length === 0) throw new NotFoundError(`bucket "${bucket}" has no key "${key}"`);
  raw.reverse();
  const chosen = rev === undefined ? raw[0]! : raw.find((r) => r.revision === rev);
  if (!chosen) throw new NotFoundError(`key "${key}" of bucket "${bucket}" has no revision ${rev} among those kept`);
  const selected = await maskedRevision(clients.masker, chosen, DETAIL_RENDER);
  const revisions = await Promise.all(raw.map((r) => maskedRevision(clients.masker, r, LIST_RENDER)));
  const history: KvKeyHistory = {
    bucket,
    key,
    revisions: revisions.map((r) => r.revision),
    capped: !scan.complete,
    limit: MAX_KV_REVISIONS,
    selected: selected.revision,
    locks: marks.lockBuckets.includes(bucket),
  };
  return { history, selectedBytes: selected.bytes };
}

/** A revision with its value masked and rendered; a delete or purge has no value. The bytes are masked too. */
async function maskedRevision(
  masker: PayloadMasker,
  r: RawRevision,
  render: PayloadRender,
): Promise<{ revision: KvRevision; bytes: Uint8Array | null }> {
  const { data, ...meta } = r;
  if (r.operation !== "PUT") return { revision: { ...meta, value: null }, bytes: null };
  // mask() takes the buffer (a large one moves to a thread): each rendering gets its own copy.
  const masked = await masker.mask({ data: data.slice(), headers: undefined }, render);
  const revision: KvRevision = { ...meta, value: masked.payload };
  if (masked.redacted > 0) revision.redacted = masked.redacted;
  return { revision, bytes: masked.data };
}

/** The store's objects (not deleted), by name; at most MAX_OBJECTS. Metadata that does not parse is left out. */
export async function readObjects({ js, jsm }: KvReadClients, bucket: string, signal?: AbortSignal): Promise<ObjectList> {
  const objects: ObjectRow[] = [];
  const scan = await scanStream(js, jsm, {
    stream: `OBJ_${bucket}`,
    filterSubject: objectMetaFilter(bucket),
    start: { lastPerSubject: true },
    signal,
    onMsg: (m) => {
      const meta = parseObjectMeta(m.data);
      if (!meta || meta.deleted) return;
      if (objects.length === MAX_OBJECTS) return false;
      objects.push({ name: meta.name, size: meta.size, chunks: meta.chunks, modified: meta.mtime, description: meta.description ?? null });
    },
  });
  objects.sort((a, b) => a.name.localeCompare(b.name));
  return { bucket, objects, capped: !scan.complete, limit: MAX_OBJECTS };
}

const operationOf = (m: JsMsg) => kvOperation(m.headers?.get(KV_OPERATION_HEADER));
