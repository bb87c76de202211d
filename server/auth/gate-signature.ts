/**
 * Binds the identity headers to the gate: proxy.ts signs role and user with an HMAC keyed by a random secret
 * made once per process, and server code believes them only with a valid signature. A path the gate skips (or
 * any future bypass) then cannot be handed a role by the client. The key is shared by proxy.ts and the route
 * handlers (separate module instances) through server/process-shared.ts.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { processShared } from "../process-shared";

function gateKey(): Buffer {
  const shared = processShared();
  return (shared.gateKey ??= randomBytes(32));
}

/** `user` as sent in the header (percent-encoded). */
export function signIdentity(role: string, user: string): string {
  return createHmac("sha256", gateKey()).update(`${role}\n${user}`).digest("base64url");
}

export function identitySignatureValid(role: string, user: string, signature: string | null): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signIdentity(role, user));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
