/**
 * The subject tap against a real nats-server: published subjects show in the tree with their counts, internal
 * traffic apart; a burst above the budget pauses (one subject) or narrows (several) the tap with the rate it
 * saw, and it comes back after the back-off; a tail subscribes its subject alone, bounded by a server-side limit;
 * the tail route validates, masks and follows one subject.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { Hub } from "../hub/hub";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { createRuntime, installRuntime, type Runtime } from "../runtime";
import { waitFor } from "../../testing/wait-for";
import { startSubjectTap, type SubjectTap } from "./subject-tap";
import { createSubjectTails, TAIL_DELIVER_MAX, TAIL_MAX_RATE, type TailItem } from "./subject-tail";
import { GET as tailGet } from "../../app/api/bus/subject-tap/tail/route";
import type { BusSubjectsSnapshot, SubjectTailEvent } from "../../lib/bus/subject-tap";

const countOf = (snap: BusSubjectsSnapshot, subject: string) => {
  const s = snap.subjects.find((x) => x.subject === subject);
  return s ? Math.round((s.msgs_per_s * snap.span_ms) / 1000) : 0;
};

describe("subject tap (integration)", () => {
  let server: NatsServerHandle;
  let tapConn: NatsConnection;
  let pub: NatsConnection;
  const taps: SubjectTap[] = [];

  beforeAll(async () => {
    server = await startNatsServer({});
    tapConn = await connect({ servers: server.url, name: "tap" });
    pub = await connect({ servers: server.url, name: "publisher" });
  });
  afterAll(async () => {
    taps.forEach((t) => t.stop());
    await tapConn?.close();
    await pub?.close();
    await server?.stop();
  });

  /** Messages the server has sent the tap's connection (its /connz out_msgs). */
  const sentToTap = async (): Promise<number> => {
    const connz = (await (await fetch(`${server.monitorUrl}/connz`)).json()) as { connections: { name?: string; out_msgs: number }[] };
    return connz.connections.find((c) => c.name === "tap")!.out_msgs;
  };

  const tap = (subjects: string[], maxRate: number) => {
    const hub = new Hub();
    const t = startSubjectTap({
      nc: tapConn,
      hub,
      subjects,
      maxRate,
      offReason: "",
      own: ["busdeck"],
      intervalMs: 200,
      windowMs: 60_000,
      policy: { backoffMs: 1_000 },
    });
    taps.push(t);
    return { t, snap: () => hub.getState("bus_subjects")! };
  };

  it("subject tap - published subjects show in the tree with their counts; internal and own traffic apart", async () => {
    const { t, snap } = tap([">"], 20_000);
    await tapConn.flush();
    const sends: [string, number][] = [
      ["orders.eu.created", 30],
      ["orders.us.created", 10],
      ["pay.done", 5],
      ["_INBOX.abc", 4],
      ["busdeck.samples", 3],
    ];
    for (const [subject, n] of sends) for (let i = 0; i < n; i++) pub.publish(subject, "x".repeat(10));
    await pub.flush();
    const s = await waitFor("the three subjects counted", async () => {
      const v = snap();
      return countOf(v, "orders.eu.created") === 30 && countOf(v, "orders.us.created") === 10 && countOf(v, "pay.done") === 5 && v;
    });
    expect(s.subjects.map((x) => x.subject)).toEqual(["orders.eu.created", "orders.us.created", "pay.done"]);
    expect(Math.round((s.subjects[0]!.bytes_per_s * s.span_ms) / 1000)).toBe(300);
    expect(Math.round((s.internal.msgs_per_s * s.span_ms) / 1000)).toBe(7);
    expect(s.tap).toMatchObject({ mode: "on", active: [">"], max_rate: 20_000 });
    t.stop();
  });

  it("subject tap - a burst above the budget pauses the tap with the rate it saw; after the back-off it is on again", async () => {
    const { t, snap } = tap([">"], 500);
    await tapConn.flush();
    const sentBefore = await sentToTap();
    for (let i = 0; i < 20_000; i++) pub.publish("burst.x", "y");
    await pub.flush();
    const paused = await waitFor("paused", async () => snap().tap.mode === "paused" && snap());
    expect(paused.tap.reason).toMatch(/^saw [\d,]+ msg\/s, over the budget of 500 msg\/s: paused$/);
    expect(paused.tap.seen!.msgs_per_s).toBeGreaterThan(500);
    expect(paused.tap.active).toEqual([]);
    // The tap stopped at its budget: one interval's (200 ms of 500/s = 100 messages), not the burst.
    expect(countOf(paused, "burst.x")).toBeLessThanOrEqual(100);
    // And the server itself sent it no more than that (its delivery limit), not the 20,000 of the burst.
    expect((await sentToTap()) - sentBefore).toBeLessThanOrEqual(100);
    const again = await waitFor("on after the back-off", async () => snap().tap.mode === "on" && snap());
    expect(again.tap.seen?.msgs_per_s).toBe(paused.tap.seen!.msgs_per_s);
    t.stop();
  });

  it("subject tap - with several subjects, the loud one is left out (narrowed) and the quiet one still counted", async () => {
    const { t, snap } = tap(["quiet.>", "loud.>"], 500);
    await tapConn.flush();
    for (let i = 0; i < 20; i++) pub.publish("quiet.a", "q");
    await pub.flush();
    // The quiet subject's messages in an interval of their own, then the loud burst in another.
    await waitFor("the quiet messages counted", async () => countOf(snap(), "quiet.a") === 20);
    for (let i = 0; i < 20_000; i++) pub.publish("loud.a", "l");
    await pub.flush();
    const narrowed = await waitFor("narrowed", async () => snap().tap.mode === "narrowed" && snap());
    expect(narrowed.tap.active).toEqual(["quiet.>"]);
    expect(narrowed.tap.reason).toMatch(/over the budget of 500 msg\/s: left out loud\.> \([\d,]+ msg\/s\)$/);
    await tapConn.flush();
    for (let i = 0; i < 5; i++) pub.publish("quiet.a", "q");
    for (let i = 0; i < 50; i++) pub.publish("loud.a", "l");
    await pub.flush();
    const quiet = await waitFor("the quiet subject still counted", async () => countOf(snap(), "quiet.a") === 25 && snap());
    expect(countOf(quiet, "loud.a")).toBeLessThanOrEqual(100);
    t.stop();
  });

  it("subject tail - with no tap running, a tail subscribes its subject alone: 20 passed on, the server sends it at most its limit", async () => {
    // No re-arm during the test: the first second's limit is all the server may send.
    const tails = createSubjectTails({ nc: tapConn, configured: ["flood.>"], intervalMs: 600_000 });
    const abort = new AbortController();
    const items: TailItem[] = [];
    const reading = (async () => {
      for await (const item of tails.tail("flood.a", abort.signal)) items.push(item);
    })();
    await tapConn.flush();
    const sentBefore = await sentToTap();
    for (let i = 0; i < 5_000; i++) pub.publish("flood.a", String(i));
    pub.publish("flood.b", "not tailed");
    await pub.flush();
    const skipped = () => items.reduce((n, i) => n + (i.type === "skipped" ? i.count : 0), 0);
    const messages = () => items.flatMap((i) => (i.type === "message" ? [i.message] : []));
    await waitFor("the limit's messages passed on or skipped", () => messages().length + skipped() === TAIL_DELIVER_MAX);
    expect(messages().length).toBe(TAIL_MAX_RATE);
    expect(messages().map((m) => m.subject)).toEqual(Array(TAIL_MAX_RATE).fill("flood.a"));
    expect(new TextDecoder().decode(messages()[0]!.data)).toBe("0");
    expect((await sentToTap()) - sentBefore).toBeLessThanOrEqual(TAIL_DELIVER_MAX);
    expect(tails.open()).toBe(1);
    abort.abort();
    await reading;
    expect(tails.open()).toBe(0);
    tails.stop();
  });
});

describe("subject tap narrowing > (integration)", () => {
  let server: NatsServerHandle;
  let tapConn: NatsConnection;
  let pub: NatsConnection;
  let t: SubjectTap | null = null;

  beforeAll(async () => {
    server = await startNatsServer({});
    tapConn = await connect({ servers: server.url, name: "tap" });
    pub = await connect({ servers: server.url, name: "publisher" });
  });
  afterAll(async () => {
    t?.stop();
    await tapConn?.close();
    await pub?.close();
    await server?.stop();
  });

  it("subject tap - a single > over budget narrows to the prefixes that fit, leaving the firehose out", async () => {
    const hub = new Hub();
    t = startSubjectTap({ nc: tapConn, hub, subjects: [">"], maxRate: 2_000, offReason: "", own: [], intervalMs: 1_000, windowMs: 60_000 });
    const snap = () => hub.getState("bus_subjects")!;
    await tapConn.flush();
    // Quiet subjects first, counted in an interval before the firehose's: the narrowed set is built from the
    // window too, not only from the tripping interval (where the quiet ones sent nothing).
    for (let i = 0; i < 5; i++) pub.publish("orders.eu.created", "o");
    for (let i = 0; i < 5; i++) pub.publish("pay.done", "p");
    await pub.flush();
    await waitFor("the quiet subjects counted", async () => snap().subjects.length === 2);
    for (let i = 0; i < 20_000; i++) pub.publish("firehose.x", "f");
    await pub.flush();
    const narrowed = await waitFor("narrowed", async () => snap().tap.mode === "narrowed" && snap());
    expect([...narrowed.tap.active].sort()).toEqual(["orders.>", "pay.>"]);
    expect(narrowed.tap.reason).toMatch(/: left out firehose\.> \([\d,]+ msg\/s\)$/);
    // The narrowed subscriptions are in at the server before the next messages (a PING/PONG round trip).
    await tapConn.flush();
    for (let i = 0; i < 1_000; i++) pub.publish("firehose.x", "f");
    pub.publish("orders.us.created", "o");
    await pub.flush();
    const after = await waitFor("the kept prefix still counted", async () => {
      const v = snap();
      return v.subjects.some((s) => s.subject === "orders.us.created") && v;
    });
    expect(after.tap.mode).toBe("narrowed");
  });
});

describe("subject tail route (integration)", () => {
  let server: NatsServerHandle;
  let leader: Runtime;
  let rt: Runtime;
  let pub: NatsConnection;

  // The route is served by a follower: the elected sampler (another runtime) runs the tap, the follower does not.
  beforeAll(async () => {
    server = await startNatsServer({});
    const env = { NATS_URL: server.url, BUSDECK_HISTORY: "0", BUSDECK_SUBJECT_TAP: "tail.>" };
    leader = await createRuntime({ ...env, BUSDECK_FLEET_ID: "tail-leader" });
    await waitFor("the leader taps", async () => leader.subjectTap() !== null);
    rt = await createRuntime({ ...env, BUSDECK_FLEET_ID: "tail-follower" });
    installRuntime(rt);
    await waitFor("the follower's tails ready", async () => rt.subjectTails() !== null && rt.fleet() !== null);
    pub = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await pub?.close();
    await rt?.stop();
    await leader?.stop();
    installRuntime(null);
    await server?.stop();
  });

  const tail = (subject: string, signal?: AbortSignal) =>
    tailGet(new Request(`http://busdeck.test/api/bus/subject-tap/tail?subject=${encodeURIComponent(subject)}`, { signal }));

  it("subject tail - a malformed subject, or one outside the tapped subjects, is a 400 naming the problem", async () => {
    const bad = await tail("tail.>.x");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('\\">\\" must be the last token (it is token 2 of 3)');
    const outside = await tail("orders.x");
    expect(outside.status).toBe(400);
    expect(JSON.stringify(await outside.json())).toContain("not within the tapped subjects (tail.>)");
  });

  it("subject tail - on a follower, which runs no tap, a subject's messages arrive masked, and only that subject's", async () => {
    expect(rt.fleet()!.status().role).toBe("follower");
    expect(rt.subjectTap()).toBeNull();
    const abort = new AbortController();
    const res = await tail("tail.a.*", abort.signal);
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const events: SubjectTailEvent[] = [];
    let buffered = "";
    const publisher = setInterval(() => {
      pub.publish("tail.b.x", JSON.stringify({ other: true }));
      pub.publish("tail.a.x", JSON.stringify({ order: 7, password: "hunter2" }));
    }, 50);
    try {
      while (events.length < 2) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        const frames = buffered.split("\n\n");
        buffered = frames.pop()!;
        for (const f of frames) if (f.startsWith("data: ")) events.push(JSON.parse(f.slice(6)));
      }
    } finally {
      clearInterval(publisher);
      abort.abort();
      await reader.cancel().catch(() => undefined);
    }
    const messages = events.flatMap((e) => (e.type === "message" ? [e.message] : []));
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m.subject).toBe("tail.a.x");
      expect(m.payload.text).toContain('"order":7');
      expect(m.payload.text).not.toContain("hunter2");
      expect(m.redacted).toBe(1);
    }
  });
});
