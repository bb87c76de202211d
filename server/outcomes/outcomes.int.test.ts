/**
 * Reflex outcomes against a real nats-server: publish valid, errored and malformed outcomes, read them back
 * through the hub (live and history replay) and through the query API functions, with and without the stream.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { headers } from "@nats-io/nats-core";
import { jetstream } from "@nats-io/jetstream";
import { Hub } from "../hub/hub";
import { OUTCOME_TEST_PREFIX, OUTCOME_TEST_STREAM, useOutcomeNats } from "../../testing/nats/outcome-nats";
import { findEventMessage, getOutcome, queryOutcomes, type OutcomeSource } from "./query";
import { seqAtOrAfter } from "./stream-scan";
import type { OutcomeBody } from "../../lib/outcomes/outcome";
import { waitFor } from "../../testing/wait-for";

const STREAM = OUTCOME_TEST_STREAM;
const PREFIX = OUTCOME_TEST_PREFIX;
const enc = new TextEncoder();

const body = (handler: string, kind: string, eventId: string, extra: Partial<OutcomeBody> = {}): OutcomeBody => ({
  handler_id: handler,
  severity: "high",
  kind,
  target: kind === "errored" ? null : "edge-rtr-01|10.0.0.2",
  event: {
    subject: `sensory.snmp.trap.bgp_backward_transition.edge-rtr-01`,
    id: eventId,
    payload: { device: "edge-rtr-01", bgp_peer_state: "idle" },
    received_at: new Date().toISOString(),
  },
  emitted_at: new Date().toISOString(),
  ...extra,
});
const hdrs = (id: string) => {
  const h = headers();
  h.set("Content-Type", "application/json");
  h.set("Nats-Msg-Id", id);
  return h;
};
const TRACEBACK = 'Traceback (most recent call last):\n  File "/app/bgp.py", line 12, in handle\n    peer = p["peer"]\nKeyError: \'peer\'';

describe("reflex outcomes (integration)", () => {
  const nats = useOutcomeNats();

  beforeAll(async () => {
    await nats.jsm.streams.add({ name: "sensory-events", subjects: ["sensory.>"] });
  });

  it("outcomes - history from the stream and live records reach the hub with stream sequences; errored and malformed counted", async () => {
    const js = jetstream(nats.nc);
    // The triggering event, stored with its id as Nats-Msg-Id (as the demo does).
    await js.publish("sensory.snmp.trap.bgp_backward_transition.edge-rtr-01", enc.encode('{"device":"edge-rtr-01"}'), {
      headers: hdrs("evt-1"),
    });
    // History, published before the dashboard starts.
    await js.publish(`${PREFIX}.bgp_drop`, enc.encode(JSON.stringify(body("bgp_drop", "logged", "evt-0"))), { headers: hdrs("o-1") });
    await js.publish(`${PREFIX}.bgp_drop`, enc.encode(JSON.stringify(body("bgp_drop", "errored", "evt-1", { diagnostic: TRACEBACK }))), {
      headers: hdrs("o-2"),
    });
    await js.publish(`${PREFIX}.bgp_drop`, enc.encode("ReflexOutcome(handler_id='bgp_drop')"), { headers: hdrs("o-3") });
    await js.publish(`${PREFIX}.link_down`, new Uint8Array([0x7b, 0xff, 0x7d]), { headers: hdrs("o-4") });

    const hub = new Hub();
    const ingest = nats.startIngest(hub);
    const loaded = await waitFor("history replay", () => {
      const s = hub.getState("outcome_stats");
      return s?.history.mode === "stream" && !s.history.loading && s.total === 4 && s;
    });
    expect(loaded.history).toMatchObject({ mode: "stream", loaded_count: 4 });
    // Folded on the summary's own thread (server/outcomes/outcome-folder.ts), not the inline fallback.
    expect(ingest.foldThread).toBe("worker");
    expect(loaded.stream_available).toBe(true);
    expect(loaded.handlers.bgp_drop).toMatchObject({ total: 3, errored: 1, malformed: 1 });
    expect(loaded.handlers.link_down).toMatchObject({ total: 1, malformed: 1 });
    expect(loaded.groups).toEqual([expect.objectContaining({ handler_id: "bgp_drop", exception: "KeyError: 'peer'", count: 1 })]);

    // Live: a core publish (as the reflex runner does) is captured by the stream and arrives with its sequence.
    nats.nc.publish(
      `${PREFIX}.security_webhook`,
      enc.encode(
        JSON.stringify(
          body("security_webhook", "errored", "evt-9", {
            diagnostic:
              "Traceback (most recent call last):\n  File \"/a.py\", line 1, in f\n    x.get\nAttributeError: 'NoneType' object has no attribute 'get'",
          }),
        ),
      ),
      { headers: hdrs("o-5") },
    );
    const live = await waitFor("live outcome", () => hub.getFeed("outcomes", 100).find((r) => r.handler_id === "security_webhook"));
    expect(live.stream_seq).toBe(5);
    expect(live.id).toBe("5");
    const feed = hub.getFeed("outcomes", 100);
    expect(feed.map((r) => r.id)).toEqual(["1", "2", "3", "4", "5"]);
    const utf8 = feed.find((r) => r.handler_id === "link_down")!;
    expect(!utf8.valid && utf8.error).toBe("not UTF-8");
    // What pages stream: the same outcomes as feed rows, with the exception line and not the whole traceback.
    const rows = await waitFor("feed rows", () => hub.getFeed("outcome_rows", 100).length === 5 && hub.getFeed("outcome_rows", 100));
    expect(rows.map((r) => r.id)).toEqual(["1", "2", "3", "4", "5"]);
    const liveRow = rows.find((r) => r.id === "5")!;
    expect(liveRow).toMatchObject({
      valid: true,
      body: { kind: "errored", exception: "AttributeError: 'NoneType' object has no attribute 'get'" },
    });
    expect(JSON.stringify(liveRow)).not.toContain("Traceback");
  });

  it("outcomes - the query reads a range from the stream, filtered, newest first; one outcome by id; its event message", async () => {
    const src: OutcomeSource = { nc: nats.nc, jsm: nats.jsm, hub: new Hub(), prefix: PREFIX, stream: STREAM };
    const errored = await queryOutcomes(src, { kind: "errored" }, 10, Date.now() + 1000);
    expect(errored.source).toBe("stream");
    expect(errored.records.map((r) => r.id)).toEqual(["5", "2"]);
    expect(errored.timeline.reduce((n, b) => n + b.errored, 0)).toBe(2);
    const byHandler = await queryOutcomes(src, { handler: "bgp_drop", target: "RTR-01" }, 10, Date.now() + 1000);
    expect(byHandler.records.map((r) => r.id)).toEqual(["1"]);
    const empty = await queryOutcomes(
      src,
      { from: new Date(Date.now() - 7_200_000).toISOString(), to: new Date(Date.now() - 3_600_000).toISOString() },
      10,
      Date.now(),
    );
    expect(empty.records).toEqual([]);

    // Without the timeline only the newest matches are read: the newest `limit` sequences first, then further back.
    const newest = await queryOutcomes(src, {}, 2, Date.now() + 1000, { timeline: false });
    expect(newest.records.map((r) => r.id)).toEqual(["5", "4"]);
    expect(newest).toMatchObject({ timeline: [], truncated: false, scanned: { from_seq: 4, to_seq: 5 } });
    const newestErrored = await queryOutcomes(src, { kind: "errored" }, 2, Date.now() + 1000, { timeline: false });
    expect(newestErrored.records.map((r) => r.id)).toEqual(["5", "2"]);
    expect(newestErrored.scanned).toEqual({ from_seq: 1, to_seq: 5 });

    const one = await getOutcome(src, "2");
    expect(one?.valid && one.body.diagnostic).toBe(TRACEBACK);
    expect(one?.headers?.["Nats-Msg-Id"]).toEqual(["o-2"]);
    expect(await getOutcome(src, "999")).toBeNull();

    const ref = await findEventMessage(src, one!);
    expect(ref).toEqual({ stream: "sensory-events", seq: 1, exact: true });
  });

  it("outcomes - seqAtOrAfter finds the first sequence stored at or after a time", async () => {
    expect(await seqAtOrAfter(nats.jsm, STREAM, new Date(Date.now() - 3_600_000).toISOString())).toBe(1);
    const info = await nats.jsm.streams.info(STREAM);
    expect(await seqAtOrAfter(nats.jsm, STREAM, new Date(Date.now() + 60_000).toISOString())).toBe(info.state.last_seq + 1);
  });

  it("outcomes - without the history stream it runs live only and says so", async () => {
    const hub = new Hub();
    nats.startIngest(hub, { prefix: "other.outcome", stream: "NO_SUCH_STREAM" });
    await waitFor("live-only status", () => hub.getState("outcome_stats")?.history.mode === "live_only");
    nats.nc.publish("other.outcome.bgp_drop", enc.encode(JSON.stringify(body("bgp_drop", "errored", "e", { diagnostic: TRACEBACK }))));
    nats.nc.publish("other.outcome.bgp_drop", enc.encode("{not json"));
    const stats = await waitFor("live records", () => {
      const s = hub.getState("outcome_stats");
      return s?.total === 2 && s;
    });
    expect(stats.stream_available).toBe(false);
    expect(stats.handlers.bgp_drop).toMatchObject({ errored: 1, malformed: 1 });
    expect(hub.getFeed("outcomes", 10).map((r) => r.id)).toEqual(["live-1", "live-2"]);
    const q = await queryOutcomes(
      { nc: nats.nc, jsm: nats.jsm, hub, prefix: "other.outcome", stream: "NO_SUCH_STREAM" },
      { handler: "bgp_drop" },
      10,
      Date.now() + 1000,
    );
    expect(q.source).toBe("live");
    expect(q.records.map((r) => r.id)).toEqual(["live-2", "live-1"]);
    expect((await getOutcome({ nc: nats.nc, jsm: nats.jsm, hub, prefix: "other.outcome", stream: "NO_SUCH_STREAM" }, "live-1"))?.id).toBe(
      "live-1",
    );
  });

  it("outcomes - a live outcome reaches the hub's feeds as it arrives, without waiting for the summary's batch", async () => {
    const hub = new Hub();
    // A batch tick far beyond waitFor's timeout: only the per-arrival hand-over can deliver in time.
    nats.startIngest(hub, { prefix: "prompt.outcome", stream: "NO_SUCH_STREAM", batchMs: 600_000 });
    await nats.nc.flush();
    nats.nc.publish("prompt.outcome.bgp_drop", enc.encode(JSON.stringify(body("bgp_drop", "logged", "e-1"))));
    const rows = await waitFor("feed row", () => hub.getFeed("outcome_rows", 10).length === 1 && hub.getFeed("outcome_rows", 10));
    expect(rows[0]).toMatchObject({ handler_id: "bgp_drop", valid: true });
    expect(hub.getFeed("outcomes", 10).map((r) => r.handler_id)).toEqual(["bgp_drop"]);
  });

  it("outcomes - secrets in an event payload and in headers are masked in every record and row that leaves the ingest", async () => {
    const hub = new Hub();
    nats.startIngest(hub, { prefix: "secret.outcome", stream: "NO_SUCH_STREAM" });
    await waitFor("live-only status", () => hub.getState("outcome_stats")?.history.mode === "live_only");
    const h = hdrs("o-secret");
    h.set("Authorization", "Bearer hdr-secret-1");
    const leaky = body("security_webhook", "logged", "e", {
      event: {
        subject: "sensory.meraki.webhook",
        payload: { sharedSecret: "payload-secret-1", nested: [{ api_key: "payload-secret-2" }] },
      },
    });
    nats.nc.publish("secret.outcome.security_webhook", enc.encode(JSON.stringify(leaky)), { headers: h });
    await waitFor("live record", () => hub.getFeed("outcome_rows", 10).length === 1);
    const [record] = hub.getFeed("outcomes", 10);
    const everything = JSON.stringify([
      record,
      hub.getFeed("outcome_rows", 10),
      await getOutcome({ nc: nats.nc, jsm: nats.jsm, hub, prefix: "secret.outcome", stream: "NO_SUCH_STREAM" }, "live-1"),
    ]);
    expect(everything).not.toMatch(/payload-secret|hdr-secret/);
    expect(record?.valid && (record.body.event.payload as { sharedSecret: string }).sharedSecret).toBe("••••• (redacted)");
    expect(record?.headers?.Authorization).toEqual(["••••• (redacted)"]);
    expect(hub.getFeed("outcome_rows", 10)[0]).toMatchObject({ msg_id: "o-secret", body: { target: "edge-rtr-01|10.0.0.2" } });
  });
});
