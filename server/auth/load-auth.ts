/**
 * Node side of auth: reads BUSDECK_AUTH_USERS_FILE and derives the session cookie value. No "server-only"
 * import: proxy.ts (Next's proxy bundle, not the react-server graph) imports this module too.
 */
import { readFileSync } from "node:fs";
import { AuthConfigError, parseAuthConfig, type AuthConfig, type Role } from "../../lib/security/auth";

import { issueSession, sessionValid } from "./session";

export interface LoadedAuth {
  config: AuthConfig;
  /**
   * Token mode: the cookie a valid `?token=` visit gets, signed with the token presented (so a viewer's cookie can
   * never pass for an operator's), and its check: the role it was issued for, null if not valid (server/auth/session.ts).
   */
  session?: { issue(nowMs: number, role: Role): string; role(cookie: string, nowMs: number): Role | null; maxAgeSec: number };
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
  if (config.mode !== "token") return { config };
  const { token, operatorToken, session: settings } = config;
  return {
    config,
    session: {
      issue: (nowMs, role) => issueSession(role === "operator" && operatorToken ? operatorToken : token, settings, nowMs),
      role: (cookie, nowMs) =>
        operatorToken && sessionValid(operatorToken, settings, cookie, nowMs)
          ? "operator"
          : sessionValid(token, settings, cookie, nowMs)
            ? "viewer"
            : null,
      maxAgeSec: Math.floor(settings.ttlMs / 1000),
    },
  };
}

/**
 * The address this process actually listens on, where it can be known: `next start -H x` puts it in argv,
 * a standalone server.js binds HOSTNAME (default 0.0.0.0). `next start` / `next dev` without -H bind every
 * interface. `next dev` serves from a forked start-server.js whose argv has no -H: the parent's does
 * (`parentArgv`, read from /proc on Linux). Elsewhere (tests, or a dev parent that cannot be read)
 * BUSDECK_HOST is taken at its word.
 */
export function detectBindHost(
  argv: string[],
  env: Record<string, string | undefined>,
  parentArgv: () => string[] | undefined = () => readParentArgv(),
): string | undefined {
  const own = hostFromNextCli(argv);
  if (own) return own;
  if (env.__NEXT_PRIVATE_STANDALONE_CONFIG) return env.HOSTNAME || "0.0.0.0";
  if (isDevServerChild(argv, env)) {
    const parent = parentArgv();
    if (parent) return hostFromNextCli(parent) ?? env.BUSDECK_HOST;
  }
  return env.BUSDECK_HOST;
}

/** `-H x` / `--hostname x` / `--hostname=x`, or every interface for `next start|dev` without one. */
function hostFromNextCli(argv: string[]): string | undefined {
  const flag = argv.findIndex((a) => a === "-H" || a === "--hostname");
  if (flag >= 0 && argv[flag + 1]) return argv[flag + 1];
  const inline = argv.find((a) => a.startsWith("--hostname="));
  if (inline) return inline.slice("--hostname=".length);
  const nextCli = argv.findIndex((a) => /next[\\/]dist[\\/]bin[\\/]next$|[\\/]\.bin[\\/]next$/.test(a));
  if (nextCli >= 0 && (argv[nextCli + 1] === "start" || argv[nextCli + 1] === "dev")) return "0.0.0.0";
  return undefined;
}

/** The worker `next dev` forks (NEXT_PRIVATE_WORKER, __NEXT_DEV_SERVER) to run the app. */
function isDevServerChild(argv: string[], env: Record<string, string | undefined>): boolean {
  return env.__NEXT_DEV_SERVER === "1" || argv.some((a) => /next[\\/]dist[\\/]server[\\/]lib[\\/]start-server\.js$/.test(a));
}

function readParentArgv(): string[] | undefined {
  try {
    return readFileSync(`/proc/${process.ppid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return undefined; // not Linux, or no /proc
  }
}
