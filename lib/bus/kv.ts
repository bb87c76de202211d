/**
 * KV buckets and object stores as the Bus area shows them: wire types, the names the API accepts, the walks'
 * caps, and the pure mapping from a bucket's backing stream to its row. A KV bucket is the stream `KV_<bucket>`
 * on subjects `$KV.<bucket>.<key>`; an object store is `OBJ_<bucket>` with its objects' metadata on `$O.<bucket>.M.>`.
 */
import { z } from "zod";
import type { MessageView } from "../streams/messages";
import type { RenderedPayload } from "../streams/payload";
import { firstValue, toSearchString, type SearchLike } from "../view/search";

/** Keys one listing returns at most ("first N keys" beyond). */
export const MAX_KV_KEYS = 2_000;
/** Revisions of one key returned at most (a bucket keeps at most 64 unless its stream was changed by hand). */
export const MAX_KV_REVISIONS = 64;
/** Objects of one store listed at most. */
export const MAX_OBJECTS = 1_000;

/** A bucket name as NATS accepts it (letters, digits, `_`, `-`). */
export const KvBucketNameSchema = z
  .string()
  .min(1, "a bucket name is required")
  .max(255)
  .regex(/^[-\w]+$/, "a bucket name (letters, digits, _ and -)");

const KEY_CHARS = /^[-/=.\w]+$/;
const dottedWell = (s: string) => !s.startsWith(".") && !s.includes("..");

/** A key as NATS accepts it: letters, digits and `-/_=.`, no empty dot-separated token. */
export const KvKeyNameSchema = z
  .string()
  .min(1, "a key is required")
  .max(1024)
  .regex(KEY_CHARS, "a KV key (letters, digits and -/_=.)")
  .refine((k) => dottedWell(k) && !k.endsWith("."), "a KV key has no empty token (no leading, trailing or double dot)");

/** A key prefix: the start of a key (it may end with a dot), never a wildcard. */
export const KvPrefixSchema = z
  .string()
  .max(1024)
  .regex(/^[-/=.\w]*$/, "a key prefix (letters, digits and -/_=.; no wildcards)")
  .refine(dottedWell, "a key prefix has no empty token (no leading or double dot)");

/** The path of /api/bus/kv/[bucket]/… and /api/bus/objects/[bucket]. */
export const KvBucketParamsSchema = z.object({ bucket: KvBucketNameSchema });
export const KvKeyParamsSchema = z.object({ bucket: KvBucketNameSchema, key: KvKeyNameSchema });
export const KvKeysQuerySchema = z.object({ prefix: KvPrefixSchema.default("") });
export const KvHistoryQuerySchema = z.object({
  rev: z.coerce.number().int().positive("rev: a revision number").optional(),
  download: z.string().optional(),
});

export const kvStreamName = (bucket: string) => `KV_${bucket}`;
export const kvKeySubject = (bucket: string, key: string) => `$KV.${bucket}.${key}`;
export const objectMetaFilter = (bucket: string) => `$O.${bucket}.M.>`;

/**
 * The subject filter the server can apply for a prefix: everything up to its last dot as whole tokens
 * (`orders.eu.x` → `$KV.b.orders.eu.>`); what follows is matched on the key's text.
 */
export function kvKeyFilter(bucket: string, prefix: string): string {
  const lastDot = prefix.lastIndexOf(".");
  return lastDot < 0 ? `$KV.${bucket}.>` : `$KV.${bucket}.${prefix.slice(0, lastDot + 1)}>`;
}

/** The key of a `$KV.<bucket>.<key>` subject. */
export const keyOfSubject = (bucket: string, subject: string): string => subject.slice(`$KV.${bucket}.`.length);

export type KvOperation = "PUT" | "DEL" | "PURGE";

/** The KV-Operation header's value as an operation; absent (or anything else) is a PUT. */
export const kvOperation = (header: string | null | undefined): KvOperation => (header === "DEL" || header === "PURGE" ? header : "PUT");

/** What a bucket's row needs of its backing stream's info (a subset of JetStream's StreamInfo). */
export interface BackingStreamInfo {
  config: {
    name: string;
    description?: string;
    max_msgs_per_subject?: number;
    /** Nanoseconds; 0 = no limit. */
    max_age?: number;
    num_replicas?: number;
    storage?: string;
    sealed?: boolean;
  };
  state: { messages: number; bytes: number };
}

interface BucketBase {
  bucket: string;
  bytes: number;
  /** 0 when entries never expire. */
  ttl_ms: number;
  replicas: number;
  storage: string;
  description: string | null;
  /** One of busdeck's own (lib/own-resources.ts). */
  internal: boolean;
}

export interface KvBucketRow extends BucketBase {
  /** Messages kept: every retained revision and delete marker. */
  values: number;
  /** Revisions kept per key. */
  history: number;
  /** A lock bucket: its keys are the singletons of the Failover view. */
  locks: boolean;
}

export interface ObjectStoreRow extends BucketBase {
  sealed: boolean;
}

export interface KvOverview {
  kv: KvBucketRow[];
  objects: ObjectStoreRow[];
}

const nsToMs = (ns: number | undefined) => Math.round((ns ?? 0) / 1e6);

function baseOf(si: BackingStreamInfo, bucket: string, ownStreams: readonly string[]): BucketBase {
  return {
    bucket,
    bytes: si.state.bytes,
    ttl_ms: nsToMs(si.config.max_age),
    replicas: si.config.num_replicas ?? 1,
    storage: si.config.storage ?? "file",
    description: si.config.description || null,
    internal: ownStreams.includes(si.config.name),
  };
}

/** The KV buckets and object stores among a server's streams, each sorted by name. */
export function kvOverviewFromStreams(
  streams: readonly BackingStreamInfo[],
  ownStreams: readonly string[],
  lockBuckets: readonly string[],
): KvOverview {
  const kv: KvBucketRow[] = [];
  const objects: ObjectStoreRow[] = [];
  for (const si of streams) {
    const name = si.config.name;
    if (name.startsWith("KV_")) {
      const bucket = name.slice(3);
      kv.push({
        ...baseOf(si, bucket, ownStreams),
        values: si.state.messages,
        history: Math.max(1, si.config.max_msgs_per_subject ?? 1),
        locks: lockBuckets.includes(bucket),
      });
    } else if (name.startsWith("OBJ_")) {
      objects.push({ ...baseOf(si, name.slice(4), ownStreams), sealed: si.config.sealed ?? false });
    }
  }
  const byName = (a: BucketBase, b: BucketBase) => a.bucket.localeCompare(b.bucket);
  return { kv: kv.sort(byName), objects: objects.sort(byName) };
}

export interface KvKeyRow {
  key: string;
  /** The latest revision (its stream sequence). */
  revision: number;
  /** When the latest revision was written (RFC 3339). */
  time: string;
  /** The latest value's size in bytes. */
  size: number;
}

export interface KvKeyPage {
  bucket: string;
  prefix: string;
  /** Sorted by key. */
  keys: KvKeyRow[];
  /** More keys matched than `limit`: these are the first `limit` the bucket delivered. */
  capped: boolean;
  limit: number;
  locks: boolean;
}

export interface KvRevision {
  revision: number;
  operation: KvOperation;
  time: string;
  size: number;
  /** The masked value rendered (short in the list, whole for the selected revision); null for a delete or purge. */
  value: RenderedPayload | null;
  /** Fields the server masked in this value; absent when none. */
  redacted?: number;
}

export interface KvKeyHistory {
  bucket: string;
  key: string;
  /** Newest first. */
  revisions: KvRevision[];
  /** More revisions than `limit`: the oldest `limit` are listed. */
  capped: boolean;
  limit: number;
  /** The revision asked for (?rev=), else the newest, rendered whole; null when the key has none. */
  selected: KvRevision | null;
  locks: boolean;
}

export interface ObjectRow {
  name: string;
  size: number;
  chunks: number;
  /** RFC 3339. */
  modified: string;
  description: string | null;
}

export interface ObjectList {
  bucket: string;
  objects: ObjectRow[];
  capped: boolean;
  limit: number;
}

/** An object's metadata as the store writes it on `$O.<bucket>.M.<name>` (only what the list shows). */
export const ObjectMetaSchema = z.object({
  name: z.string(),
  size: z.number().nonnegative().catch(0),
  chunks: z.number().nonnegative().catch(0),
  mtime: z.string().catch(""),
  deleted: z.boolean().optional(),
  description: z.string().optional(),
});

/** An object's metadata message parsed; null when it is not JSON or not an object's metadata. Never throws. */
export function parseObjectMeta(data: Uint8Array): z.infer<typeof ObjectMetaSchema> | null {
  try {
    const parsed = ObjectMetaSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** "first 2,000 keys", or null when the list is whole. */
export function cappedNote(what: string, capped: boolean, limit: number): string | null {
  return capped ? `first ${limit.toLocaleString("en-US")} ${what}` : null;
}

// URL state of the views.

/** /bus/kv/<bucket>?prefix=: the key filter; a bad prefix is dropped with the reason. */
export function parseKvKeysViewState(search: SearchLike): { prefix: string; error: string | null } {
  const raw = firstValue(search, "prefix") ?? "";
  const parsed = KvPrefixSchema.safeParse(raw);
  return parsed.success ? { prefix: parsed.data, error: null } : { prefix: "", error: `prefix: ${parsed.error.issues[0]?.message}` };
}

export const kvKeysViewStateToSearch = (s: { prefix: string }): string =>
  toSearchString(new URLSearchParams(s.prefix ? { prefix: s.prefix } : {}));

/** /bus/kv?objects=<store>: the object store whose objects are listed. */
export function parseKvOverviewState(search: SearchLike): { objects: string | null } {
  const parsed = KvBucketNameSchema.safeParse(firstValue(search, "objects"));
  return { objects: parsed.success ? parsed.data : null };
}

export const kvOverviewStateToSearch = (s: { objects: string | null }): string =>
  toSearchString(new URLSearchParams(s.objects ? { objects: s.objects } : {}));

/** /bus/kv/<bucket>/<key>?rev=: the revision shown whole; absent or not a revision number, the newest. */
export function parseKvKeyViewState(search: SearchLike): { rev: number | null } {
  const parsed = KvHistoryQuerySchema.shape.rev.safeParse(firstValue(search, "rev"));
  return { rev: parsed.success ? (parsed.data ?? null) : null };
}

export const kvKeyViewStateToSearch = (s: { rev: number | null }): string =>
  toSearchString(new URLSearchParams(s.rev !== null ? { rev: String(s.rev) } : {}));

// Live watch of a bucket.

/** Changes a watch keeps on screen, newest first; older ones are dropped (the keys list has the rest). */
export const KV_WATCH_KEEP = 200;

/** One change seen by a bucket's live watch: the key and its new revision, value masked and shown short. */
export interface KvChange extends KvRevision {
  key: string;
}

export type KvWatchEvent = { type: "change"; change: KvChange } | { type: "skipped"; count: number } | { type: "error"; message: string };

/**
 * A tailed message of the bucket's stream as a change of one of its keys; null when its key does not start with
 * `prefix` (the subject filter covers only the prefix's whole tokens).
 */
export function kvChangeOf(bucket: string, prefix: string, m: MessageView): KvChange | null {
  const key = keyOfSubject(bucket, m.subject);
  if (!key.startsWith(prefix)) return null;
  const operation = kvOperation(m.headers?.["KV-Operation"]?.[0]);
  const change: KvChange = { key, revision: m.seq, operation, time: m.time, size: m.size, value: operation === "PUT" ? m.payload : null };
  if (m.redacted) change.redacted = m.redacted;
  return change;
}

/** The newest change first, at most KV_WATCH_KEEP kept: the oldest is dropped. */
export const withChange = (changes: readonly KvChange[], c: KvChange): KvChange[] => [c, ...changes].slice(0, KV_WATCH_KEEP);
