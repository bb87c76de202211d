/**
 * Annotations across dashboard replicas (docs/architecture.md#annotations): a change is stored in KV (the
 * durable copy every replica loads at start), applied to this replica's hub at once, then broadcast on
 * `<prefix>.annotations` with this replica's id. Every other replica applies the broadcast to its own hub and
 * so reaches its own browsers; the origin skips its echo because it already applied the change.
 * Broadcasts are core NATS, so a replica cut off from NATS misses the ones sent meanwhile: after every
 * reconnect it reloads KV, the durable copy, and so catches up.
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
} from "../../lib/review/annotations";
import { ID_BYTES, idFromBytes } from "../../lib/wire/ids";
import { describeError } from "../../lib/errors";
import type { Hub } from "../hub/hub";
import { withReplicas, type ReplicaSetting } from "../replicas";

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
  replicas: ReplicaSetting;
  /** `<prefix>.annotations`. */
  subject: string;
  /** Unique per running dashboard (two runtimes in one process must differ too). */
  replicaId: string;
  now?: () => Date;
  newId?: () => string;
  log?: (msg: string) => void;
}

const encoder = new TextEncoder();
const RELOAD_RETRY_MS = 1_000;

export function createAnnotationService(opts: AnnotationServiceOptions): AnnotationService {
  const now = opts.now ?? (() => new Date());
  const newId = opts.newId ?? (() => idFromBytes(randomBytes(ID_BYTES)));
  let list: Annotation[] = [];
  let sub: Subscription | null = null;
  // Changes applied while a load runs: the load may have read KV before them, so they are replayed on top of it.
  let changedDuringLoad: AnnotationChange[] | null = null;
  let started = false;
  let stopped = false;
  const stats = { applied_remote: 0, echoes_skipped: 0, invalid: 0 };

  let kvPromise: Promise<KV> | null = null;
  const kv = () =>
    (kvPromise ??= opts.nc
      .then((nc) =>
        withReplicas(opts.replicas, (replicas) =>
          new Kvm(nc).create(opts.bucket, { history: 1, replicas, description: "busdeck annotations (notes on the charts' timelines)" }),
        ),
      )
      .catch((err) => {
        kvPromise = null;
        throw err;
      }));

  const apply = (change: AnnotationChange) => {
    changedDuringLoad?.push(change);
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

  /** Replaces the list with what KV holds, keeping the changes that arrived while reading it. */
  const reload = async () => {
    changedDuringLoad = [];
    try {
      let next: Annotation[] = [];
      for (const note of await load()) next = applyAnnotationChange(next, { op: "put", annotation: note });
      for (const change of changedDuringLoad) next = applyAnnotationChange(next, change);
      list = next;
    } finally {
      changedDuringLoad = null;
    }
    opts.hub.publishState("annotations", list);
  };

  // JetStream may answer "unavailable" for a while after its server restarts, so a failed reload retries.
  const reloadUntilDone = async (nc: NatsConnection) => {
    for (let attempt = 1; !stopped && !nc.isClosed(); attempt++) {
      try {
        return await reload();
      } catch (err) {
        opts.log?.(`annotations: reload after reconnect failed (attempt ${attempt}): ${describeError(err)}`);
        await new Promise((r) => setTimeout(r, RELOAD_RETRY_MS).unref?.());
      }
    }
  };

  const reloadAfterReconnects = async (nc: NatsConnection) => {
    for await (const status of nc.status()) {
      if (stopped) return;
      if (status.type === "reconnect") await reloadUntilDone(nc);
    }
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
      await reload();
      started = true;
      void reloadAfterReconnects(nc);
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
      stopped = true;
      sub?.unsubscribe();
      sub = null;
    },
  };
}
