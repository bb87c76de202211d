/**
 * Annotations across dashboard replicas (the cross-pod fan-out of seed 004): a change is stored in KV (the
 * durable copy every replica loads at start), applied to this replica's hub at once, then broadcast on
 * `<prefix>.annotations` with this replica's id. Every other replica applies the broadcast to its own hub and
 * so reaches its own browsers; the origin skips its echo because it already applied the change.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { Kvm, type KV } from "@nats-io/kv";
import {
  AnnotationBroadcastSchema,
  AnnotationSchema,
  applyAnnotationChange,
  buildAnnotation,
  isOwnEcho,
  type Annotation,
  type AnnotationBroadcast,
  type AnnotationChange,
  type NewAnnotation,
} from "../../lib/annotations";
import { ID_BYTES, idFromBytes } from "../../lib/ids";
import type { Hub } from "../hub";

export interface AnnotationService {
  /** Loads what KV holds and starts listening for other replicas' changes. */
  start(): Promise<void>;
  add(input: NewAnnotation, author: string): Promise<Annotation>;
  /** false when there was no such note. */
  remove(id: string): Promise<boolean>;
  list(): Annotation[];
  /** True once the start-up load finished and broadcasts are being received. */
  ready(): boolean;
  /** Broadcasts applied from other replicas, and own echoes skipped. */
  stats: { applied_remote: number; echoes_skipped: number; invalid: number };
  stop(): Promise<void>;
}

export interface AnnotationServiceOptions {
  nc: Promise<NatsConnection>;
  hub: Hub;
  bucket: string;
  /** `<prefix>.annotations`. */
  subject: string;
  /** Unique per running dashboard (two runtimes in one process must differ too). */
  replicaId: string;
  now?: () => Date;
  newId?: () => string;
  log?: (msg: string) => void;
}

const encoder = new TextEncoder();

export function createAnnotationService(opts: AnnotationServiceOptions): AnnotationService {
  const now = opts.now ?? (() => new Date());
  const newId = opts.newId ?? (() => idFromBytes(randomBytes(ID_BYTES)));
  let list: Annotation[] = [];
  let sub: Subscription | null = null;
  // Deletes seen while the start-up load runs: the load may have read a value before it was deleted.
  const deletedDuringLoad = new Set<string>();
  let loading = false;
  let started = false;
  const stats = { applied_remote: 0, echoes_skipped: 0, invalid: 0 };

  let kvPromise: Promise<KV> | null = null;
  const kv = () =>
    (kvPromise ??= opts.nc
      .then((nc) => new Kvm(nc).create(opts.bucket, { history: 1, description: "busdeck annotations (notes on the charts' timelines)" }))
      .catch((err) => {
        kvPromise = null;
        throw err;
      }));

  const apply = (change: AnnotationChange) => {
    if (loading && change.op === "delete") deletedDuringLoad.add(change.id);
    list = applyAnnotationChange(list, change);
    opts.hub.publishState("annotations", list);
  };

  const broadcast = async (change: AnnotationChange) => {
    const message: AnnotationBroadcast = { origin: opts.replicaId, change };
    (await opts.nc).publish(opts.subject, encoder.encode(JSON.stringify(message)));
  };

  const onBroadcast = (data: Uint8Array) => {
    let parsed;
    try {
      parsed = AnnotationBroadcastSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      stats.invalid++;
      return;
    }
    if (isOwnEcho(parsed.data, opts.replicaId)) {
      stats.echoes_skipped++;
      return;
    }
    stats.applied_remote++;
    apply(parsed.data.change);
  };

  const load = async () => {
    const store = await kv();
    const loaded: Annotation[] = [];
    for await (const key of await store.keys()) {
      const entry = await store.get(key);
      if (!entry || entry.operation !== "PUT") continue;
      const note = AnnotationSchema.safeParse(entry.json());
      if (note.success) loaded.push(note.data);
      else opts.log?.(`annotations: skipping malformed KV entry ${key}`);
    }
    return loaded;
  };

  return {
    stats,
    async start() {
      opts.hub.publishState("annotations", list);
      const nc = await opts.nc;
      // Subscribe before loading, so a change made during the load is not missed.
      sub = nc.subscribe(opts.subject, {
        callback: (err, msg) => {
          if (!err) onBroadcast(msg.data);
        },
      });
      loading = true;
      try {
        for (const note of await load()) if (!deletedDuringLoad.has(note.id)) list = applyAnnotationChange(list, { op: "put", annotation: note });
      } finally {
        loading = false;
        deletedDuringLoad.clear();
      }
      opts.hub.publishState("annotations", list);
      started = true;
    },
    async add(input, author) {
      const note = buildAnnotation(input, { id: newId(), author, now: now() });
      await (await kv()).put(note.id, JSON.stringify(note));
      const change: AnnotationChange = { op: "put", annotation: note };
      apply(change);
      await broadcast(change);
      return note;
    },
    async remove(id) {
      const store = await kv();
      const entry = await store.get(id);
      if (!entry || entry.operation !== "PUT") return false;
      await store.delete(id);
      const change: AnnotationChange = { op: "delete", id };
      apply(change);
      await broadcast(change);
      return true;
    },
    list: () => list,
    ready: () => started,
    async stop() {
      sub?.unsubscribe();
      sub = null;
    },
  };
}
