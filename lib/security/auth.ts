/**
 * Who may see what: auth modes, credential checks and role decisions. Pure (no IO, no Node APIs), so the
 * proxy, server config and unit tests share one implementation. Reading a users file and deriving the
 * session cookie value happen in server/auth/.
 */

export const AUTH_MODES = ["none", "token", "basic", "proxy"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export const ROLES = ["viewer", "operator"] as const;
export type Role = (typeof ROLES)[number];

/** Request headers proxy.ts sets for server code (and strips from what clients send). */
export const ROLE_HEADER = "x-busdeck-role";
export const USER_HEADER = "x-busdeck-user";
/** HMAC of role and user by the gate's per-process key (server/auth/gate-signature.ts). */
export const IDENTITY_SIGNATURE_HEADER = "x-busdeck-identity-sig";
/** The token session cookie. `__Host-` (no Domain, Path=/, Secure) needs HTTPS, so plain-HTTP loopback uses the bare name. */
export const SESSION_COOKIE = "busdeck_session";
export const SECURE_SESSION_COOKIE = "__Host-busdeck_session";
export const sessionCookieName = (secure: boolean) => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);
export const TOKEN_PARAM = "token";

export interface AuthUser {
  name: string;
  password: string;
  role: Role;
}

export type AuthConfig =
  | { mode: "none"; /** Host names served besides loopback ones (BUSDECK_ALLOWED_HOSTS). */ allowedHosts: string[] }
  | {
      mode: "token";
      /** Grants viewer. */
      token: string;
      /** Grants operator (BUSDECK_AUTH_OPERATOR_TOKEN); without it every token visitor is a viewer. */
      operatorToken?: string;
      session: SessionSettings;
    }
  | { mode: "basic"; users: AuthUser[] }
  | { mode: "proxy"; userHeader: string; roleHeader?: string };

/** The `?token=` visit's cookie: how long it lasts, and a generation whose change revokes every cookie issued. */
export interface SessionSettings {
  ttlMs: number;
  epoch: string;
}

export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthConfigError";
  }
}

export interface AuthEnv {
  BUSDECK_AUTH?: string;
  BUSDECK_AUTH_TOKEN?: string;
  BUSDECK_AUTH_OPERATOR_TOKEN?: string;
  /** Inline `user:password[:role]` entries, one per line; or the text of BUSDECK_AUTH_USERS_FILE. */
  BUSDECK_AUTH_USERS?: string;
  BUSDECK_AUTH_PROXY_HEADER?: string;
  BUSDECK_AUTH_PROXY_ROLE_HEADER?: string;
  BUSDECK_HOST?: string;
  BUSDECK_ALLOWED_HOSTS?: string;
  BUSDECK_AUTH_SESSION_TTL_H?: string;
  BUSDECK_AUTH_SESSION_EPOCH?: string;
}

/** A shared token shorter than this is guessable; refuse it rather than pretend it protects anything. */
export const MIN_TOKEN_LENGTH = 16;
/** Basic passwords are guessed online (throttled), so a shorter floor than the token's. */
export const MIN_PASSWORD_LENGTH = 12;
const DEFAULT_SESSION_TTL_H = 12;

/** A shared token: long enough not to be guessed, printable ASCII without spaces (it travels in headers and URLs). */
function checkedToken(name: string, token: string): string {
  if (token.length < MIN_TOKEN_LENGTH)
    throw new AuthConfigError(`${name}: BUSDECK_AUTH=token needs a token of at least ${MIN_TOKEN_LENGTH} characters`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new AuthConfigError(`${name}: printable ASCII without spaces only`);
  return token;
}

export function parseAuthConfig(env: AuthEnv): AuthConfig {
  const mode = (env.BUSDECK_AUTH || "none") as AuthMode;
  if (!AUTH_MODES.includes(mode)) {
    throw new AuthConfigError(`BUSDECK_AUTH: expected one of ${AUTH_MODES.join("|")}, got "${env.BUSDECK_AUTH}"`);
  }
  switch (mode) {
    case "none": {
      const host = env.BUSDECK_HOST || "127.0.0.1";
      if (!isLoopbackHost(host)) {
        throw new AuthConfigError(
          `BUSDECK_AUTH=none is only allowed when BUSDECK_HOST is a loopback address, but BUSDECK_HOST=${host}; ` +
            "set BUSDECK_AUTH=token|basic|proxy or bind to 127.0.0.1",
        );
      }
      return { mode, allowedHosts: parseAllowedHosts(env.BUSDECK_ALLOWED_HOSTS) };
    }
    case "token": {
      const token = checkedToken("BUSDECK_AUTH_TOKEN", env.BUSDECK_AUTH_TOKEN ?? "");
      if (env.BUSDECK_AUTH_OPERATOR_TOKEN === undefined) return { mode, token, session: parseSessionSettings(env) };
      const operatorToken = checkedToken("BUSDECK_AUTH_OPERATOR_TOKEN", env.BUSDECK_AUTH_OPERATOR_TOKEN);
      if (operatorToken === token) {
        throw new AuthConfigError(
          "BUSDECK_AUTH_OPERATOR_TOKEN: must differ from BUSDECK_AUTH_TOKEN (the viewer token would grant operator)",
        );
      }
      return { mode, token, operatorToken, session: parseSessionSettings(env) };
    }
    case "basic": {
      if (!env.BUSDECK_AUTH_USERS?.trim()) {
        throw new AuthConfigError("BUSDECK_AUTH_USERS: BUSDECK_AUTH=basic needs users (BUSDECK_AUTH_USERS or BUSDECK_AUTH_USERS_FILE)");
      }
      return { mode, users: parseAuthUsers(env.BUSDECK_AUTH_USERS) };
    }
    case "proxy": {
      const userHeader = (env.BUSDECK_AUTH_PROXY_HEADER || "X-Forwarded-User").toLowerCase();
      const roleHeader = env.BUSDECK_AUTH_PROXY_ROLE_HEADER?.toLowerCase() || undefined;
      for (const [name, value] of [
        ["BUSDECK_AUTH_PROXY_HEADER", userHeader],
        ["BUSDECK_AUTH_PROXY_ROLE_HEADER", roleHeader],
      ] as const) {
        if (value !== undefined && !/^[a-z0-9-]+$/.test(value)) throw new AuthConfigError(`${name}: not a header name: "${value}"`);
      }
      return { mode, userHeader, roleHeader };
    }
  }
}

function parseSessionSettings(env: AuthEnv): SessionSettings {
  const hours = env.BUSDECK_AUTH_SESSION_TTL_H ? Number(env.BUSDECK_AUTH_SESSION_TTL_H) : DEFAULT_SESSION_TTL_H;
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 366) {
    throw new AuthConfigError(
      `BUSDECK_AUTH_SESSION_TTL_H: expected hours above 0 (at most a year), got "${env.BUSDECK_AUTH_SESSION_TTL_H}"`,
    );
  }
  return { ttlMs: hours * 3_600_000, epoch: env.BUSDECK_AUTH_SESSION_EPOCH ?? "" };
}

/** BUSDECK_ALLOWED_HOSTS: comma-separated host names (no scheme, no port), lower-cased. */
export function parseAllowedHosts(text: string | undefined): string[] {
  const names = (text ?? "")
    .split(",")
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  for (const name of names) {
    if (!/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/.test(name)) {
      throw new AuthConfigError(`BUSDECK_ALLOWED_HOSTS: "${name}" is not a host name (no scheme, port or path)`);
    }
  }
  return names;
}

/**
 * One `user:password[:role]` entry per line; `#` starts a comment line. The password may contain colons and
 * commas: only a trailing `:viewer` / `:operator` is taken as the role. A line that reads like several
 * comma-separated entries (the old format) is refused rather than guessed at.
 */
export function parseAuthUsers(text: string): AuthUser[] {
  const users: AuthUser[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const entry = raw.trim();
    if (!entry || entry.startsWith("#")) return;
    const where = `BUSDECK_AUTH_USERS line ${i + 1}`;
    const colon = entry.indexOf(":");
    if (colon <= 0) throw new AuthConfigError(`${where}: not user:password[:role]`);
    if (/,\s*[^\s:,]+:/.test(entry.slice(colon + 1))) {
      throw new AuthConfigError(
        `${where}: looks like several entries separated by commas; put one user per line (a password may not contain ", name:")`,
      );
    }
    const name = entry.slice(0, colon);
    if (/\s/.test(name)) throw new AuthConfigError(`${where}: user name "${name}" contains whitespace`);
    let password = entry.slice(colon + 1);
    let role: Role = "viewer";
    const roleMatch = /:(viewer|operator)$/.exec(password);
    if (roleMatch) {
      role = roleMatch[1] as Role;
      password = password.slice(0, -roleMatch[0].length);
    }
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new AuthConfigError(`${where}: user "${name}" needs a password of at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    if (users.some((u) => u.name === name)) throw new AuthConfigError(`BUSDECK_AUTH_USERS: user "${name}" is listed twice`);
    users.push({ name, password, role });
  });
  return users;
}

/** 127.0.0.0/8, ::1 and localhost. Anything else (0.0.0.0, ::, a LAN or pod address) is reachable from elsewhere. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return v4 !== null && v4[1] === "127" && v4.slice(1).every((o) => Number(o) <= 255);
}

/**
 * Equal without an early exit, so response time does not tell how much of a guess was right. The loop runs
 * over the expected value's length whatever the candidate's, so only the secret's length is constant work.
 */
export function constantTimeEqual(candidate: string, expected: string): boolean {
  const a = new TextEncoder().encode(candidate);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i];
  return diff === 0;
}

/** What a request presents; proxy.ts extracts it from the NextRequest. */
export interface PresentedCredentials {
  authorization?: string | null;
  sessionCookie?: string | null;
  queryToken?: string | null;
  /** Lower-cased header name → value, for the proxy mode. */
  headers?: (name: string) => string | null;
}

export type AuthDecision =
  | { ok: true; user: string; role: Role; /** the token came in the URL: set the cookie and redirect without it */ fromQuery?: boolean }
  | { ok: false; reason: string; challenge?: string; /** wrong credentials were sent (counts as a failed login) */ presented?: boolean };

const REALM = 'realm="busdeck"';

/** The role a presented token grants, null for neither; both compared in full, so timing tells nothing. */
function tokenRole(config: Extract<AuthConfig, { mode: "token" }>, presented: string): Role | null {
  const viewer = constantTimeEqual(presented, config.token);
  const operator = config.operatorToken !== undefined && constantTimeEqual(presented, config.operatorToken);
  return operator ? "operator" : viewer ? "viewer" : null;
}

/** Who a token visitor is in the audit trail: which token, never the token. */
const tokenIdentity = (role: Role) => ({ ok: true as const, user: role === "operator" ? "operator-token" : "token", role });

/**
 * `sessionRole` checks the cookie a valid token visit set and says which role it was issued for (signed, dated
 * and revocable in server/auth/session.ts; the cookie is never the token itself).
 */
export function authenticate(config: AuthConfig, creds: PresentedCredentials, sessionRole?: (cookie: string) => Role | null): AuthDecision {
  switch (config.mode) {
    case "none":
      // Loopback only (enforced at start): whoever can reach the port is the local operator.
      return { ok: true, user: "local", role: "operator" };
    case "token": {
      const bearer = /^Bearer\s+(\S+)$/i.exec(creds.authorization ?? "")?.[1];
      if (bearer !== undefined) {
        const role = tokenRole(config, bearer);
        return role ? tokenIdentity(role) : deny("invalid bearer token", "Bearer", true);
      }
      if (creds.queryToken) {
        const role = tokenRole(config, creds.queryToken);
        return role ? { ...tokenIdentity(role), fromQuery: true } : deny("invalid token", "Bearer", true);
      }
      const cookieRole = creds.sessionCookie ? sessionRole?.(creds.sessionCookie) : null;
      if (cookieRole) return tokenIdentity(cookieRole);
      return deny("a token is required: send Authorization: Bearer <token>, or visit once with ?token=<token>", "Bearer");
    }
    case "basic": {
      const basic = parseBasicAuthorization(creds.authorization);
      if (!basic) return deny("credentials are required", "Basic");
      // Compare against every user (no early exit) so timing reveals neither which names exist nor which matched.
      let match: AuthUser | undefined;
      for (const u of config.users) {
        const nameOk = constantTimeEqual(basic.user, u.name);
        const passOk = constantTimeEqual(basic.password, u.password);
        if (nameOk && passOk) match = u;
      }
      return match ? { ok: true, user: match.name, role: match.role } : deny("invalid user or password", "Basic", true);
    }
    case "proxy": {
      const user = creds.headers?.(config.userHeader)?.trim();
      if (!user) return deny(`no ${config.userHeader} header: busdeck must be reached through the authenticating proxy`);
      const roleValue = config.roleHeader ? creds.headers?.(config.roleHeader)?.trim().toLowerCase() : undefined;
      return { ok: true, user, role: roleValue === "operator" ? "operator" : "viewer" };
    }
  }
}

/**
 * Headers that take the server's own requests through the gate: at start-up it asks for its pages over loopback
 * once, as the first visitor would (server/warm-up.ts). Built from the config the server already holds; they never
 * leave the process.
 */
export function selfRequestHeaders(config: AuthConfig): Record<string, string> {
  switch (config.mode) {
    case "none":
      return {};
    case "token":
      return { authorization: `Bearer ${config.token}` };
    case "basic": {
      const u = config.users[0];
      if (!u) return {};
      const utf8 = new TextEncoder().encode(`${u.name}:${u.password}`);
      return { authorization: `Basic ${btoa(String.fromCharCode(...utf8))}` };
    }
    case "proxy":
      return { [config.userHeader]: "busdeck-warm-up" };
  }
}

function deny(reason: string, scheme?: "Basic" | "Bearer", presented?: boolean): AuthDecision {
  const challenge = scheme === "Basic" ? `Basic ${REALM}, charset="UTF-8"` : scheme ? `Bearer ${REALM}` : undefined;
  return presented ? { ok: false, reason, challenge, presented } : { ok: false, reason, challenge };
}

export function parseBasicAuthorization(header: string | null | undefined): { user: string; password: string } | null {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "")?.[1];
  if (!encoded) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Server code reads the role proxy.ts decided; a missing header (a path the proxy skipped) is the least privilege. */
export function roleFrom(headerValue: string | null | undefined): Role {
  return headerValue === "operator" ? "operator" : "viewer";
}

/** The request URL without the `token` parameter, for the redirect after a token visit. */
export function withoutTokenParam(url: URL): URL {
  const next = new URL(url);
  next.searchParams.delete(TOKEN_PARAM);
  return next;
}
