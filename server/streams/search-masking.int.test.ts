import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { headers, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import type { SearchEvent } from "../../lib/streams/messages";
import { DEFAULT_REDACTION } from "../../lib/security/redaction";
import { SearchQuerySchema } from "../../lib/streams/queries";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { compileRedaction } from "../redaction";
import { compileMatcher, searchStream } from "./search";
import { MaskedFieldPredicateError } from "../errors";

const STREAM = "VAULT";
const enc = new TextEncoder();
const SECRET = "hunter2-Zq";

/** What a search answers, without what differs by run (nothing should differ by the guess). */
async function answer(
  js: JetStreamClient,
  jsm: JetStreamManager,
  q: Record<string, string>,
): Promise<{ matched: number[]; done: SearchEvent | undefined }> {
  const events: SearchEvent[] = [];
  for await (const e of searchStream(js, jsm, STREAM, SearchQuerySchema.parse(q), new AbortController().signal)) events.push(e);
  return { matched: events.flatMap((e) => (e.type === "match" ? [e.message.seq] : [])), done: events.at(-1) };
}

describe("search decides on masked values", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    server = await startNatsServer({});
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await jsm.streams.add({ name: STREAM, subjects: ["vault.>"] });
    await js.publish("vault.login", enc.encode(JSON.stringify({ user: "ada", password: SECRET, creds: { api_key: SECRET } })));
    await js.publish("vault.login", enc.encode(`user=bob password=${SECRET} ok`));
    const h = headers();
    h.set("Authorization", SECRET);
    await js.publish("vault.login", enc.encode(JSON.stringify({ user: "cy" })), { headers: h });
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("search - a substring search for a masked secret answers exactly as one for a wrong guess", async () => {
    const right = await answer(js, jsm, { q: SECRET });
    const wrong = await answer(js, jsm, { q: "hunter3-Zq" });
    expect(right).toEqual(wrong);
    expect(right.matched).toEqual([]);
    // Prefixes are no oracle either.
    expect(await answer(js, jsm, { q: "hunter" })).toEqual(wrong);
  });

  it("search - the masked text itself is what a substring matches", async () => {
    expect((await answer(js, jsm, { q: "(redacted)" })).matched).toEqual([1, 2]);
    expect((await answer(js, jsm, { q: '"user":"ada"' })).matched).toEqual([1]);
  });

  it("search - a predicate on a masked field is refused before any NATS work, at any depth", () => {
    const rules = compileRedaction(DEFAULT_REDACTION);
    for (const q of ['password >= "m"', 'user == "ada" && creds.api_key ~= "h"', "!Password", "creds.apiKey == null"]) {
      expect(() => compileMatcher({ q, mode: "predicate" }, rules), q).toThrow(MaskedFieldPredicateError);
    }
    expect(() => compileMatcher({ q: 'password >= "m"', mode: "predicate" }, rules)).toThrow(/"password" is masked/);
    expect(() => compileMatcher({ q: 'user == "ada"', mode: "predicate" }, rules)).not.toThrow();
  });

  it("search - a predicate on an unmasked field still selects", async () => {
    expect((await answer(js, jsm, { q: 'user == "ada"', mode: "predicate" })).matched).toEqual([1]);
  });
});
