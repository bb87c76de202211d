/**
 * Node side of auth: reads BUSDECK_AUTH_USERS_FILE and derives the session cookie value. No "server-only"
 * import: proxy.ts (Next's proxy bundle, not the react-server graph) imports this module too.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { AuthConfigError, parseAuthConfig, type AuthConfig } from "../../lib/auth";

export interface LoadedAuth {
  config: AuthConfig;
  /** Cookie value a valid `?token=` visit sets: an HMAC of the token, so the cookie is never the token itself. */
  sessionValue?: string;
}

/** `argv` lets the `none` check see the address actually bound (detectBindHost); proxy.ts and config agree on it. */
export function loadAuth(env: Record<string, string | undefined>, argv: string[] = process.argv): LoadedAuth {
  let users = env.BUSDECK_AUTH_USERS;
  const file = env.BUSDECK_AUTH_USERS_FILE;
  if (file) {
    if (users) throw new AuthConfigError("BUSDECK_AUTH_USERS and BUSDECK_AUTH_USERS_FILE: set one, not both");
    try {
      users = readFileSync(file, "utf8");
    } catch (err) {
      throw new AuthConfigError(`BUSDECK_AUTH_USERS_FILE: cannot read ${file}: ${(err as Error).message}`);
    }
  }
  const config = parseAuthConfig({ ...env, BUSDECK_AUTH_USERS: users, BUSDECK_HOST: detectBindHost(argv, env) });
  const sessionValue = config.mode === "token" ? createHmac("sha256", config.token).update("busdeck-session-v1").digest("base64url") : undefined;
  return { config, sessionValue };
}

/**
 * The address this process actually listens on, where it can be known: `next start -H x` puts it in argv,
 * a standalone server.js binds HOSTNAME (default 0.0.0.0). `next start` without -H binds every interface.
 * Elsewhere (dev, tests) BUSDECK_HOST is taken at its word.
 */
export function detectBindHost(argv: string[], env: Record<string, string | undefined>): string | undefined {
  const flag = argv.findIndex((a) => a === "-H" || a === "--hostname");
  if (flag >= 0 && argv[flag + 1]) return argv[flag + 1];
  const inline = argv.find((a) => a.startsWith("--hostname="));
  if (inline) return inline.slice("--hostname=".length);
  if (env.__NEXT_PRIVATE_STANDALONE_CONFIG) return env.HOSTNAME || "0.0.0.0";
  const nextCli = argv.findIndex((a) => /next[\\/]dist[\\/]bin[\\/]next$|[\\/]\.bin[\\/]next$/.test(a));
  if (nextCli >= 0 && argv[nextCli + 1] === "start") return "0.0.0.0";
  return env.BUSDECK_HOST;
}
