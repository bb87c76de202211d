import { describe, expect, it, vi } from "vitest";
import { IDENTITY_SIGNATURE_HEADER, ROLE_HEADER, USER_HEADER } from "../../lib/security/auth";
import { processShared } from "../process-shared";
import { identitySignatureValid, signIdentity } from "./gate-signature";
import { requestIdentity } from "./identity";

const request = (headers: Record<string, string>) => new Request("http://busdeck.test/api/annotations", { method: "POST", headers });

describe("gate signature", () => {
  it("gate signature - role headers without the gate's signature are ignored", () => {
    // main believed any x-busdeck-role that reached server code, e.g. on a path the gate skipped.
    expect(requestIdentity(request({ [ROLE_HEADER]: "operator", [USER_HEADER]: "mallory" }))).toBeNull();
    expect(
      requestIdentity(request({ [ROLE_HEADER]: "operator", [USER_HEADER]: "mallory", [IDENTITY_SIGNATURE_HEADER]: "forged" })),
    ).toBeNull();
  });

  it("gate signature - a signature covers role and user together", () => {
    const sig = signIdentity("viewer", "bob");
    expect(identitySignatureValid("viewer", "bob", sig)).toBe(true);
    expect(identitySignatureValid("operator", "bob", sig)).toBe(false);
    expect(identitySignatureValid("viewer", "ann", sig)).toBe(false);
    expect(requestIdentity(request({ [ROLE_HEADER]: "operator", [USER_HEADER]: "bob", [IDENTITY_SIGNATURE_HEADER]: sig }))).toBeNull();
  });

  it("gate signature - the key is shared by every module instance in the process", async () => {
    const sig = signIdentity("operator", "ann");
    expect(processShared().gateKey).toBeInstanceOf(Buffer);
    // A second module instance (as Next gives proxy.ts and route handlers) checks with the same key.
    vi.resetModules();
    const again = await import("./gate-signature");
    expect(again.signIdentity).not.toBe(signIdentity);
    expect(again.identitySignatureValid("operator", "ann", sig)).toBe(true);
  });
});
