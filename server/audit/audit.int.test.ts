/**
 * The audit trail against a real nats-server: a note added through the route is recorded in BUSDECK_AUDIT before
 * it runs and with its result before the response; an audit stream that cannot store the record blocks the note.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { POST as addNote } from "../../app/api/annotations/route";
import type { AuditRecord } from "../../lib/audit/records";
import { IDENTITY_SIGNATURE_HEADER, ROLE_HEADER, USER_HEADER } from "../../lib/security/auth";
import { signIdentity } from "../auth/gate-signature";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { createRuntime, installRuntime, type Runtime } from "../runtime";

const postNote = (text: string) =>
  addNote(
    new Request("http://busdeck.test/api/annotations", {
      method: "POST",
      headers: { [ROLE_HEADER]: "operator", [USER_HEADER]: "ann", [IDENTITY_SIGNATURE_HEADER]: signIdentity("operator", "ann") },
      body: JSON.stringify({ text }),
    }),
  );

describe("audit trail", () => {
  let server: NatsServerHandle;
  let rt: Runtime;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const stored = async (): Promise<AuditRecord[]> => (await (await rt.audit()).read(0, Date.now() + 60_000)).records;

  beforeAll(async () => {
    server = await startNatsServer({});
    rt = await createRuntime({ NATS_URL: server.url, BUSDECK_HISTORY: "0" });
    installRuntime(rt);
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    installRuntime(null);
    await nc?.close();
    await rt?.stop();
    await server?.stop();
  });

  it("audit trail - a note add is recorded before it runs and with its result before the response returns", async () => {
    const add = rt.annotations.add.bind(rt.annotations);
    let seenWhileAdding: AuditRecord[] = [];
    vi.spyOn(rt.annotations, "add").mockImplementation(async (...args) => {
      seenWhileAdding = await stored();
      return add(...args);
    });
    const res = await postNote("deploy 1.4.2");
    expect(res.status).toBe(201);
    const note = (await res.json()) as { id: string };
    expect(seenWhileAdding.map((r) => [r.phase, r.action, r.user])).toEqual([["attempt", "note.add", "ann"]]);
    const records = await stored();
    expect(records.map((r) => [r.phase, r.action, r.target, r.status])).toEqual([
      ["attempt", "note.add", "", undefined],
      ["result", "note.add", note.id, 201],
    ]);
    expect(records[1].replica).toBe(rt.replicaId);
    vi.restoreAllMocks();
  });

  it("audit trail - the audit stream denies deletes and purges", async () => {
    const info = await jsm.streams.info("BUSDECK_AUDIT");
    expect(info.config).toMatchObject({ deny_delete: true, deny_purge: true });
    await expect(jsm.streams.deleteMessage("BUSDECK_AUDIT", 1)).rejects.toThrow();
  });

  it("audit trail - an audit stream that no longer takes the records blocks the note add with a clear 503", async () => {
    await jsm.streams.delete("BUSDECK_AUDIT");
    await jsm.streams.add({ name: "BUSDECK_AUDIT", subjects: ["elsewhere.audit"] });
    const res = await postNote("must not be saved");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { reason: string }).reason).toMatch(
      /^audit trail unavailable, so the action was not run: stream BUSDECK_AUDIT did not store the record on busdeck\.audit/,
    );
    expect(rt.annotations.list().map((a) => a.text)).not.toContain("must not be saved");
  });
});
