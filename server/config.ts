/**
 * All configuration comes from environment variables, parsed once with a schema.
 * A bad value stops start-up with a message naming the variable.
 */
import { hostname } from "node:os";
import { z } from "zod";
import type { ReplicaSetting } from "./replicas";
import type { AuthConfig } from "../lib/security/auth";
import type { HistoryConfig } from "./history/history-store";
import { buildRedactionRules, type RedactionRules } from "../lib/security/redaction";
import { ownConnectionName } from "../lib/own-resources";
import { detectBindHost, loadAuth } from "./auth/load-auth";
import type { ScanLimits } from "./scan-guard";
import { parseAddressOrCidr } from "./client-key";
import { ConfigError } from "./errors";
import { parseSubject } from "../lib/bus/subjects";
import { DEFAULT_TAP_MAX_RATE } from "../lib/bus/subject-tap";

const boolFlag = z
  .enum(["0", "1", "true", "false", "yes", "no", "on", "off"], { message: "expected 0/1/true/false" })
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const positiveInt = z.coerce.number().int().positive();
const httpUrl = z
  .string()
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), "an http:// or https:// URL")
  .transform((v) => v.replace(/\/+$/, ""));
const csv = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);

const EnvSchema = z.object({
  NATS_URL: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined || v.split(",").every((u) => /^(nats|tls|ws|wss):\/\/[^\s]+$/.test(u.trim())),
      "every comma-separated URL must start with nats://, tls://, ws:// or wss://",
    ),
  NATS_CREDS: z.string().optional(),
  NATS_TOKEN: z.string().optional(),
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  NATS_CA: z.string().optional(),
  // A system-account user for the bus servers view (server/bus/): a second connection, for server requests only.
  NATS_SYSTEM_CREDS: z.string().optional(),
  NATS_SYSTEM_USER: z.string().optional(),
  NATS_SYSTEM_PASSWORD: z.string().optional(),
  // Without system credentials: the servers' HTTP monitoring endpoints, one per server.
  BUSDECK_MONITOR_URLS: csv
    .pipe(z.array(z.string().regex(/^https?:\/\/[^\s/]+\/?$/, "each an http:// or https:// origin like http://nats-1:8222")))
    .default([]),
  BUSDECK_INBOX_PREFIX: z
    .string()
    .regex(/^[\w-]+(\.[\w-]+)*$/, "a NATS subject prefix like _INBOX_busdeck")
    .default("_INBOX_busdeck"),
  // The subject tap (server/bus/subject-tap.ts): subjects to subscribe to, or "off"; unset: `>` on the embedded default only.
  BUSDECK_SUBJECT_TAP: csv
    .superRefine((subjects, ctx) => {
      if (subjects.length === 1 && subjects[0] === "off") return;
      for (const text of subjects) {
        const parsed = parseSubject(text);
        if (!parsed.ok) ctx.addIssue({ code: "custom", message: `"${text}": ${parsed.problem}` });
      }
    })
    .optional(),
  BUSDECK_SUBJECT_TAP_MAX_RATE: positiveInt.max(10_000_000).default(DEFAULT_TAP_MAX_RATE),
  BUSDECK_DEMO: boolFlag.optional(),
  BUSDECK_DEMO_SEED: z.coerce.number().int().optional(),
  BUSDECK_DEMO_FAST: boolFlag.optional(),
  BUSDECK_CLUSTER: z.enum(["1", "3"], { message: "must be 1 or 3" }).optional(),
  BUSDECK_DEMO_RATE: z.coerce.number().positive().max(1000).default(1),
  BUSDECK_SAMPLE_INTERVAL_MS: positiveInt.min(100).max(60_000).default(1_000),
  BUSDECK_SAMPLE_CONCURRENCY: positiveInt.max(64).default(8),
  BUSDECK_SSE_MAX_CLIENTS: positiveInt.default(5_000),
  BUSDECK_SSE_MAX_PER_ADDRESS: positiveInt.default(200),
  BUSDECK_SCAN_MAX_CONCURRENT: positiveInt.default(8),
  BUSDECK_SCAN_MAX_PER_ADDRESS: positiveInt.default(4),
  BUSDECK_SCAN_RATE_PER_MIN: positiveInt.default(120),
  // Reverse proxies whose X-Forwarded-For hops are believed (server/client-key.ts); none by default.
  BUSDECK_TRUSTED_PROXIES: csv
    .superRefine((list, ctx) => {
      const bad = list.filter((entry) => !parseAddressOrCidr(entry));
      if (bad.length > 0)
        ctx.addIssue({ code: "custom", message: `not an address or CIDR (like 10.0.0.0/8 or 192.0.2.1): ${bad.join(", ")}` });
    })
    .default([]),
  BUSDECK_LOCK_BUCKETS: csv.default(["locks"]),
  BUSDECK_OUTCOME_PREFIX: z
    .string()
    .regex(/^[\w-]+(\.[\w-]+)*$/, "a NATS subject prefix like reflex.outcome")
    .default("reflex.outcome"),
  BUSDECK_OUTCOME_ROLLUPS: boolFlag.optional(),
  BUSDECK_OUTCOME_STREAM: z
    .string()
    .regex(/^[^\s.*>]+$/, "a JetStream stream name")
    .default("REFLEX_OUTCOMES"),
  // The elected sampler (docs/architecture.md): its KV lock, lease and the subject prefix samples fan out on.
  BUSDECK_FLEET_BUCKET: z
    .string()
    .regex(/^[\w-]+$/, "a KV bucket name (letters, digits, _ and -)")
    .default("busdeck_fleet"),
  BUSDECK_FLEET_KEY: z
    .string()
    .regex(/^[\w-]+$/, "a KV key (letters, digits, _ and -)")
    .default("busdeck-sampler"),
  BUSDECK_FLEET_LEASE_MS: positiveInt.min(300).max(300_000).default(10_000),
  BUSDECK_FLEET_PREFIX: z
    .string()
    .regex(/^[\w-]+(\.[\w-]+)*$/, "a NATS subject prefix like busdeck")
    .default("busdeck"),
  // Replicas of busdeck's own streams and buckets: "auto" takes 3 where the cluster can place them, else 1.
  BUSDECK_STORAGE_REPLICAS: z
    .union([z.literal("auto"), z.coerce.number().int().min(1).max(5)], { message: 'expected "auto" or a replica count from 1 to 5' })
    .default("auto"),
  // Persisted sample history (docs/history.md), written by the elected sampler into a stream of busdeck's own.
  BUSDECK_HISTORY: boolFlag.optional(),
  BUSDECK_HISTORY_STREAM: z
    .string()
    .regex(/^[\w-]+$/, "a JetStream stream name")
    .default("BUSDECK_HISTORY"),
  BUSDECK_HISTORY_STEP_MS: positiveInt.min(1_000).max(3_600_000).default(10_000),
  BUSDECK_HISTORY_MAX_AGE_H: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(24),
  BUSDECK_HISTORY_MAX_BYTES: positiveInt.min(1024 * 1024).default(1024 ** 3),
  BUSDECK_FLEET_ID: z
    .string()
    .regex(/^[\w.:@/-]{1,128}$/, "a holder id (letters, digits and . : @ / _ -)")
    .optional(),
  BUSDECK_ANNOTATION_BUCKET: z
    .string()
    .regex(/^[-\w]+$/, "a KV bucket name (letters, digits, - and _)")
    .default("busdeck_annotations"),
  BUSDECK_SNAPSHOT_BUCKET: z
    .string()
    .regex(/^[-\w]+$/, "an object store bucket name (letters, digits, - and _)")
    .default("busdeck_snapshots"),
  BUSDECK_REDACT_FIELDS: csv.default([]),
  BUSDECK_REDACT_HEADERS: csv.default([]),
  BUSDECK_REDACT_DEFAULTS: boolFlag.optional(),
  // A dashboard that cannot change the bus: every write is a 403 and the write controls are hidden.
  BUSDECK_READ_ONLY: boolFlag.optional(),
  BUSDECK_AUDIT_STREAM: z
    .string()
    .regex(/^[\w-]+$/, "a JetStream stream name")
    .default("BUSDECK_AUDIT"),
  // Where findings are alerted (server/alerts/), and the address links in alerts point back to.
  BUSDECK_ALERTMANAGER_URL: httpUrl.optional(),
  BUSDECK_ALERT_WEBHOOK_URL: httpUrl.optional(),
  BUSDECK_SLACK_WEBHOOK_URL: httpUrl.optional(),
  BUSDECK_PUBLIC_URL: httpUrl.optional(),
  BUSDECK_SILENCE_BUCKET: z
    .string()
    .regex(/^[-\w]+$/, "a KV bucket name (letters, digits, - and _)")
    .default("busdeck_silences"),
});

export interface BusdeckConfig {
  nats: {
    /** Empty = embedded mode: start a local nats-server. */
    servers: string[];
    creds?: string;
    token?: string;
    user?: string;
    password?: string;
    caFile?: string;
    /** Connection name the server reports (/connz): names this replica. */
    name?: string;
    /**
     * Replies and consumer deliveries come here, so busdeck needs no `_INBOX.>` (everyone's replies): the
     * configured prefix plus this replica's token, so a request's reply subject also tells which replica sent it.
     */
    inboxPrefix?: string;
  };
  embedded: boolean;
  /** The bus servers view's sources: system credentials (null: none; the embedded default fills them), monitoring URLs. */
  bus: { system: SystemCredentials | null; monitorUrls: string[] };
  demo: { enabled: boolean; seed?: number; rate: number; fast: boolean };
  /** The subject tap: subjects subscribed (none: off, `offReason` says why) and its budget in msgs/s. */
  subjectTap: { subjects: string[]; maxRate: number; offReason: string };
  /** Nodes of the embedded default: 3 starts a local JetStream cluster. */
  embeddedNodes: 1 | 3;
  sampler: { intervalMs: number; concurrency: number };
  sse: { maxClients: number; maxPerAddress: number };
  /** Payload searches and outcome range queries: each walks a stream with its own consumer. */
  scans: ScanLimits;
  /** Addresses/CIDRs of proxies whose X-Forwarded-For entries are believed for per-address limits. */
  trustedProxies: string[];
  lockBuckets: string[];
  /** `rollups`: keep per-minute aggregates in busdeck's own stream so the hour's summary loads fast. */
  outcomes: { prefix: string; stream: string; rollups: boolean };
  /** The sampler election (lock bucket/key/lease, replicas of the bucket) and the sample fan-out prefix. */
  fleet: { bucket: string; key: string; leaseMs: number; prefix: string; holderId: string };
  /** Replicas of every stream and bucket busdeck creates for itself (server/replicas.ts). */
  storageReplicas: ReplicaSetting;
  /** Persisted history: stream, step between points, retention by age and bytes. */
  history: HistoryConfig;
  /** Object store bucket holding frozen snapshots. */
  snapshots: { bucket: string };
  /** Payload fields and header names masked before anything leaves the server (lib/security/redaction.ts). */
  redaction: RedactionRules;
  /** KV bucket holding annotations. */
  annotations: { bucket: string };
  /** Who may see what (lib/security/auth.ts); `host` is the address the HTTP server binds. */
  auth: AuthConfig;
  host: string;
  /** BUSDECK_READ_ONLY: every write refused (403) whatever the role, write controls hidden. */
  readOnly: boolean;
  /** The stream every operator action is appended to, under `<fleet prefix>.audit`. */
  audit: { stream: string; subject: string };
  /**
   * Alert targets (each optional), the public URL alerts link back to, the KV bucket of silences, and the subject
   * the elected sampler broadcasts delivery results on (`<fleet prefix>.alerts.deliveries`).
   */
  alerts: {
    alertmanagerUrl: string | null;
    webhookUrl: string | null;
    slackUrl: string | null;
    publicUrl: string | null;
    silenceBucket: string;
    subject: string;
  };
}

export interface SystemCredentials {
  creds?: string;
  user?: string;
  password?: string;
}

/** BUSDECK_READ_ONLY alone, for the layout that decides which controls to show before the runtime starts. */
export function readOnlyFrom(env: Record<string, string | undefined>): boolean {
  const raw = env.BUSDECK_READ_ONLY;
  return raw ? boolFlag.safeParse(raw).data === true : false;
}

/** The inbox prefix of one replica: the configured prefix, then its holder id as a single subject token. */
export const replicaInbox = (holderId: string, prefix = "_INBOX_busdeck") => `${prefix}.${holderId.replace(/[^\w-]/g, "_")}`;

/** The tap's subjects: as configured, or `>` on the embedded default (nobody else's bus) and off on a configured one. */
function subjectTapOf(configured: string[] | undefined, embedded: boolean, maxRate: number): BusdeckConfig["subjectTap"] {
  if (configured?.length === 1 && configured[0] === "off") return { subjects: [], maxRate, offReason: "BUSDECK_SUBJECT_TAP=off" };
  if (configured?.length) return { subjects: [...new Set(configured)], maxRate, offReason: "" };
  return embedded
    ? { subjects: [">"], maxRate, offReason: "" }
    : {
        subjects: [],
        maxRate,
        offReason: "off on a configured bus: set BUSDECK_SUBJECT_TAP to the subjects to watch (e.g. orders.>,payments.>)",
      };
}

/** Moved to server/errors.ts; re-exported for the modules that import it from here. */
export { ConfigError };

export function parseConfig(env: Record<string, string | undefined>, argv: string[] = process.argv): BusdeckConfig {
  // An empty variable means unset (as in shells and compose files), not an invalid value.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid busdeck configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if ((e.NATS_USER === undefined) !== (e.NATS_PASSWORD === undefined)) {
    throw new ConfigError("invalid busdeck configuration:\n  NATS_USER and NATS_PASSWORD must be set together");
  }
  if ((e.NATS_SYSTEM_USER === undefined) !== (e.NATS_SYSTEM_PASSWORD === undefined)) {
    throw new ConfigError("invalid busdeck configuration:\n  NATS_SYSTEM_USER and NATS_SYSTEM_PASSWORD must be set together");
  }
  // Auth is checked against the address actually bound where it can be seen (argv / standalone HOSTNAME).
  const host = detectBindHost(argv, env) || "127.0.0.1";
  let auth: AuthConfig;
  try {
    auth = loadAuth(present, argv).config;
  } catch (err) {
    throw new ConfigError(`invalid busdeck configuration:\n  ${(err as Error).message}`);
  }
  const servers = e.NATS_URL
    ? e.NATS_URL.split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const embedded = servers.length === 0;
  // The pod name in Kubernetes; pid tells replicas on one host apart.
  const holderId = e.BUSDECK_FLEET_ID ?? `${hostname()}:${process.pid}`;
  return {
    nats: {
      servers,
      creds: e.NATS_CREDS,
      token: e.NATS_TOKEN,
      user: e.NATS_USER,
      password: e.NATS_PASSWORD,
      caFile: e.NATS_CA,
      // the views tell busdeck's own connections by this name (lib/own-resources.ts classifyConnection)
      name: ownConnectionName(holderId),
      inboxPrefix: replicaInbox(holderId, e.BUSDECK_INBOX_PREFIX),
    },
    embedded,
    bus: {
      system:
        e.NATS_SYSTEM_CREDS || e.NATS_SYSTEM_USER
          ? { creds: e.NATS_SYSTEM_CREDS, user: e.NATS_SYSTEM_USER, password: e.NATS_SYSTEM_PASSWORD }
          : null,
      monitorUrls: e.BUSDECK_MONITOR_URLS,
    },
    // The demo is on by default only where it cannot touch someone else's bus.
    demo: { enabled: e.BUSDECK_DEMO ?? embedded, seed: e.BUSDECK_DEMO_SEED, rate: e.BUSDECK_DEMO_RATE, fast: e.BUSDECK_DEMO_FAST ?? false },
    subjectTap: subjectTapOf(e.BUSDECK_SUBJECT_TAP, embedded, e.BUSDECK_SUBJECT_TAP_MAX_RATE),
    embeddedNodes: e.BUSDECK_CLUSTER === "3" ? 3 : 1,
    sampler: { intervalMs: e.BUSDECK_SAMPLE_INTERVAL_MS, concurrency: e.BUSDECK_SAMPLE_CONCURRENCY },
    sse: { maxClients: e.BUSDECK_SSE_MAX_CLIENTS, maxPerAddress: e.BUSDECK_SSE_MAX_PER_ADDRESS },
    scans: {
      maxConcurrent: e.BUSDECK_SCAN_MAX_CONCURRENT,
      maxConcurrentPerAddress: e.BUSDECK_SCAN_MAX_PER_ADDRESS,
      startsPerMinute: e.BUSDECK_SCAN_RATE_PER_MIN,
    },
    trustedProxies: e.BUSDECK_TRUSTED_PROXIES,
    // busdeck's own lock is watched like any singleton's, so it shows in the Failover view.
    lockBuckets: [...new Set([...e.BUSDECK_LOCK_BUCKETS, e.BUSDECK_FLEET_BUCKET])],
    outcomes: { prefix: e.BUSDECK_OUTCOME_PREFIX, stream: e.BUSDECK_OUTCOME_STREAM, rollups: e.BUSDECK_OUTCOME_ROLLUPS ?? true },
    storageReplicas: e.BUSDECK_STORAGE_REPLICAS,
    fleet: {
      bucket: e.BUSDECK_FLEET_BUCKET,
      key: e.BUSDECK_FLEET_KEY,
      leaseMs: e.BUSDECK_FLEET_LEASE_MS,
      prefix: e.BUSDECK_FLEET_PREFIX,
      holderId,
    },
    history: {
      enabled: e.BUSDECK_HISTORY ?? true,
      stream: e.BUSDECK_HISTORY_STREAM,
      prefix: e.BUSDECK_FLEET_PREFIX,
      stepMs: e.BUSDECK_HISTORY_STEP_MS,
      maxAgeMs: e.BUSDECK_HISTORY_MAX_AGE_H * 3_600_000,
      maxBytes: e.BUSDECK_HISTORY_MAX_BYTES,
    },
    snapshots: { bucket: e.BUSDECK_SNAPSHOT_BUCKET },
    redaction: buildRedactionRules({
      fields: e.BUSDECK_REDACT_FIELDS,
      headers: e.BUSDECK_REDACT_HEADERS,
      defaults: e.BUSDECK_REDACT_DEFAULTS ?? true,
    }),
    annotations: { bucket: e.BUSDECK_ANNOTATION_BUCKET },
    auth,
    host,
    readOnly: e.BUSDECK_READ_ONLY ?? false,
    audit: { stream: e.BUSDECK_AUDIT_STREAM, subject: `${e.BUSDECK_FLEET_PREFIX}.audit` },
    alerts: {
      alertmanagerUrl: e.BUSDECK_ALERTMANAGER_URL ?? null,
      webhookUrl: e.BUSDECK_ALERT_WEBHOOK_URL ?? null,
      slackUrl: e.BUSDECK_SLACK_WEBHOOK_URL ?? null,
      publicUrl: e.BUSDECK_PUBLIC_URL ?? null,
      silenceBucket: e.BUSDECK_SILENCE_BUCKET,
      subject: `${e.BUSDECK_FLEET_PREFIX}.alerts.deliveries`,
    },
  };
}
