import { describe, expect, it } from "vitest";
import { consumerSummary } from "../../testing/fixtures/consumer";
import { streamSummary } from "../../testing/fixtures/stream";
import type { ConsumerSummary } from "../consumers/types";
import { answerSubjectRoute, MAX_LISTED_SUBSCRIPTIONS, parseSubscriptionsConnzEnvelope, type SubscriptionsReading } from "./subject-route";
import { parseSubject, type Subject } from "./subjects";

const subject = (text: string): Subject => {
  const r = parseSubject(text);
  if (!r.ok) throw new Error(r.problem);
  return r.subject;
};

const filtered = (stream: string, name: string, filters: string[], lag = 0): ConsumerSummary => {
  const c = consumerSummary(stream, name, { lag, lagSeconds: lag ? 12 : 0 });
  return { ...c, config: { ...c.config, filter_subjects: filters } };
};

const STREAMS = [
  streamSummary("ORDERS", { config: { subjects: ["orders.>"] }, rates: { msgs_per_s: 40, bytes_per_s: 4_000 } }),
  streamSummary("EU", { config: { subjects: ["orders.eu.*", "invoices.eu.*"] } }),
  streamSummary("BILLING", { config: { subjects: ["billing.>"] } }),
  streamSummary("ORDERS_MIRROR", { config: { subjects: [], mirror: "ORDERS" } }),
  streamSummary("ARCHIVE", { config: { subjects: [], sources: ["ORDERS_MIRROR", "BILLING"] } }),
];

const CONSUMERS = [
  filtered("ORDERS", "created", ["orders.*.created"], 5),
  filtered("ORDERS", "shipped", ["orders.*.shipped"]),
  filtered("ORDERS", "all", []),
  filtered("EU", "eu-multi", ["invoices.eu.*", "orders.eu.created"]),
  filtered("BILLING", "billing", []),
  filtered("ARCHIVE", "archiver", []),
];

const NO_SUBSCRIBERS: SubscriptionsReading = { source: "system", servers: [], account: "APP" };

const answer = (text: string, subscriptions = NO_SUBSCRIBERS) =>
  answerSubjectRoute({
    subject: subject(text),
    streams: STREAMS,
    streamsSampledAt: "2026-11-23T00:00:00Z",
    consumers: CONSUMERS,
    subscriptions,
  });

describe("subject route", () => {
  it("subject route - a published subject: capturing streams, then their mirror and what sources the mirror", () => {
    const route = answer("orders.eu.created");
    expect(route.streams.map((s) => [s.name, s.filters, s.via?.kind ?? null])).toEqual([
      ["ORDERS", ["orders.>"], null],
      ["EU", ["orders.eu.*"], null],
      ["ORDERS_MIRROR", [], "mirror"],
      ["ARCHIVE", [], "source"],
    ]);
    expect(route.rate).toEqual({ msgs_per_s: 40, stream: "ORDERS", source: "streams sampler" });
  });

  it("subject route - consumers whose filters match, or with no filter on a reaching stream, with lag and health", () => {
    const route = answer("orders.eu.created");
    expect(route.consumers.map((c) => `${c.stream}/${c.name}`)).toEqual([
      "ORDERS/created",
      "ORDERS/all",
      "EU/eu-multi",
      "ARCHIVE/archiver",
    ]);
    expect(route.consumers[0]).toMatchObject({ filters: ["orders.*.created"], lag_messages: 5, lag_seconds: 12, health: { status: "OK" } });
    expect(route.consumers.find((c) => c.name === "eu-multi")?.filters).toEqual(["orders.eu.created"]);
  });

  it("subject route - a wildcard question overlaps filters, and says when a stream captures only part of it", () => {
    const route = answer("orders.*.shipped");
    expect(route.streams.filter((s) => !s.via).map((s) => [s.name, s.covers])).toEqual([
      ["ORDERS", true],
      ["EU", false],
    ]);
    expect(route.consumers.map((c) => c.name)).toEqual(["shipped", "all", "archiver"]);
  });

  it("subject route - a subject nothing captures reaches no stream and no consumer", () => {
    const route = answer("audit.login");
    expect(route.streams).toEqual([]);
    expect(route.consumers).toEqual([]);
    expect(route.rate).toBeNull();
  });

  it("subject route - subscribers: matching subscriptions of busdeck's account only, queue groups noted, truncated servers named", () => {
    const envelope = {
      server: { name: "n1", id: "N1" },
      data: {
        server_id: "N1",
        num_connections: 4,
        total: 1_500,
        connections: [
          {
            cid: 7,
            name: "order-worker",
            account: "APP",
            subscriptions_list_detail: [
              { subject: "orders.>", qgroup: "workers", msgs: 3 },
              { subject: "billing.>", msgs: 1 },
            ],
          },
          { cid: 8, name: "auditor", account: "APP", subscriptions_list_detail: [{ subject: "*.eu.created" }] },
          { cid: 9, name: "other-account", account: "OTHER", subscriptions_list_detail: [{ subject: ">" }] },
          // busdeck's own subject tap on ">" is no receiver of the application's: counted apart, not listed
          { cid: 10, name: "busdeck busdeck-1", account: "APP", subscriptions_list_detail: [{ subject: ">" }] },
        ],
      },
    };
    const parsed = parseSubscriptionsConnzEnvelope(envelope);
    expect(parsed?.ok).toBe(true);
    const reading: SubscriptionsReading = {
      source: "system",
      account: "APP",
      servers: [{ server: "n1", connz: parsed!.ok ? parsed!.data : undefined }],
    };
    const { subscribers } = answer("orders.eu.created", reading);
    expect(subscribers.connections.map((c) => [c.name, c.subscriptions.map((s) => [s.subject, s.queue])])).toEqual([
      ["order-worker", [["orders.>", "workers"]]],
      ["auditor", [["*.eu.created", null]]],
    ]);
    expect(subscribers.subscriptions).toBe(2);
    expect(subscribers.own).toBe(1);
    expect(subscribers.queue_groups).toEqual(["workers"]);
    expect(subscribers.truncated).toEqual(["n1"]);
  });

  it("subject route - a reply that lacks what it needs is an error for that server, not an answer", () => {
    expect(parseSubscriptionsConnzEnvelope({ server: { name: "n1", id: "N1" }, data: { connections: "nope" } })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^connz subscriptions: /),
    });
  });

  it("subject route - past the listing cap, matching subscriptions are counted but not listed", () => {
    const many = Array.from({ length: MAX_LISTED_SUBSCRIPTIONS + 7 }, (_, i) => ({ subject: `orders.${i}.>` }));
    const connz = {
      server_id: "N1",
      num_connections: 1,
      connections: [{ cid: 1, name: "fan", account: "APP", subscriptions_list_detail: [...many, { subject: ">" }] }],
    };
    const { subscribers } = answer("orders.>", { source: "monitor", account: "APP", servers: [{ server: "n1", connz }] });
    expect(subscribers.subscriptions).toBe(MAX_LISTED_SUBSCRIPTIONS + 8);
    expect(subscribers.connections[0]!.subscriptions).toHaveLength(MAX_LISTED_SUBSCRIPTIONS);
    expect(subscribers.unlisted).toBe(8);
  });
});
