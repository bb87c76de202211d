/**
 * Per-consumer alert thresholds from consumer metadata, under the `io.nats.monitor.*` keys natscli's
 * `nats server check consumer` reads (nats-server 2.10+ has consumer metadata; 2.9 reports none, and then
 * nothing here applies). Teams configure busdeck where they already configure the CLI. A value that does not
 * parse is reported by key, never guessed at; a threshold ≤ 0 turns its check off, as in the CLI.
 */

export const MONITOR_KEYS = {
  enabled: "io.nats.monitor.enabled",
  outstandingAck: "io.nats.monitor.outstanding-ack-critical",
  waiting: "io.nats.monitor.waiting-critical",
  unprocessed: "io.nats.monitor.unprocessed-critical",
  redelivery: "io.nats.monitor.redelivery-critical",
  lastDelivery: "io.nats.monitor.last-delivery-critical",
  lastAck: "io.nats.monitor.last-ack-critical",
} as const;

type CountCheck = "outstandingAck" | "waiting" | "unprocessed" | "redelivery";
type AgeCheck = "lastDelivery" | "lastAck";

export interface MonitorThresholds {
  /** `io.nats.monitor.enabled`, when set. */
  enabled: boolean | null;
  counts: Partial<Record<CountCheck, number>>;
  agesMs: Partial<Record<AgeCheck, number>>;
}

export interface InvalidMonitorKey {
  key: string;
  value: string;
  reason: string;
}

const MONITOR_PREFIX = "io.nats.monitor.";
/** At most this many monitor keys are kept per consumer: metadata is the consumer owner's free text. */
const MAX_MONITOR_KEYS = 32;

/** The `io.nats.monitor.*` entries of a consumer's metadata (2.10+), or null when it has none. */
export function monitorMetadataOf(metadata: Readonly<Record<string, unknown>> | undefined | null): Record<string, string> | null {
  if (!metadata) return null;
  const out: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of Object.entries(metadata)) {
    if (!key.startsWith(MONITOR_PREFIX) || typeof value !== "string") continue;
    out[key] = value;
    if (++count >= MAX_MONITOR_KEYS) break;
  }
  return count > 0 ? out : null;
}

export function sameMonitorMetadata(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | null): boolean {
  if (!a || !b) return !a && !b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Longer values are refused before they are read: parsing stays bounded whatever the metadata holds. */
const MAX_VALUE_LENGTH = 64;
const COUNT_KEYS: CountCheck[] = ["outstandingAck", "waiting", "unprocessed", "redelivery"];
const AGE_KEYS: AgeCheck[] = ["lastDelivery", "lastAck"];

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** A whole number as Go's strconv.Atoi reads it; null when it is not one. */
export function parseCount(value: string): number | null {
  if (!/^[+-]?\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/** A Go duration (`90s`, `1h30m`, `1.5h`) plus days and weeks (`2d`, `1w`), in ms; null when it is not one. */
export function parseDurationMs(value: string): number | null {
  const parts = value.match(/\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w)/g);
  if (!parts || parts.join("") !== value) return null;
  let total = 0;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(.+)$/.exec(part)!;
    total += Number(amount) * UNIT_MS[unit!]!;
  }
  return Number.isFinite(total) ? total : null;
}

const parseBool = (value: string): boolean | null =>
  ["1", "t", "T", "true", "TRUE", "True"].includes(value)
    ? true
    : ["0", "f", "F", "false", "FALSE", "False"].includes(value)
      ? false
      : null;

/** The thresholds a consumer's metadata sets, and each `io.nats.monitor.*` key whose value does not parse. */
export function parseMonitorMetadata(metadata: Readonly<Record<string, string>> | undefined | null): {
  thresholds: MonitorThresholds | null;
  invalid: InvalidMonitorKey[];
} {
  const thresholds: MonitorThresholds = { enabled: null, counts: {}, agesMs: {} };
  const invalid: InvalidMonitorKey[] = [];
  let found = false;
  const read = <T>(key: string, parse: (v: string) => T | null, expected: string, apply: (v: T) => void) => {
    const raw = metadata?.[key];
    if (raw === undefined) return;
    found = true;
    const value = raw.length > MAX_VALUE_LENGTH ? null : parse(raw.trim());
    if (value === null) invalid.push({ key, value: raw.slice(0, MAX_VALUE_LENGTH), reason: `expected ${expected}` });
    else apply(value);
  };
  read(MONITOR_KEYS.enabled, parseBool, "true or false", (v) => (thresholds.enabled = v));
  for (const check of COUNT_KEYS)
    read(MONITOR_KEYS[check], parseCount, "a whole number", (v) => {
      if (v > 0) thresholds.counts[check] = v;
    });
  for (const check of AGE_KEYS)
    read(MONITOR_KEYS[check], parseDurationMs, "a duration like 90s, 5m or 1h", (v) => {
      if (v > 0) thresholds.agesMs[check] = v;
    });
  return { thresholds: found ? thresholds : null, invalid };
}

/** What the checks read from one consumer reading. */
export interface MonitoredConsumerState {
  num_ack_pending: number;
  num_waiting: number;
  num_pending: number;
  num_redelivered: number;
  /** When a message was last delivered / the ack floor last moved (ms), null when never. */
  last_delivery_ms: number | null;
  last_ack_ms: number | null;
}

const COUNT_FIELD: Record<CountCheck, { field: keyof MonitoredConsumerState; label: string }> = {
  outstandingAck: { field: "num_ack_pending", label: "ack pending" },
  waiting: { field: "num_waiting", label: "waiting pulls" },
  unprocessed: { field: "num_pending", label: "unprocessed" },
  redelivery: { field: "num_redelivered", label: "redelivered" },
};
const AGE_FIELD: Record<AgeCheck, { field: "last_delivery_ms" | "last_ack_ms"; label: string }> = {
  lastDelivery: { field: "last_delivery_ms", label: "delivery" },
  lastAck: { field: "last_ack_ms", label: "ack" },
};

/** The thresholds a reading breaches, as evidence lines ("ack pending 120 ≥ 100 (io.nats.monitor.…)"). */
export function breachedThresholds(t: MonitorThresholds, state: MonitoredConsumerState, now: number): string[] {
  if (t.enabled === false) return [];
  const out: string[] = [];
  for (const check of COUNT_KEYS) {
    const limit = t.counts[check];
    const value = state[COUNT_FIELD[check].field] as number;
    if (limit !== undefined && value >= limit) out.push(`${COUNT_FIELD[check].label} ${value} ≥ ${limit} (${MONITOR_KEYS[check]})`);
  }
  for (const check of AGE_KEYS) {
    const limit = t.agesMs[check];
    if (limit === undefined) continue;
    const at = state[AGE_FIELD[check].field];
    if (at === null) out.push(`no ${AGE_FIELD[check].label} yet (${MONITOR_KEYS[check]})`);
    else if (now - at >= limit) out.push(`last ${AGE_FIELD[check].label} ${Math.round((now - at) / 1000)} s ago (${MONITOR_KEYS[check]})`);
  }
  return out;
}
