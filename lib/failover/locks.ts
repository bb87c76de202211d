/**
 * Singleton lock contract (docs/contracts.md, "Singleton locks"): a NATS KV bucket (default `locks`), key = singleton
 * kind, value = holder id as plain text or JSON `{holder_id, acquired_at?, ttl_s?, renew_interval_s?}`.
 * Acquire = create, renew = update with the last revision, release = delete with the last revision.
 */
import { z } from "zod";

export const DEFAULT_LOCK_BUCKETS = ["locks"];

export const LockValueSchema = z.object({
  holder_id: z.string().min(1),
  acquired_at: z.string().optional(),
  ttl_s: z.number().positive().optional(),
  renew_interval_s: z.number().positive().optional(),
});
export type LockValue = z.infer<typeof LockValueSchema>;

export type ParsedLockValue = { valid: true; value: LockValue } | { valid: false; raw: string; error: string };

const PLAIN_HOLDER = /^[\w.:@/-]{1,256}$/;

/** Accepts both documented forms; anything else comes back raw with the reason. Never throws. */
export function parseLockValue(data: Uint8Array): ParsedLockValue {
  const raw = new TextDecoder().decode(data).trim();
  if (raw.startsWith("{")) {
    try {
      const parsed = LockValueSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return { valid: true, value: parsed.data };
      return { valid: false, raw, error: parsed.error.issues[0]?.message ?? "invalid lock value" };
    } catch (err) {
      return { valid: false, raw, error: `not JSON: ${(err as Error).message}` };
    }
  }
  if (PLAIN_HOLDER.test(raw)) return { valid: true, value: { holder_id: raw } };
  return { valid: false, raw, error: "neither a plain holder id nor a JSON lock value" };
}

/** Current state of one lock key as the watcher last saw it. */
export interface LockState {
  bucket: string;
  key: string;
  holder: string | null;
  value: ParsedLockValue | null;
  revision: number;
  updated_at: string;
}

/** One raw KV change, before classification into renew / failover / handover / release / expiry. */
export interface LockEvent {
  bucket: string;
  key: string;
  op: "put" | "del" | "purge";
  holder: string | null;
  revision: number;
  at: string;
  /** Lease figures when the value carries them (JSON form); absent for plain-text holders. */
  ttl_s?: number | null;
  renew_interval_s?: number | null;
  /** Set when the value could not be read: the raw text and why, shown with a warning. */
  raw?: string;
  warning?: string;
}

/** Builds the raw event for one KV entry; pure so the watcher, tests and bench share it. */
export function lockEventFrom(
  entry: { bucket: string; key: string; op: LockEvent["op"]; revision: number; at: string },
  value: ParsedLockValue | null,
): LockEvent {
  const event: LockEvent = { ...entry, holder: value?.valid ? value.value.holder_id : null };
  if (value?.valid) {
    event.ttl_s = value.value.ttl_s ?? null;
    event.renew_interval_s = value.value.renew_interval_s ?? null;
  } else if (value) {
    event.raw = value.raw;
    event.warning = value.error;
  }
  return event;
}

export interface LocksSnapshot {
  status: "initializing" | "ok" | "degraded";
  buckets: string[];
  locks: LockState[];
  errors: { bucket: string | null; message: string }[];
}

export const emptyLocksSnapshot = (buckets: string[]): LocksSnapshot => ({
  status: "initializing",
  buckets,
  locks: [],
  errors: [],
});
