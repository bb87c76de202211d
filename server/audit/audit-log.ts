/**
 * The audit trail's store: busdeck's own stream (default BUSDECK_AUDIT), append-only. The stream denies deletes
 * and purges, and busdeck offers no route that edits or removes a record.
 */
import "server-only";
import { jetstream, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { AuditRecordSchema, type AuditRecord } from "../../lib/audit/records";
import { ensureOwnStream } from "../own-streams";
import type { ReplicaSetting } from "../replicas";
import { scanStream } from "../outcomes/stream-scan";

export interface AuditLogConfig {
  stream: string;
  subject: string;
  replicas: ReplicaSetting;
}

export interface AuditLog {
  /** Resolves once the stream has stored the record; rejects when it did not (the action must not run). */
  append(record: AuditRecord): Promise<void>;
  /** Records stored in [from, to), oldest first, at most MAX_RECORDS_PER_READ; `complete` false when capped. */
  read(from: number, to: number): Promise<{ records: AuditRecord[]; complete: boolean }>;
}

const MAX_RECORDS_PER_READ = 20_000;
const YEAR_MS = 365 * 24 * 3_600_000;

export async function openAuditLog(nc: NatsConnection, jsm: JetStreamManager, config: AuditLogConfig): Promise<AuditLog> {
  await ensureOwnStream(jsm, {
    name: config.stream,
    subjects: [config.subject],
    maxAgeMs: YEAR_MS,
    maxBytes: 1024 ** 3,
    duplicateWindowMs: 2 * 60_000,
    replicas: config.replicas,
    description: "busdeck: every operator action (who, role, replica, action, target, result); append-only",
    denyDelete: true,
  });
  const js = jetstream(nc);
  return {
    async append(record) {
      // expect.streamName: a record the audit stream did not store (another stream took the subject) is a failure.
      await js
        .publish(config.subject, JSON.stringify(record), { msgID: `${record.id}:${record.phase}`, expect: { streamName: config.stream } })
        .catch((err: Error) => {
          throw new Error(`stream ${config.stream} did not store the record on ${config.subject} (${err.message})`, { cause: err });
        });
    },
    async read(from, to) {
      const records: AuditRecord[] = [];
      const scan = await scanStream(js, jsm, {
        stream: config.stream,
        start: { time: new Date(from).toISOString() },
        max: MAX_RECORDS_PER_READ,
        onMsg: (m) => {
          const r = parseRecord(m);
          if (r && Date.parse(r.at) >= to) return false;
          if (r && Date.parse(r.at) >= from) records.push(r);
          return true;
        },
      });
      return { records, complete: scan.complete || records.length < MAX_RECORDS_PER_READ };
    },
  };
}

function parseRecord(m: JsMsg): AuditRecord | null {
  try {
    const parsed = AuditRecordSchema.safeParse(m.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON: someone else's message on our subject; skipped
  }
}
