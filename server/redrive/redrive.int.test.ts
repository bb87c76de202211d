/**
 * Redrive against a real nats-server: a message that exhausted max_deliver is republished through the route,
 * its consumer receives it again with the redrive headers and the stored (unmasked) payload, the same attempt
 * sent twice is stored once, and only an operator may ask — each attempt recorded in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { headers, type NatsConnection } from "@nats-io/nats-core";
import { POST as redrive } from "../../app/api/streams/[name]/messages/[seq]/redrive/route";
import { POST as bulkRedrive } from "../../app/api/consumers/[stream]/[name]/redrive/route";
import type { BulkRedriveEvent } from "../../lib/redrive/bulk";
import { GET as getMessage } from "../../app/api/streams/[name]/messages/[seq]/route";
import type { AuditRecord } from "../../lib/audit/records";
import type { RedriveResult } from "../../lib/redrive/redrive";
import { IDENTITY_SIGNATURE_HEADER, ROLE_HEADER, USER_HEADER, type Role } from "../../lib/security/auth";
import { REDACTED } from "../../lib/security/redaction";
import { waitFor } from "../../testing/wait-for";
import { signIdentity } from "../auth/gate-signature";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { createRuntime, installRuntime, type Runtime } from "../runtime";
import { REDRIVE_LIMIT } from "./limits";

const STREAM = "ORDERS";
const CONSUMER = "worker";

function postRedrive(
  seq: number,
  body: unknown,
  who: { user: string; role: Role } | null = { user: "ann", role: "operator" },
  stream = STREAM,
) {
  const identity: Record<string, string> = who
    ? { [ROLE_HEADER]: who.role, [USER_HEADER]: who.user, [IDENTITY_SIGNATURE_HEADER]: signIdentity(who.role, who.user) }
    : {};
  return redrive(
    new Request(`http://busdeck.test/api/streams/${stream}/messages/${seq}/redrive`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...identity },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ name: stream, seq: String(seq) }) },
  );
}

const OPERATOR: Record<string, string> = {
  [ROLE_HEADER]: "operator",
  [USER_HEADER]: "olga",
  [IDENTITY_SIGNATURE_HEADER]: signIdentity("operator", "olga"),
};

function postBulk(stream: string, consumer: string, body: unknown) {
  return bulkRedrive(
    new Request(`http://busdeck.test/api/consumers/${stream}/${consumer}/redrive`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...OPERATOR },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ stream, name: consumer }) },
  );
}

/** Reads JSON lines until `until` holds for one (or the response ends); the reader stays open. */
async function readLines(reader: ReadableStreamDefaultReader<Uint8Array>, until: (e: BulkRedriveEvent) => boolean) {
  const decoder = new TextDecoder();
  const events: BulkRedriveEvent[] = [];
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) {
      const event = JSON.parse(line) as BulkRedriveEvent;
      events.push(event);
      if (until(event)) return events;
    }
  }
}

describe("redrive", () => {
  let server: NatsServerHandle;
  let rt: Runtime;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  const lastSeq = async () => (await jsm.streams.info(STREAM)).state.last_seq;
  const auditRecords = async (): Promise<AuditRecord[]> =>
    (await (await rt.audit()).read(0, Date.now() + 60_000)).records.filter((r) => r.action === "message.redrive");

  beforeAll(async () => {
    server = await startNatsServer({});
    rt = await createRuntime({ NATS_URL: server.url, BUSDECK_HISTORY: "0" });
    installRuntime(rt);
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["orders.>"] });
    await jsm.consumers.add(STREAM, { durable_name: CONSUMER, ack_policy: AckPolicy.Explicit, max_deliver: 2, filter_subject: "orders.>" });
  });
  afterAll(async () => {
    installRuntime(null);
    await nc?.close();
    await rt?.stop();
    await server?.stop();
  });

  it("redrive - a dead letter is republished once with the redrive headers and its unmasked payload, even when sent twice", async () => {
    const h = headers();
    h.set("X-Trace", "t-1");
    h.set("Nats-Msg-Id", "order-7");
    await js.publish("orders.created", JSON.stringify({ id: 7, password: "hunter2" }), { headers: h });

    const maxDeliveries: unknown[] = [];
    const advisories = nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${STREAM}.${CONSUMER}`, {
      callback: (_err, m) => void maxDeliveries.push(m.json()),
    });
    const consumer = await js.consumers.get(STREAM, CONSUMER);
    for (let delivery = 1; delivery <= 2; delivery++) {
      const m = await consumer.next({ expires: 5_000 });
      expect(m?.seq).toBe(1);
      m!.nak();
    }
    // JetStream gives up (and says so) when it would deliver a third time: a pull asks it to.
    expect(await consumer.next({ expires: 1_000 })).toBeNull();
    await waitFor("the max_deliver advisory", () => maxDeliveries.length > 0);
    advisories.unsubscribe();

    // What busdeck shows of the message is masked; what it republishes is what the stream stores.
    const shown = await getMessage(new Request(`http://busdeck.test/api/streams/${STREAM}/messages/1`), {
      params: Promise.resolve({ name: STREAM, seq: "1" }),
    });
    expect(JSON.stringify(await shown.json())).toContain(REDACTED);

    const first = await postRedrive(1, { n: 1 });
    expect(first.status).toBe(200);
    const result = (await first.json()) as RedriveResult;
    expect(result).toMatchObject({ stream: STREAM, seq: 1, subject: "orders.created", msg_id: "ORDERS:1:redrive:1", duplicate: false });
    expect(result.published_seq).toBe(2);

    const again = await consumer.next({ expires: 5_000 });
    expect(again?.seq).toBe(2);
    expect(again!.subject).toBe("orders.created");
    expect(again!.json()).toEqual({ id: 7, password: "hunter2" });
    expect(again!.headers?.get("Nats-Msg-Id")).toBe("ORDERS:1:redrive:1");
    expect(again!.headers?.get("Busdeck-Redrive-Of")).toBe("ORDERS:1");
    expect(again!.headers?.get("X-Trace")).toBe("t-1");
    await again!.ackAck();

    const second = await postRedrive(1, { n: 1 });
    expect(second.status).toBe(200);
    expect((await second.json()) as RedriveResult).toMatchObject({ duplicate: true, published_seq: 2 });
    expect(await lastSeq()).toBe(2);
    expect(await consumer.next({ expires: 1_000 })).toBeNull();

    const records = await auditRecords();
    expect(records.map((r) => [r.phase, r.user, r.target, r.status])).toEqual([
      ["attempt", "ann", "ORDERS:1", undefined],
      ["result", "ann", "ORDERS:1", 200],
      ["attempt", "ann", "ORDERS:1", undefined],
      ["result", "ann", "ORDERS:1", 200],
    ]);
  });

  it("redrive - the loop: poison exhausts max_deliver, busdeck lists it, the handler is fixed, redrive twice from two replicas → received once", async () => {
    const POISON = "POISON";
    const HANDLER = "handler";
    await jsm.streams.add({ name: POISON, subjects: ["poison.>"] });
    await jsm.consumers.add(POISON, { durable_name: HANDLER, ack_policy: AckPolicy.Explicit, max_deliver: 2 });
    await js.publish("poison.job", JSON.stringify({ job: "breaks the handler" }));
    const handler = await js.consumers.get(POISON, HANDLER);
    let fixed = false;
    /** The handler under test: it NAKs everything until fixed, then acks. */
    const handleNext = async (expires: number) => {
      const m = await handler.next({ expires });
      if (m) await (fixed ? m.ackAck() : Promise.resolve(m.nak()));
      return m;
    };
    while (await handleNext(1_000));
    await waitFor("busdeck to list the max_deliver advisory of #1", () =>
      rt.consumerTracker
        .history(POISON, HANDLER, "24h", Date.now())
        ?.dead_letters.some((d) => d.kind === "max_deliveries" && d.stream_seq === 1),
    );
    fixed = true;

    const other = await createRuntime({ NATS_URL: server.url, BUSDECK_HISTORY: "0", BUSDECK_FLEET_ID: "second-replica" });
    try {
      const loop = { user: "loop", role: "operator" as const };
      const fromFirst = await Promise.all([postRedrive(1, { n: 1 }, loop, POISON), postRedrive(1, { n: 1 }, loop, POISON)]);
      installRuntime(other);
      const fromSecond = await postRedrive(1, { n: 1 }, loop, POISON);
      const results = (await Promise.all([...fromFirst, fromSecond].map((r) => r.json()))) as RedriveResult[];
      expect(results.map((r) => [r.published_seq, r.duplicate]).sort()).toEqual([
        [2, false],
        [2, true],
        [2, true],
      ]);
      expect((await jsm.streams.info(POISON)).state.last_seq).toBe(2);
      expect((await handleNext(5_000))?.seq).toBe(2);
      expect(await handleNext(1_000)).toBeNull();

      const records = (await (await rt.audit()).read(0, Date.now() + 60_000)).records.filter((r) => r.target === "POISON:1");
      expect(records.filter((r) => r.phase === "result").map((r) => [r.replica, r.status])).toEqual(
        expect.arrayContaining([
          [rt.replicaId, 200],
          [rt.replicaId, 200],
          [other.replicaId, 200],
        ]),
      );
      expect(records).toHaveLength(6);
      // An attempt was recorded before the one copy was stored. (Compared by time, not by the order a core
      // subscriber hears them: two replicas publish on their own connections, which NATS does not order.)
      const copyStoredAt = (await jsm.streams.getMessage(POISON, { seq: 2 }))!.time.getTime();
      const firstAttemptAt = Math.min(...records.filter((r) => r.phase === "attempt").map((r) => Date.parse(r.at)));
      expect(firstAttemptAt).toBeLessThanOrEqual(copyStoredAt);
    } finally {
      installRuntime(rt);
      await other.stop();
    }
  });

  it("redrive - a viewer or an unauthenticated caller is refused and nothing is published", async () => {
    const before = await lastSeq();
    const viewer = await postRedrive(1, { n: 9 }, { user: "vic", role: "viewer" });
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as { reason: string }).reason).toMatch(/needs role operator; user "vic" has role viewer/);
    expect((await postRedrive(1, { n: 9 }, null)).status).toBe(403);
    expect(await lastSeq()).toBe(before);
  });

  it("redrive - another subject the stream captures is accepted; one it does not capture is a 400 naming why", async () => {
    const elsewhere = await postRedrive(1, { n: 2, subject: "billing.created" });
    expect(elsewhere.status).toBe(400);
    expect(((await elsewhere.json()) as { reason: string }).reason).toBe(
      `subject: subject "billing.created" is not one the stream captures (orders.>)`,
    );
    const retry = await postRedrive(1, { n: 2, subject: "orders.retry" });
    expect(retry.status).toBe(200);
    const { published_seq } = (await retry.json()) as RedriveResult;
    expect((await jsm.streams.getMessage(STREAM, { seq: published_seq }))?.subject).toBe("orders.retry");
  });

  it("redrive - a user is limited per minute: past the limit a 429 with Retry-After, and nothing published", async () => {
    const who = { user: "bulk", role: "operator" as const };
    for (let i = 0; i < REDRIVE_LIMIT.maxFailures; i++) expect((await postRedrive(1, { n: 1 }, who)).status).toBe(200);
    const before = await lastSeq();
    const refused = await postRedrive(1, { n: 3 }, who);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await lastSeq()).toBe(before);
  });

  describe("bulk", () => {
    const JOBS = "JOBS";
    const WORKER_ON_JOBS = "jobs-worker";
    const jobsLastSeq = async () => (await jsm.streams.info(JOBS)).state.last_seq;

    beforeAll(async () => {
      await jsm.streams.add({ name: JOBS, subjects: ["jobs.>"] });
      await jsm.consumers.add(JOBS, { durable_name: WORKER_ON_JOBS, ack_policy: AckPolicy.Explicit, max_deliver: 1 });
      for (let job = 1; job <= 3; job++) await js.publish("jobs.run", JSON.stringify({ job }));
      const consumer = await js.consumers.get(JOBS, WORKER_ON_JOBS);
      for (let job = 1; job <= 3; job++) (await consumer.next({ expires: 5_000 }))!.nak();
      expect(await consumer.next({ expires: 1_000 })).toBeNull();
      await waitFor("three dead letters in the consumer's history", () => {
        const letters = rt.consumerTracker.history(JOBS, WORKER_ON_JOBS, "24h", Date.now())?.dead_letters ?? [];
        return letters.filter((d) => d.kind === "max_deliveries").length === 3;
      });
    });

    it("redrive bulk - the dead letters in the range go out one by one, each reported, then a summary; audited once", async () => {
      const res = await postBulk(JOBS, WORKER_ON_JOBS, { from_seq: 1, to_seq: 2, n: 1, per_second: 100 });
      expect(res.status).toBe(200);
      const events = await readLines(res.body!.getReader(), () => false);
      expect(events.map((e) => (e.kind === "message" && e.ok ? [e.seq, e.result.published_seq] : e))).toEqual([
        { kind: "planned", seqs: [1, 2] },
        [1, 4],
        [2, 5],
        { kind: "done", sent: 2, duplicates: 0, failed: 0, cancelled: false },
      ]);
      expect(await jobsLastSeq()).toBe(5);
      const records = (await (await rt.audit()).read(0, Date.now() + 60_000)).records.filter((r) => r.action === "dead_letters.redrive");
      expect(records.map((r) => [r.phase, r.user, r.target])).toEqual([
        ["attempt", "olga", "JOBS/jobs-worker"],
        ["result", "olga", "JOBS/jobs-worker"],
      ]);
    });

    it("redrive bulk - closing the response cancels the rest: only what was reported went out", async () => {
      const before = await jobsLastSeq();
      const res = await postBulk(JOBS, WORKER_ON_JOBS, { from_seq: 1, to_seq: 3, n: 2, per_second: 1 });
      const reader = res.body!.getReader();
      const events = await readLines(reader, (e) => e.kind === "message");
      await reader.cancel();
      await waitFor("the bulk redrive to end", () => rt.sseAdmission.connections === 0);
      expect(events.filter((e) => e.kind === "message").map((e) => e.seq)).toEqual([1]);
      expect(await jobsLastSeq()).toBe(before + 1);
    });

    it("redrive bulk - a message that fails part-way is reported with its reason; the lines name exactly the copies stored", async () => {
      await jsm.streams.deleteMessage(JOBS, 2);
      const before = await jobsLastSeq();
      const res = await postBulk(JOBS, WORKER_ON_JOBS, { from_seq: 1, to_seq: 3, n: 3, per_second: 100 });
      const events = await readLines(res.body!.getReader(), () => false);
      const lines = events.filter((e) => e.kind === "message");
      expect(lines.map((e) => (e.ok ? [e.seq, "sent"] : [e.seq, e.reason]))).toEqual([
        [1, "sent"],
        [2, expect.stringMatching(/#2/)],
        [3, "sent"],
      ]);
      expect(events.at(-1)).toEqual({ kind: "done", sent: 2, duplicates: 0, failed: 1, cancelled: false });
      const stored = lines.flatMap((e) => (e.ok ? [e.result.published_seq] : []));
      expect(stored).toEqual([before + 1, before + 2]);
      expect(await jobsLastSeq()).toBe(before + 2);
      const copiesOf = await Promise.all(
        stored.map(async (seq) => (await jsm.streams.getMessage(JOBS, { seq }))?.header.get("Busdeck-Redrive-Of")),
      );
      expect(copiesOf).toEqual(["JOBS:1", "JOBS:3"]);
    });
  });

  it("redrive - an audit trail that refuses the record blocks the redrive: a 503 saying so, and nothing published", async () => {
    await jsm.streams.delete("BUSDECK_AUDIT");
    await jsm.streams.add({ name: "BUSDECK_AUDIT", subjects: ["elsewhere.audit"] });
    const before = await lastSeq();
    const res = await postRedrive(1, { n: 50 }, { user: "audited", role: "operator" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { reason: string }).reason).toMatch(/^audit trail unavailable, so the action was not run/);
    expect(await lastSeq()).toBe(before);
  });
});

describe("redrive against a server with a small max_payload", () => {
  const MAX_PAYLOAD = 4096;
  let server: NatsServerHandle;
  let rt: Runtime;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer({ extraConfig: `max_payload: ${MAX_PAYLOAD}` });
    rt = await createRuntime({ NATS_URL: server.url, BUSDECK_HISTORY: "0" });
    installRuntime(rt);
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["orders.>"] });
    // Fits as stored; the copy's two redrive headers take it over the limit.
    await jetstream(nc).publish("orders.big", new Uint8Array(MAX_PAYLOAD - 40));
  });
  afterAll(async () => {
    installRuntime(null);
    await nc?.close();
    await rt?.stop();
    await server?.stop();
  });

  it("redrive - a copy larger than the server's max_payload is a 400 naming it, and nothing is published", async () => {
    const res = await postRedrive(1, { n: 1 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { reason: string }).reason).toMatch(
      new RegExp(`^the copy is \\d+ bytes, more than the server's max_payload of ${MAX_PAYLOAD}$`),
    );
    expect((await (await jetstreamManager(nc)).streams.info(STREAM)).state.last_seq).toBe(1);
  });
});
