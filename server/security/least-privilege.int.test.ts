/**
 * busdeck against a nats-server whose `busdeck` user has exactly the permissions documented in
 * docs/nats-permissions.md (the config block is read from that file, so the doc cannot drift from what is
 * tested). The bus is seeded by the `admin` user of the same account.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { getMessageDetail, subjectCounts } from "../streams/messages";
import { seqAtOrAfter } from "../outcomes/stream-scan";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { createRuntime, installRuntime, type Runtime } from "../runtime";
import { POST as redrive } from "../../app/api/streams/[name]/messages/[seq]/redrive/route";
import { IDENTITY_SIGNATURE_HEADER, ROLE_HEADER, USER_HEADER } from "../../lib/security/auth";
import { signIdentity } from "../auth/gate-signature";
import { TRANSITIONS_STREAM } from "../failover/transition-log";
import { FINDINGS_STREAM } from "../findings/finding-log";
import { waitFor } from "../../testing/wait-for";

const ADMIN_PASSWORD = "admin-pw-least-privilege";
const BUSDECK_PASSWORD = "busdeck-pw-least-privilege";

function documentedConfig(): string {
  const doc = readFileSync(join(__dirname, "../../docs/nats-permissions.md"), "utf8");
  const block = /<!-- busdeck:nats-permissions:begin -->\s*```conf\n([\s\S]*?)```\s*<!-- busdeck:nats-permissions:end -->/.exec(doc)?.[1];
  if (!block) throw new Error("docs/nats-permissions.md: config block markers not found");
  return block.replace("$ADMIN_PASSWORD", ADMIN_PASSWORD).replace("$BUSDECK_PASSWORD", BUSDECK_PASSWORD);
}

async function until<T>(what: string, probe: () => T | undefined | false, detail?: () => unknown, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${detail ? `; last seen: ${JSON.stringify(detail()).slice(0, 2000)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("least-privilege NATS user", () => {
  let nats: NatsServerHandle;
  let admin: NatsConnection;
  let rt: Runtime;
  let busdeck: NatsConnection;
  /** Every permission violation the server reports to busdeck's connection. */
  const violations: string[] = [];

  beforeAll(async () => {
    nats = await startNatsServer({ extraConfig: documentedConfig() });
    admin = await connect({ servers: nats.url, user: "admin", pass: ADMIN_PASSWORD });
    const jsm = await jetstreamManager(admin);
    await jsm.streams.add({ name: "orders", subjects: ["orders.>"] });
    await jsm.streams.add({ name: "REFLEX_OUTCOMES", subjects: ["reflex.outcome.>"] });
    await jsm.consumers.add("orders", { durable_name: "billing", ack_policy: AckPolicy.Explicit });
    const js = jetstream(admin);
    for (let i = 0; i < 5; i++) await js.publish(`orders.created.${i}`, JSON.stringify({ i }));
    const kv = await new Kvm(admin).create("locks", { history: 5 });
    await kv.put("dedup", JSON.stringify({ holder_id: "dedup-1", ttl_s: 10 }));

    rt = await createRuntime({
      NATS_URL: nats.url,
      NATS_USER: "busdeck",
      NATS_PASSWORD: BUSDECK_PASSWORD,
      BUSDECK_DEMO: "0",
      BUSDECK_SAMPLE_INTERVAL_MS: "200",
      BUSDECK_HISTORY_STEP_MS: "1000",
    });
    busdeck = await rt.nc;
    void (async () => {
      for await (const s of busdeck.status()) if (s.type === "error") violations.push(String(s.error?.message ?? s.error));
    })();
  }, 30_000);

  afterAll(async () => {
    await rt?.stop();
    await admin?.close();
    await nats?.stop();
  });

  it("least privilege - streams and consumers are sampled", async () => {
    const streams = await until(
      "streams",
      () => {
        const s = rt.hub.getState("streams");
        return s?.streams.some((x) => x.name === "orders" && x.state.messages === 5) && s;
      },
      () => rt.hub.getState("streams"),
    );
    expect(streams.errors).toEqual([]);
    await until("consumer billing with 5 pending", () =>
      rt.hub.getState("consumers")?.consumers.some((c) => c.stream === "orders" && c.name === "billing" && c.num_pending === 5),
    );
  });

  it("least privilege - live outcomes and lock changes arrive", async () => {
    await until("lock dedup", () => rt.hub.getState("locks")?.locks.some((l) => l.key === "dedup" && l.holder === "dedup-1"));
    // The outcome subscriber may start by reading history; publish until one arrives live.
    const arrived = () => rt.hub.getFeed("outcomes").some((o) => o.subject === "reflex.outcome.classify");
    const deadline = Date.now() + 20_000;
    while (!arrived() && Date.now() < deadline) {
      await jetstream(admin).publish("reflex.outcome.classify", JSON.stringify({ handler_id: "classify" }));
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(arrived()).toBe(true);
    const kv = await new Kvm(admin).open("locks");
    await kv.put("dedup", JSON.stringify({ holder_id: "dedup-2", ttl_s: 10 }));
    await until("lock failover to dedup-2", () => rt.hub.getState("locks")?.locks.some((l) => l.key === "dedup" && l.holder === "dedup-2"));
  });

  it("least privilege - busdeck wins its own sampler election and its lock shows with the singletons", async () => {
    await until("busdeck leads the sampler election", () => rt.fleet()?.status().role === "leader");
    await until("busdeck's lock in the locks view", () =>
      rt.hub
        .getState("locks")
        ?.locks.some((l) => l.bucket === "busdeck_fleet" && l.key === "busdeck-sampler" && l.holder === rt.config.fleet.holderId),
    );
  });

  it("least privilege - busdeck's persisted history is written and read back", async () => {
    const store = await rt.history();
    const read = await waitFor("two persisted points of orders/billing", async () => {
      const r = await store.readConsumer("orders", "billing", 0, Date.now());
      return r.points.length >= 2 && r;
    });
    expect(read.points[0]).toMatchObject({ lag_msgs: 5 });
  });

  it("least privilege - busdeck's own timeline stream is created and written", async () => {
    const jsm = await jetstreamManager(admin);
    const deadline = Date.now() + 20_000;
    let messages = 0;
    while (Date.now() < deadline) {
      messages = await jsm.streams.info(TRANSITIONS_STREAM).then(
        (i) => i.state.messages,
        () => 0,
      );
      if (messages > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(messages).toBeGreaterThan(0);
  });

  it("least privilege - busdeck's own findings stream is created", async () => {
    const jsm = await jetstreamManager(admin);
    const info = await waitFor("the findings stream", () => jsm.streams.info(FINDINGS_STREAM).catch(() => null));
    expect(info.config.subjects).toEqual(["busdeck.findings.>"]);
  });

  it("least privilege - a silence is stored in busdeck's own bucket and watched back", async () => {
    const silence = await rt.alerts.addSilence({ matcher: { kind: "rule", rule: "stream_limit" }, minutes: 5, reason: "drill" }, "ann");
    const kv = await new Kvm(admin).open("busdeck_silences");
    expect((await kv.get(silence.id))?.json()).toMatchObject({ reason: "drill" });
    expect((await rt.alerts.expireSilence(silence.id))?.id).toBe(silence.id);
  });

  it("least privilege - the views' on-demand reads work: message detail, subject counts, time → sequence", async () => {
    const jsm = await rt.jsm();
    expect((await getMessageDetail(jsm, "orders", 3))?.subject).toBe("orders.created.2");
    expect((await subjectCounts(jsm, "orders")).total).toBe(5);
    expect(await seqAtOrAfter(jsm, "orders", new Date(0).toISOString())).toBe(1);
  });

  it("least privilege - snapshots and annotations work in busdeck's own buckets", async () => {
    const snapshot = await rt.snapshots.create(
      { url: "/streams", view_now: Date.now(), queries: [{ key: ["live", "streams"], data: rt.hub.getState("streams") }] },
      "op",
    );
    expect((await rt.snapshots.read(snapshot.id))?.created_by).toBe("op");
    expect((await rt.snapshots.list()).map((s) => s.id)).toContain(snapshot.id);
    expect(await rt.snapshots.delete(snapshot.id)).toBe(true);
    await until("annotations loaded", () => rt.annotations.ready());
    const note = await rt.annotations.add({ text: "least-privilege check" }, "op");
    expect(rt.hub.getState("annotations")?.map((a) => a.id)).toContain(note.id);
    await until("the note's own broadcast came back", () => rt.annotations.stats.echoes_skipped >= 1);
    expect(await rt.annotations.remove(note.id)).toBe(true);
  });

  it("least privilege - a redrive is audited in busdeck's own stream, and refused by the server with a 503 naming the publish permission", async () => {
    installRuntime(rt);
    try {
      const res = await redrive(
        new Request("http://busdeck.test/api/streams/orders/messages/1/redrive", {
          method: "POST",
          headers: { [ROLE_HEADER]: "operator", [USER_HEADER]: "op", [IDENTITY_SIGNATURE_HEADER]: signIdentity("operator", "op") },
          body: JSON.stringify({ n: 1 }),
        }),
        { params: Promise.resolve({ name: "orders", seq: "1" }) },
      );
      expect(res.status).toBe(503);
      expect(((await res.json()) as { reason: string }).reason).toBe(
        `the NATS server refused the publish: busdeck's NATS user has no publish permission on "orders.created.0" ` +
          `(grant publish on the subjects of the streams to redrive; docs/nats-permissions.md)`,
      );
      expect((await (await jetstreamManager(admin)).streams.info("orders")).state.messages).toBe(5);
      const audited = (await (await rt.audit()).read(0, Date.now() + 60_000)).records.filter((r) => r.action === "message.redrive");
      expect(audited.map((r) => [r.phase, r.target, r.status])).toEqual([
        ["attempt", "orders:1", undefined],
        ["result", "orders:1", 503],
      ]);
    } finally {
      installRuntime(null);
    }
    const refused = (v: string) => /Permissions Violation for Publish to "orders\.created\.0"/.test(v);
    await until(
      "the server's report of the refused publish",
      () => violations.some(refused),
      () => violations,
    );
    violations.splice(0, violations.length, ...violations.filter((v) => !refused(v)));
  });

  it("least privilege - normal operation hits no permission violation", async () => {
    // After the sampler, watchers, timeline log and the reads above have all run at least once.
    await new Promise((r) => setTimeout(r, 1_000)); // let any asynchronous -ERR from the last requests arrive
    expect(violations.filter((v) => !/CONSUMER\.DELETE/.test(v))).toEqual([]);
  });

  it("least privilege - deleting or purging a stream, deleting a consumer, acking and publishing app subjects are refused", async () => {
    const jsm = await jetstreamManager(busdeck);
    await expect(jsm.streams.delete("orders")).rejects.toThrow(/permission|timeout/i);
    await expect(jsm.streams.purge("orders")).rejects.toThrow(/permission|timeout/i);
    await expect(jsm.consumers.delete("orders", "billing")).rejects.toThrow(/permission|timeout/i);
    await expect(jetstream(busdeck).publish("orders.created.x", "nope")).rejects.toThrow(/permission|timeout|no responders/i);
    // Acks are refused too: whatever busdeck's user pulls from an explicit-ack consumer is redelivered.
    busdeck.publish("$JS.ACK.orders.billing.1.1.1.0.0");
    const info = await (await jetstreamManager(admin)).streams.info("orders");
    expect(info.state.messages).toBe(5);
    expect((await (await jetstreamManager(admin)).consumers.info("orders", "billing")).name).toBe("billing");
    // The server said why (and the violation check above would have seen it).
    await until(
      "a reported violation for the stream delete",
      () => violations.some((v) => /Permissions Violation.*STREAM\.DELETE\.orders/i.test(v)),
      () => violations,
    );
    await until(
      "a reported violation for the ack",
      () => violations.some((v) => /Permissions Violation.*\$JS\.ACK\.orders/i.test(v)),
      () => violations,
    );
  });
});
