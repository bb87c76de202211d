import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAuthConfig } from "../../lib/security/auth";
import { parseConfig } from "../config";
import { detectBindHost, loadAuth } from "./load-auth";

describe("auth loading", () => {
  it("auth loading - reads users from BUSDECK_AUTH_USERS_FILE", () => {
    const file = join(mkdtempSync(join(tmpdir(), "busdeck-auth-")), "users");
    writeFileSync(file, "# ops\nann:password-one:operator\nbob:password-two\n");
    const { config } = loadAuth({ BUSDECK_AUTH: "basic", BUSDECK_AUTH_USERS_FILE: file });
    expect(config).toMatchObject({
      mode: "basic",
      users: [
        { name: "ann", role: "operator" },
        { name: "bob", role: "viewer" },
      ],
    });
    expect(() => loadAuth({ BUSDECK_AUTH: "basic", BUSDECK_AUTH_USERS_FILE: join(file, "missing") })).toThrow(
      /BUSDECK_AUTH_USERS_FILE: cannot read/,
    );
  });

  it("auth loading - the session cookie is derived from the token, not the token, and lasts BUSDECK_AUTH_SESSION_TTL_H", () => {
    const a = loadAuth({ BUSDECK_AUTH: "token", BUSDECK_AUTH_TOKEN: "0123456789abcdefX", BUSDECK_AUTH_SESSION_TTL_H: "2" }).session!;
    const b = loadAuth({ BUSDECK_AUTH: "token", BUSDECK_AUTH_TOKEN: "0123456789abcdefY" }).session!;
    const cookie = a.issue(Date.now(), "viewer");
    expect(cookie).not.toContain("0123456789");
    expect(a.role(cookie, Date.now())).toBe("viewer");
    expect(b.role(cookie, Date.now())).toBeNull();
    expect(a.maxAgeSec).toBe(7200);
    expect(b.maxAgeSec).toBe(12 * 3600);
  });

  it("auth loading - an operator visit's cookie is signed with the operator token: it says operator, a viewer's never does", () => {
    const env = { BUSDECK_AUTH: "token", BUSDECK_AUTH_TOKEN: "0123456789abcdefX", BUSDECK_AUTH_OPERATOR_TOKEN: "0123456789abcdefOP" };
    const both = loadAuth(env).session!;
    const viewerOnly = loadAuth({ BUSDECK_AUTH: "token", BUSDECK_AUTH_TOKEN: "0123456789abcdefX" }).session!;
    const now = Date.now();
    expect(both.role(both.issue(now, "operator"), now)).toBe("operator");
    expect(both.role(both.issue(now, "viewer"), now)).toBe("viewer");
    // The operator token removed from the config: its cookies grant nothing.
    expect(viewerOnly.role(both.issue(now, "operator"), now)).toBeNull();
    expect(viewerOnly.role(viewerOnly.issue(now, "operator"), now)).toBe("viewer");
  });

  it("auth loading - the bind host comes from next's -H, standalone HOSTNAME, or BUSDECK_HOST", () => {
    const next = "/app/node_modules/next/dist/bin/next";
    expect(detectBindHost(["node", next, "start", "-p", "3000", "-H", "10.0.0.5"], { BUSDECK_HOST: "127.0.0.1" })).toBe("10.0.0.5");
    expect(detectBindHost(["node", next, "start", "-p", "3000"], {})).toBe("0.0.0.0");
    expect(detectBindHost(["node", "server.js"], { __NEXT_PRIVATE_STANDALONE_CONFIG: "{}" })).toBe("0.0.0.0");
    expect(detectBindHost(["node", "server.js"], { __NEXT_PRIVATE_STANDALONE_CONFIG: "{}", HOSTNAME: "127.0.0.1" })).toBe("127.0.0.1");
    expect(detectBindHost(["node", "vitest"], { BUSDECK_HOST: "::1" })).toBe("::1");
  });

  it("auth loading - next dev's worker takes the bind host from its parent's -H", () => {
    // main read only the worker's own argv (start-server.js, no -H) and trusted BUSDECK_HOST: `next dev -H 0.0.0.0` passed.
    const worker = ["node", "/app/node_modules/next/dist/server/lib/start-server.js"];
    const devEnv = { __NEXT_DEV_SERVER: "1", NEXT_PRIVATE_WORKER: "1", BUSDECK_HOST: "127.0.0.1" };
    const parent = (args: string[]) => () => ["node", "/app/node_modules/.bin/next", "dev", ...args];
    expect(detectBindHost(worker, devEnv, parent(["-H", "0.0.0.0"]))).toBe("0.0.0.0");
    expect(detectBindHost(worker, devEnv, parent(["--hostname=::"]))).toBe("::");
    expect(detectBindHost(worker, devEnv, parent([]))).toBe("0.0.0.0"); // next dev binds every interface without -H
    expect(detectBindHost(worker, devEnv, parent(["-H", "127.0.0.1"]))).toBe("127.0.0.1");
    expect(detectBindHost(worker, devEnv, () => undefined)).toBe("127.0.0.1"); // no /proc: BUSDECK_HOST
  });

  it("auth loading - next dev -H 0.0.0.0 is refused in none mode like next start", () => {
    const worker = ["node", "/app/node_modules/next/dist/server/lib/start-server.js"];
    const devEnv = { __NEXT_DEV_SERVER: "1", BUSDECK_HOST: "127.0.0.1" };
    const parentArgv = () => ["node", "/app/node_modules/next/dist/bin/next", "dev", "-H", "0.0.0.0"];
    expect(() => parseAuthConfig({ ...devEnv, BUSDECK_HOST: detectBindHost(worker, devEnv, parentArgv) })).toThrow(
      /BUSDECK_AUTH=none.*BUSDECK_HOST=0\.0\.0\.0/,
    );
    expect(() => loadAuth(devEnv, ["node", "/app/node_modules/next/dist/bin/next", "dev", "-H", "0.0.0.0"])).toThrow(
      /BUSDECK_HOST=0\.0\.0\.0/,
    );
  });

  it("auth loading - the none check uses the bound address over BUSDECK_HOST", () => {
    const next = "/app/node_modules/next/dist/bin/next";
    expect(loadAuth({ BUSDECK_HOST: "0.0.0.0" }, ["node", next, "start", "-H", "127.0.0.1"]).config.mode).toBe("none");
    expect(() => loadAuth({ BUSDECK_HOST: "127.0.0.1" }, ["node", next, "start", "-H", "0.0.0.0"])).toThrow(/BUSDECK_HOST=0\.0\.0\.0/);
  });

  it("auth loading - start-up refuses auth none off loopback with a ConfigError naming the variables", () => {
    expect(() => parseConfig({ BUSDECK_HOST: "0.0.0.0" }, [])).toThrow(
      expect.objectContaining({ name: "ConfigError", message: expect.stringMatching(/BUSDECK_AUTH=none.*BUSDECK_HOST/) }),
    );
    expect(() => parseConfig({}, ["node", "/x/node_modules/next/dist/bin/next", "start"])).toThrow(/BUSDECK_AUTH=none/);
    expect(parseConfig({ BUSDECK_HOST: "0.0.0.0", BUSDECK_AUTH: "token", BUSDECK_AUTH_TOKEN: "0123456789abcdef" }, []).auth.mode).toBe(
      "token",
    );
    expect(parseConfig({}, []).host).toBe("127.0.0.1");
  });
});
