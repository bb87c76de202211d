/**
 * Alerts against a real Alertmanager and a real nats-server, with three busdeck replicas sharing the bus: a
 * consumer that stalls then recovers is firing in Alertmanager, then resolved (Alertmanager's own resolved
 * notification carries an endsAt in the past), and every target got exactly one delivery per transition. A
 * silenced finding is not delivered; an unreachable Alertmanager leaves sampling running and the log shows why.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { POST as postSilence } from "../../app/api/alerts/silences/route";
import type { DeliveryRecord } from "../../lib/alerts/deliveries";
import type { WebhookBody } from "../../lib/alerts/payloads";
import type { Silence } from "../../lib/alerts/silences";
import { IDENTITY_SIGNATURE_HEADER, ROLE_HEADER, USER_HEADER } from "../../lib/security/auth";
import { listAlerts, startAlertmanager, type AlertmanagerHandle } from "../../testing/alertmanager/alertmanager-process";
import { startCaptureServer, type CaptureServer } from "../../testing/alertmanager/capture-server";
import { waitFor } from "../../testing/wait-for";
import { signIdentity } from "../auth/gate-signature";
import { freePort, startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { createRuntime, installRuntime, type Runtime } from "../runtime";

const STREAM = "ORDERS";
const findingIdOf = (consumer: string) => `consumer_health:consumer:${STREAM}/${consumer}`;
// A short sample interval and health window so a stall is judged within a few seconds.
const FAST = { BUSDECK_SAMPLE_INTERVAL_MS: "150", BUSDECK_CONSUMER_WINDOW: "3", BUSDECK_HISTORY: "0" };

/** Alertmanager notifies the capture server at once, and again when an alert resolves. */
const amConfig = (captureUrl: string) => `route:
  receiver: capture
  group_by: [finding_id]
  group_wait: 50ms
  group_interval: 200ms
  repeat_interval: 1h
receivers:
  - name: capture
    webhook_configs:
      - url: ${captureUrl}/am
        send_resolved: true
`;

interface AmNotification {
  status: "firing" | "resolved";
  alerts: { status: string; labels: Record<string, string>; endsAt: string }[];
}

const deliveriesOf = (rt: Runtime, findingId: string): DeliveryRecord[] =>
  rt.alerts.state().deliveries.filter((d) => d.finding_id === findingId);

describe("alerts (integration)", () => {
  let server: NatsServerHandle;
  let am: AlertmanagerHandle;
  let capture: CaptureServer;
  let replicas: Runtime[] = [];
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;

  const webhooks = (findingId: string) => capture.bodies<WebhookBody>("/webhook").filter((b) => b.finding.id === findingId);
  const slacks = (consumer: string) => capture.bodies<{ text: string }>("/slack").filter((b) => b.text.includes(`${STREAM}/${consumer} `));
  const amNotices = (findingId: string) =>
    capture.bodies<AmNotification>("/am").filter((n) => n.alerts.some((a) => a.labels.finding_id === findingId));

  const stall = async (consumer: string) => {
    await jsm.consumers.add(STREAM, { durable_name: consumer, ack_policy: AckPolicy.Explicit });
    for (let i = 0; i < 3; i++) await js.publish("orders.created", JSON.stringify({ consumer, i }));
  };
  const drain = async (consumer: string) => {
    const messages = await (await js.consumers.get(STREAM, consumer)).fetch({ max_messages: 10, expires: 2_000 });
    for await (const m of messages) {
      await m.ackAck();
      if (m.info.pending === 0) break;
    }
  };

  beforeAll(async () => {
    server = await startNatsServer({});
    capture = await startCaptureServer();
    am = await startAlertmanager({ config: amConfig(capture.url) });
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["orders.>"] });
    const env = {
      NATS_URL: server.url,
      ...FAST,
      BUSDECK_ALERTMANAGER_URL: am.url,
      BUSDECK_ALERT_WEBHOOK_URL: `${capture.url}/webhook`,
      BUSDECK_SLACK_WEBHOOK_URL: `${capture.url}/slack`,
      BUSDECK_PUBLIC_URL: "https://busdeck.example.com",
    };
    for (const id of ["r1", "r2", "r3"]) replicas.push(await createRuntime({ ...env, BUSDECK_FLEET_ID: id }));
    installRuntime(replicas[0]!);
    await waitFor("one replica to lead", () => replicas.some((r) => r.fleet()?.status().role === "leader"));
  });
  afterAll(async () => {
    installRuntime(null);
    await nc?.close();
    for (const rt of replicas) await rt.stop();
    replicas = [];
    await am?.stop();
    await capture?.stop();
    await server?.stop();
  });

  it("alerts - a stall fires in Alertmanager and resolves, one delivery per transition per target across three replicas", async () => {
    const id = findingIdOf("billing");
    await stall("billing");

    const firing = await waitFor("Alertmanager to hold the alert", async () =>
      (await listAlerts(am.url)).find((a) => a.labels.finding_id === id),
    );
    expect(firing.labels).toMatchObject({
      alertname: "busdeck_consumer_health",
      severity: "critical",
      stream: STREAM,
      consumer: "billing",
    });
    expect(firing.annotations.link).toBe(`https://busdeck.example.com/consumers/${STREAM}/billing`);
    expect(firing.annotations.evidence).toMatch(/^STALL/);
    expect(firing.status.state).toBe("active");
    await waitFor("Alertmanager to notify firing", () => amNotices(id).some((n) => n.status === "firing"));

    await drain("billing");
    await waitFor(
      "Alertmanager to drop the resolved alert",
      async () => !(await listAlerts(am.url)).some((a) => a.labels.finding_id === id),
    );
    const resolved = await waitFor("Alertmanager to notify resolved", () => amNotices(id).find((n) => n.status === "resolved"));
    expect(Date.parse(resolved.alerts[0]!.endsAt)).toBeLessThanOrEqual(Date.now());

    // Every replica's log shows both deliveries to every target, so the webhook's count is final.
    for (const rt of replicas)
      await waitFor(`replica ${rt.replicaId} to log both deliveries to all targets`, () =>
        deliveriesOf(rt, id).filter((d) => d.result === "delivered").length === 6 ? true : undefined,
      );
    expect(deliveriesOf(replicas[1]!, id).every((d) => d.link === `/consumers/${STREAM}/billing`)).toBe(true);
    expect(webhooks(id).map((b) => b.status)).toEqual(["firing", "resolved"]);
    expect(webhooks(id)[0]!.url).toBe(`https://busdeck.example.com/consumers/${STREAM}/billing`);
    expect(slacks("billing").map((b) => b.text.slice(0, 10))).toEqual(["[FIRING] c", "[RESOLVED]"]);
    expect(amNotices(id).map((n) => n.status)).toEqual(["firing", "resolved"]);
  });

  it("alerts - a silenced finding is not delivered to any target, and the log says it was silenced", async () => {
    const id = findingIdOf("shipping");
    const response = await postSilence(
      new Request("http://busdeck.test/api/alerts/silences", {
        method: "POST",
        headers: { [ROLE_HEADER]: "operator", [USER_HEADER]: "ann", [IDENTITY_SIGNATURE_HEADER]: signIdentity("operator", "ann") },
        body: JSON.stringify({ matcher: { kind: "finding", finding_id: id }, minutes: 30, reason: "shipping is being migrated" }),
      }),
    );
    expect(response.status).toBe(201);
    const silence = (await response.json()) as Silence;
    for (const rt of replicas)
      await waitFor(`replica ${rt.replicaId} to know the silence`, () => rt.alerts.state().silences.some((s) => s.id === silence.id));

    await stall("shipping");
    const leader = replicas.find((r) => r.fleet()?.status().role === "leader")!;
    const silencedOf = () => deliveriesOf(leader, id).filter((d) => d.result === "silenced");
    const logged = await waitFor("the silenced opening in the log, once per target", () =>
      silencedOf().length === 3 ? silencedOf() : null,
    );
    expect(deliveriesOf(leader, id).every((d) => d.result === "silenced")).toBe(true);
    expect(logged[0]!.error).toContain("shipping is being migrated");
    expect(webhooks(id)).toEqual([]);
    expect(slacks("shipping")).toEqual([]);
    expect((await listAlerts(am.url)).some((a) => a.labels.finding_id === id)).toBe(false);
  });
});

describe("alerts with an unreachable Alertmanager (integration)", () => {
  let server: NatsServerHandle;
  let rt: Runtime;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer({});
    // A port nothing listens on: every delivery attempt is refused.
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    rt = await createRuntime({ NATS_URL: server.url, BUSDECK_FLEET_ID: "solo", ...FAST, BUSDECK_ALERTMANAGER_URL: deadUrl });
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["orders.>"] });
    await jsm.consumers.add(STREAM, { durable_name: "billing", ack_policy: AckPolicy.Explicit });
    await jetstream(nc).publish("orders.created", "{}");
  });
  afterAll(async () => {
    await nc?.close();
    await rt?.stop();
    await server?.stop();
  });

  it("alerts - failed deliveries are retried and logged while sampling goes on", async () => {
    const id = findingIdOf("billing");
    const retrying = await waitFor("a failed attempt in the log", () =>
      deliveriesOf(rt, id).find((d) => d.target === "alertmanager" && d.result === "retrying"),
    );
    expect(retrying.error).toMatch(/fetch failed|ECONNREFUSED/);
    const samplesThen = rt.fleet()!.status().samples_taken;
    // Retries are waiting on back-off; the sampler still samples and the findings are still evaluated.
    await waitFor("more samples", () => rt.fleet()!.status().samples_taken >= samplesThen + 3);
    const evaluated = rt.hub.getState("findings")!.evaluated_at!;
    expect(Date.parse(evaluated)).toBeGreaterThan(Date.parse(retrying.at));
    await waitFor("a second attempt", () => deliveriesOf(rt, id).find((d) => d.target === "alertmanager" && d.attempts >= 2));
  });
});
