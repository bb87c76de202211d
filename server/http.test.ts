import { TimeoutError } from "@nats-io/nats-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { IDENTITY_SIGNATURE_HEADER, ROLE_HEADER, USER_HEADER } from "../lib/security/auth";
import { signIdentity } from "./auth/gate-signature";
import { MaskingThreadError, NotFoundError, TooManyRequestsError, UnavailableError } from "./errors";
import { REQUEST_ID_HEADER, route } from "./http";
import type { AuditRecord } from "../lib/audit/records";
import { installRuntime, type Runtime } from "./runtime";

/** A runtime with only what operator writes use: the read-only flag and an audit log kept in `appended`. */
function fakeWriteRuntime(options: { readOnly?: boolean; appendFails?: boolean } = {}) {
  const appended: AuditRecord[] = [];
  const log = {
    append: async (r: AuditRecord) => {
      if (options.appendFails) throw new Error("stream refused the record");
      appended.push(r);
    },
    read: async () => ({ records: appended, complete: true }),
  };
  installRuntime({ config: { readOnly: options.readOnly ?? false }, replicaId: "test#1", audit: async () => log } as unknown as Runtime);
  return appended;
}

const asRole = (role: string, user = "ann") => ({
  [ROLE_HEADER]: role,
  [USER_HEADER]: user,
  [IDENTITY_SIGNATURE_HEADER]: signIdentity(role, user),
});

const call = (handler: ReturnType<typeof route>, path: string, init: RequestInit = {}, params: Record<string, string> = {}) =>
  handler(new Request(`http://busdeck.test${path}`, init), { params: Promise.resolve(params) });

const reasonOf = async (res: Response) => ((await res.json()) as { reason: string }).reason;

const byName = route({ params: z.object({ name: z.string().max(5, "longer than 5 characters") }) }, ({ params }) => ({
  name: params.name,
}));

afterEach(() => {
  vi.restoreAllMocks();
  installRuntime(null);
});

describe("route helper", () => {
  it("route helper - params are percent-decoded and parsed; a bad % or a broken rule is a 400 naming the parameter", async () => {
    expect(await (await call(byName, "/x", {}, { name: "a%20b" })).json()).toEqual({ name: "a b" });
    const badPercent = await call(byName, "/x", {}, { name: "%E0" });
    expect(badPercent.status).toBe(400);
    expect(await reasonOf(badPercent)).toBe("name: not valid percent-encoding");
    const tooLong = await call(byName, "/x", {}, { name: "abcdefgh" });
    expect(tooLong.status).toBe(400);
    expect(await reasonOf(tooLong)).toBe("name: longer than 5 characters");
  });

  it("route helper - query and JSON body are parsed by their schemas, a bad one is a 400 naming the field", async () => {
    const handler = route(
      { query: z.object({ size: z.coerce.number().int().max(10) }), body: z.object({ text: z.string().min(1) }) },
      ({ query, body }) => ({ size: query.size, text: body.text }),
    );
    const post = (path: string, body: string) => call(handler, path, { method: "POST", body });
    expect(await (await post("/x?size=3", '{"text":"hi"}')).json()).toEqual({ size: 3, text: "hi" });
    expect(await reasonOf(await post("/x?size=30", '{"text":"hi"}'))).toMatch(/^size: /);
    expect(await reasonOf(await post("/x?size=3", '{"text":""}'))).toMatch(/^body\.text: /);
    const notJson = await post("/x?size=3", "{");
    expect(notJson.status).toBe(400);
    expect(await reasonOf(notJson)).toMatch(/^body: not JSON/);
  });

  it("route helper - an operator route refuses a viewer and an unauthenticated caller with 403, and hands the operator's identity on", async () => {
    fakeWriteRuntime();
    const handler = route({ role: "operator", action: "note.add" }, (_input, { identity }) => ({ user: identity.user }));
    const viewer = await call(handler, "/x", { method: "POST", headers: asRole("viewer", "bob") });
    expect(viewer.status).toBe(403);
    expect(await reasonOf(viewer)).toMatch(/needs role operator; user "bob" has role viewer/);
    // Unsigned identity headers are not an identity: a client cannot claim a role.
    const forged = await call(handler, "/x", { method: "POST", headers: { [ROLE_HEADER]: "operator", [USER_HEADER]: "eve" } });
    expect(forged.status).toBe(403);
    expect(await (await call(handler, "/x", { method: "POST", headers: asRole("operator") })).json()).toEqual({ user: "ann" });
  });

  it("route helper - read-only mode refuses every write with 403 and the reason, whatever the role, without running it", async () => {
    const appended = fakeWriteRuntime({ readOnly: true });
    const ran = vi.fn(() => ({ ok: true }));
    const handler = route({ role: "operator", action: "note.add" }, ran);
    for (const headers of [asRole("operator"), asRole("viewer", "bob"), {}]) {
      const res = await call(handler, "/x", { method: "POST", headers });
      expect(res.status).toBe(403);
      expect(await reasonOf(res)).toMatch(/read-only \(BUSDECK_READ_ONLY\)/);
    }
    expect(ran).not.toHaveBeenCalled();
    expect(appended).toEqual([]);
    // Reads still answer.
    expect(
      (
        await call(
          route({}, () => ({ read: true })),
          "/x",
        )
      ).status,
    ).toBe(200);
  });

  it("route helper - an operator write is recorded as an attempt before it runs and with its result before the response", async () => {
    const appended = fakeWriteRuntime();
    const seenWhileRunning: string[] = [];
    const handler = route({ role: "operator", action: "snapshot.delete", params: z.object({ id: z.string() }) }, () => {
      seenWhileRunning.push(...appended.map((r) => r.phase));
      return new Response(null, { status: 204 });
    });
    const res = await call(handler, "/x", { method: "DELETE", headers: asRole("operator", "ann") }, { id: "snap1" });
    expect(res.status).toBe(204);
    expect(seenWhileRunning).toEqual(["attempt"]);
    expect(appended.map((r) => [r.phase, r.action, r.target, r.user, r.role, r.replica, r.status])).toEqual([
      ["attempt", "snapshot.delete", "snap1", "ann", "operator", "test#1", undefined],
      ["result", "snapshot.delete", "snap1", "ann", "operator", "test#1", 204],
    ]);
    expect(appended[0].id).toBe(appended[1].id);
  });

  it("route helper - a write whose attempt record cannot be stored does not run and answers 503 naming the audit trail", async () => {
    fakeWriteRuntime({ appendFails: true });
    const ran = vi.fn(() => ({ ok: true }));
    const res = await call(route({ role: "operator", action: "note.add" }, ran), "/x", { method: "POST", headers: asRole("operator") });
    expect(res.status).toBe(503);
    expect(await reasonOf(res)).toMatch(/^audit trail unavailable, so the action was not run: stream refused the record/);
    expect(ran).not.toHaveBeenCalled();
  });

  it("route helper - a refused write's result record carries the status and the reason; a create's carries the new id", async () => {
    const appended = fakeWriteRuntime();
    const failing = route({ role: "operator", action: "note.delete" }, () => {
      throw new NotFoundError("no annotation x");
    });
    expect((await call(failing, "/x", { method: "DELETE", headers: asRole("operator") })).status).toBe(404);
    expect(appended[1]).toMatchObject({ phase: "result", status: 404, reason: "no annotation x" });
    const creating = route({ role: "operator", action: "note.add" }, () => Response.json({ id: "n42" }, { status: 201 }));
    await call(creating, "/x", { method: "POST", headers: asRole("operator") });
    expect(appended[3]).toMatchObject({ phase: "result", status: 201, target: "n42" });
  });

  it("route helper - what a handler throws maps to HTTP by class: NATS → 503 with the reason, not found → 404, caps → 429", async () => {
    const throwing = (err: unknown) => route({}, () => Promise.reject(err));
    const nats = await call(throwing(new TimeoutError()), "/x");
    expect(nats.status).toBe(503);
    expect(await reasonOf(nats)).toMatch(/^NATS: /);
    const masking = await call(throwing(new MaskingThreadError("exited")), "/x");
    expect([masking.status, await reasonOf(masking)]).toEqual([503, "busdeck: the masking thread failed: exited; retry the read"]);
    const store = await call(throwing(new UnavailableError("snapshot store unavailable: gone")), "/x");
    expect([store.status, await reasonOf(store)]).toEqual([503, "snapshot store unavailable: gone"]);
    const missing = await call(throwing(new NotFoundError("no message 9", { next: 10 })), "/x");
    expect([missing.status, await missing.json()]).toEqual([404, { error: "not_found", reason: "no message 9", next: 10 }]);
    const busy = await call(throwing(new TooManyRequestsError("too_many_scans", "too many scans", 7)), "/x");
    expect([busy.status, busy.headers.get("Retry-After")]).toEqual([429, "7"]);
  });

  it("route helper - an error the helper does not know is a 500 whose reason and log line carry the request id", async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    // Same name as a class the helper maps, but not that class: mapping is by class, never by name.
    const impostor = Object.assign(new Error("boom"), { name: "NotFoundError" });
    const res = await call(
      route({}, () => Promise.reject(impostor)),
      "/x",
    );
    const id = res.headers.get(REQUEST_ID_HEADER)!;
    expect(res.status).toBe(500);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await reasonOf(res)).toContain(id);
    expect(lines.join("")).toContain(id);
  });

  it("route helper - every response carries its own X-Request-Id, a stream's too", async () => {
    const sse = route({}, () => new Response(new ReadableStream(), { headers: { "Content-Type": "text/event-stream" } }));
    const [a, b] = [await call(byName, "/x", {}, { name: "a" }), await call(sse, "/x")];
    expect(a.headers.get(REQUEST_ID_HEADER)).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers.get(REQUEST_ID_HEADER)).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers.get(REQUEST_ID_HEADER)).not.toBe(b.headers.get(REQUEST_ID_HEADER));
  });
});
