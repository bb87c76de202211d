import { describe, expect, it } from "vitest";
import { IDENTITY_SIGNATURE_HEADER, ROLE_HEADER, USER_HEADER } from "../../lib/security/auth";
import { signIdentity } from "./gate-signature";
import { requireOperator } from "./identity";

/** Identity headers as proxy.ts sets them: role and user, signed. */
const request = (headers: Record<string, string>) => {
  const role = headers[ROLE_HEADER];
  const signed: Record<string, string> =
    role === undefined ? {} : { [IDENTITY_SIGNATURE_HEADER]: signIdentity(role, headers[USER_HEADER] ?? "") };
  return new Request("http://busdeck.test/api/snapshots", { method: "POST", headers: { ...headers, ...signed } });
};

describe("requireOperator", () => {
  it("requireOperator - an operator passes with their name", () => {
    expect(requireOperator(request({ [ROLE_HEADER]: "operator", [USER_HEADER]: "al%C3%AFce" }))).toEqual({
      user: "alïce",
      role: "operator",
    });
  });

  it("requireOperator - a viewer gets 403 naming the role it needs and the one it has", async () => {
    const res = requireOperator(request({ [ROLE_HEADER]: "viewer", [USER_HEADER]: "token" })) as Response;
    expect(res.status).toBe(403);
    expect((await res.json()).reason).toBe('this needs role operator; user "token" has role viewer');
  });

  it("requireOperator - a request the proxy did not authenticate is refused", async () => {
    const res = requireOperator(request({})) as Response;
    expect(res.status).toBe(403);
    expect((await res.json()).reason).toMatch(/not authenticated/);
  });
});
