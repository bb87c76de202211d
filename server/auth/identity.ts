/**
 * Who is asking, as proxy.ts decided (it strips these headers from clients and sets them only after a
 * successful check). For server code that needs a role, e.g. operator-only snapshots and annotations later.
 */
import { IDENTITY_SIGNATURE_HEADER, ROLE_HEADER, roleFrom, USER_HEADER, type Role } from "../../lib/security/auth";
import { identitySignatureValid } from "./gate-signature";

export interface Identity {
  user: string;
  role: Role;
}

/**
 * null when the proxy did not authenticate the request (its open paths, e.g. /api/health), or when the identity
 * headers do not carry the gate's signature (a client sent them on a path the gate did not see).
 */
export function requestIdentity(request: Request): Identity | null {
  return identityFromHeaders(request.headers);
}

/** For server components, which get headers() rather than the Request. */
export function identityFromHeaders(headers: Pick<Headers, "get">): Identity | null {
  const role = headers.get(ROLE_HEADER);
  if (role === null) return null;
  const encodedUser = headers.get(USER_HEADER) ?? "";
  if (!identitySignatureValid(role, encodedUser, headers.get(IDENTITY_SIGNATURE_HEADER))) return null;
  let user = encodedUser;
  try {
    user = decodeURIComponent(user);
  } catch {
    // proxy.ts always encodes; keep the raw value rather than fail the request
  }
  return { user, role: roleFrom(role) };
}

/**
 * For routes that change state (snapshots, annotations): the caller's identity when they are an operator,
 * otherwise the 403 to return, with the reason.
 */
export function requireOperator(request: Request): Identity | Response {
  const identity = requestIdentity(request);
  if (identity?.role === "operator") return identity;
  const who = identity ? `user "${identity.user}" has role ${identity.role}` : "the request is not authenticated";
  return Response.json({ error: "forbidden", reason: `this needs role operator; ${who}` }, { status: 403 });
}
