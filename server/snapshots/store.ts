/**
 * Frozen snapshots in a NATS Object Store. An object store rather than KV because one view of 10,000 consumers
 * is several MB of JSON and a KV value is capped at the server's max payload (1 MB by default); objects are
 * chunked. Each object is the gzipped document; its metadata carries the list-page summary, so listing reads
 * only the bucket's metadata subjects, never a document.
 */
import { withReplicas, type ReplicaSetting } from "../replicas";
import "server-only";
import { gunzipSync, gzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import type { NatsConnection } from "@nats-io/nats-core";
import { Objm, type ObjectStore } from "@nats-io/obj";
import {
  buildSnapshotDocument,
  parseSnapshotDocument,
  snapshotIdFromBytes,
  SNAPSHOT_ID_BYTES,
  sortSummaries,
  summaryFromObject,
  summaryMetadata,
  type FreezeRequest,
  type SnapshotDocument,
  type SnapshotSummary,
} from "../../lib/review/snapshots";
import { describeServer } from "../nats-connection";
import pkg from "../../package.json";

/** A decompressed document larger than this is refused rather than inflated into memory (gzip bombs). */
export const MAX_SNAPSHOT_JSON_BYTES = 64 * 1024 * 1024;

export interface StoredSnapshot {
  summary: SnapshotSummary;
  /** The stored bytes: the document's JSON, gzipped. */
  gzip: Uint8Array;
}

export interface SnapshotStore {
  create(request: FreezeRequest, user: string): Promise<SnapshotSummary>;
  /** The stored bytes as they are, for a route that passes gzip through; null when unknown. */
  getStored(id: string): Promise<StoredSnapshot | null>;
  read(id: string): Promise<SnapshotDocument | null>;
  summary(id: string): Promise<SnapshotSummary | null>;
  list(): Promise<SnapshotSummary[]>;
  /** false when there was nothing to delete. */
  delete(id: string): Promise<boolean>;
}

export interface SnapshotStoreOptions {
  nc: Promise<NatsConnection>;
  bucket: string;
  replicas?: ReplicaSetting;
  now?: () => Date;
  newId?: () => string;
}

export function createSnapshotStore(opts: SnapshotStoreOptions): SnapshotStore {
  const now = opts.now ?? (() => new Date());
  const newId = opts.newId ?? (() => snapshotIdFromBytes(randomBytes(SNAPSHOT_ID_BYTES)));
  // Created on first use: a dashboard that never freezes anything never creates the bucket.
  let bucket: Promise<ObjectStore> | null = null;
  const store = () =>
    (bucket ??= opts.nc
      .then((nc) =>
        withReplicas(opts.replicas ?? "auto", (replicas) =>
          new Objm(nc).create(opts.bucket, { replicas, description: "busdeck frozen snapshots (gzipped JSON documents)" }),
        ),
      )
      .catch((err) => {
        bucket = null;
        throw err;
      }));

  const summary = async (id: string) => {
    const info = await (await store()).info(id);
    return info && !info.deleted ? summaryFromObject(info.name, info.size, info.metadata) : null;
  };

  const getStored = async (id: string): Promise<StoredSnapshot | null> => {
    const [meta, data] = await Promise.all([summary(id), (await store()).getBlob(id)]);
    return meta && data ? { summary: meta, gzip: data } : null;
  };

  return {
    async create(request, user) {
      const nc = await opts.nc;
      const server = describeServer(nc);
      const doc = buildSnapshotDocument(request, {
        id: newId(),
        now: now(),
        user,
        serverVersion: pkg.version,
        nats: { cluster: server.cluster, server_name: server.server_name, server_version: server.version },
      });
      const json = Buffer.from(JSON.stringify(doc));
      const gzip = gzipSync(json);
      const info = await (
        await store()
      ).putBlob({ name: doc.id, description: doc.title, metadata: summaryMetadata(doc, json.length) }, gzip);
      return summaryFromObject(info.name, info.size, info.metadata)!;
    },
    getStored,
    async read(id) {
      const stored = await getStored(id);
      return stored ? parseSnapshotDocument(JSON.parse(gunzipDocument(stored.gzip))) : null;
    },
    summary,
    async list() {
      const infos = await (await store()).list();
      return sortSummaries(infos.flatMap((i) => (i.deleted ? [] : (summaryFromObject(i.name, i.size, i.metadata) ?? []))));
    },
    async delete(id) {
      const s = await store();
      const info = await s.info(id);
      if (!info || info.deleted) return false;
      await s.delete(id);
      return true;
    },
  };
}

export function gunzipDocument(gzip: Uint8Array): string {
  return gunzipSync(gzip, { maxOutputLength: MAX_SNAPSHOT_JSON_BYTES }).toString("utf8");
}

/** Request bodies may arrive gzipped (the browser compresses big views before upload). */
export function decodeRequestBody(bytes: Uint8Array, contentEncoding: string | null): string {
  if (contentEncoding?.toLowerCase() === "gzip") return gunzipDocument(bytes);
  if (bytes.length > MAX_SNAPSHOT_JSON_BYTES) throw new RangeError(`body larger than ${MAX_SNAPSHOT_JSON_BYTES} bytes`);
  return Buffer.from(bytes).toString("utf8");
}
