/**
 * Silences in busdeck's own KV bucket (one key per silence), watched so every replica holds the same list: the
 * elected sampler checks it before alerting, every page shows it.
 */
import "server-only";
import type { NatsConnection } from "@nats-io/nats-core";
import { Kvm, type KV } from "@nats-io/kv";
import { expireSilence, SilenceSchema, type Silence } from "../../lib/alerts/silences";
import { describeError } from "../../lib/errors";
import { withReplicas, type ReplicaSetting } from "../replicas";

export interface SilenceStore {
  /** Opens the bucket and starts following it; resolves once the current silences are loaded. */
  start(): Promise<void>;
  list(): Silence[];
  put(silence: Silence): Promise<void>;
  /** Ends the silence now; null when there is none with this id. */
  expire(id: string, now: number): Promise<Silence | null>;
  stop(): void;
}

export interface SilenceStoreOptions {
  nc: Promise<NatsConnection>;
  bucket: string;
  replicas: ReplicaSetting;
  onChange: (silences: Silence[]) => void;
  log: (msg: string) => void;
}

export function createSilenceStore(opts: SilenceStoreOptions): SilenceStore {
  const silences = new Map<string, Silence>();
  let stopWatch: (() => void) | null = null;
  let kvPromise: Promise<KV> | null = null;
  const kv = () =>
    (kvPromise ??= opts.nc
      .then((nc) =>
        withReplicas(opts.replicas, (replicas) =>
          new Kvm(nc).create(opts.bucket, { history: 1, replicas, description: "busdeck alert silences" }),
        ),
      )
      .catch((err) => ((kvPromise = null), Promise.reject(err))));

  const set = (silence: Silence) => {
    silences.set(silence.id, silence);
    opts.onChange([...silences.values()]);
  };

  /** Follows the bucket: the watch first replays every key, then live changes; resolves once replayed. */
  const follow = async (store: KV) => {
    const iter = await store.watch({ key: ">" });
    stopWatch = () => iter.stop();
    let loaded = () => {};
    const ready = new Promise<void>((resolve) => (loaded = resolve));
    void (async () => {
      for await (const entry of iter) {
        if (entry.operation === "PUT") {
          const parsed = SilenceSchema.safeParse(entry.json());
          if (parsed.success) set(parsed.data);
          else opts.log(`alerts: skipping malformed silence ${entry.key}`);
        }
        if (entry.delta === 0) loaded();
      }
    })().catch((err) => opts.log(`alerts: silence watch ended: ${describeError(err)}`));
    if ((await store.status()).values === 0) loaded();
    await ready;
  };

  return {
    async start() {
      await follow(await kv());
    },
    list: () => [...silences.values()],
    async put(silence) {
      await (await kv()).put(silence.id, JSON.stringify(silence));
      set(silence);
    },
    async expire(id, now) {
      const store = await kv();
      const entry = await store.get(id);
      const parsed = entry?.operation === "PUT" ? SilenceSchema.safeParse(entry.json()) : null;
      if (!parsed?.success) return null;
      const ended = expireSilence(parsed.data, now);
      await store.put(id, JSON.stringify(ended));
      set(ended);
      return ended;
    },
    stop() {
      stopWatch?.();
    },
  };
}
