import { TimeoutError } from "@nats-io/nats-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { IDENTITY_SIGNATURE_HEADER, ROLE_HEADER, USER_HEADER } from "../lib/security/auth";
import { signIdentity } from "./auth/gate-signature";
import { MaskingThreadError, NotFoundError, TooManyRequestsError, UnavailableError } from "./errors";
import { REQUEST_ID_HEADER, route } from "./http";

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

afterEach(() => vi.restoreAllMocks());

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
    const handler = route({ role: "operator" }, (_input, { identity }) => ({ user: identity.user }));
    const viewer = await call(handler, "/x", { method: "POST", headers: asRole("viewer", "bob") });
    expect(viewer.status).toBe(403);
    expect(await reasonOf(viewer)).toMatch(/needs role operator; user "bob" has role viewer/);
    // Unsigned identity headers are not an identity: a client cannot claim a role.
    const forged = await call(handler, "/x", { method: "POST", headers: { [ROLE_HEADER]: "operator", [USER_HEADER]: "eve" } });
    expect(forged.status).toBe(403);
    expect(await (await call(handler, "/x", { method: "POST", headers: asRole("operator") })).json()).toEqual({ user: "ann" });
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
