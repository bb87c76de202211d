/**
 * "Where does this subject go?" against a real nats-server, through the whole runtime and the API route: the
 * capturing stream, the two consumers whose filters match, and the one core subscriber of the app's account.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { GET } from "../../app/api/bus/subject-route/route";
import type { SubjectRoute } from "../../lib/bus/subject-route";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { createRuntime, installRuntime, type Runtime } from "../runtime";
import { waitFor } from "../../testing/wait-for";

const ask = (subject: string) => GET(new Request(`http://busdeck.test/api/bus/subject-route?subject=${encodeURIComponent(subject)}`));

describe("subject route (integration)", () => {
  let server: NatsServerHandle;
  let rt: Runtime;
  let app: NatsConnection;
  let system: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer({});
    const sys = server.system!;
    rt = await createRuntime({
      NATS_URL: server.url,
      NATS_SYSTEM_USER: sys.user,
      NATS_SYSTEM_PASSWORD: sys.password,
      BUSDECK_SAMPLE_INTERVAL_MS: "150",
      BUSDECK_HISTORY: "0",
    });
    installRuntime(rt);
    app = await connect({ servers: server.url, name: "order-worker" });
    const jsm = await jetstreamManager(app);
    await jsm.streams.add({ name: "ORDERS", subjects: ["orders.>"] });
    await jsm.streams.add({ name: "BILLING", subjects: ["billing.>"] });
    await jsm.consumers.add("ORDERS", { durable_name: "created", filter_subject: "orders.*.created" });
    await jsm.consumers.add("ORDERS", { durable_name: "eu", filter_subject: "orders.eu.>" });
    await jsm.consumers.add("ORDERS", { durable_name: "shipped", filter_subject: "orders.*.shipped" });
    await jsm.consumers.add("BILLING", { durable_name: "billing" });
    app.subscribe("orders.*.created", { queue: "workers", callback: () => {} });
    app.subscribe("billing.>", { callback: () => {} });
    // The same subject in another account is another subject: not a subscriber of this one.
    system = await connect({ servers: server.url, user: sys.user, pass: sys.password, name: "other-account" });
    system.subscribe("orders.>", { callback: () => {} });
    await Promise.all([app.flush(), system.flush()]);
  });

  afterAll(async () => {
    installRuntime(null);
    await app?.close();
    await system?.close();
    await rt?.stop();
    await server?.stop();
  });

  it("subject route - names exactly the capturing stream, the two matching consumers and the core subscriber", async () => {
    await waitFor("the sampler to have read the four consumers", () => {
      const sampled = rt.hub.getState("consumers")?.consumers.filter((c) => c.stream === "ORDERS" || c.stream === "BILLING");
      return sampled?.length === 4;
    });
    const res = await ask("orders.eu.created");
    expect(res.status).toBe(200);
    const answer = (await res.json()) as SubjectRoute;
    expect(answer.streams.map((s) => [s.name, s.filters])).toEqual([["ORDERS", ["orders.>"]]]);
    expect(answer.consumers.map((c) => [c.stream, c.name, c.filters]).sort()).toEqual([
      ["ORDERS", "created", ["orders.*.created"]],
      ["ORDERS", "eu", ["orders.eu.>"]],
    ]);
    expect(answer.subscribers).toMatchObject({ source: "system", account: "APP", subscriptions: 1, queue_groups: ["workers"], errors: [] });
    expect(answer.subscribers.connections.map((c) => [c.name, c.subscriptions.map((s) => [s.subject, s.queue])])).toEqual([
      ["order-worker", [["orders.*.created", "workers"]]],
    ]);
  });

  it("subject route - a malformed subject is a 400 naming the problem", async () => {
    const res = await ask("foo.>.bar");
    expect(res.status).toBe(400);
    expect((await res.json()).reason).toBe('subject: ">" must be the last token (it is token 2 of 3)');
  });
});
