/**
 * The server's node flags are written out where it is started (package.json's `up` and `start`, the Dockerfile's
 * CMD) and where tests and benches start it (SERVER_NODE_FLAGS): NODE_OPTIONS does not take these V8 flags. Tests
 * measure the server users get only while all of them say the same.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "../testing/app/app-process";

const flags = SERVER_NODE_FLAGS.join(" ");
const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;

describe("server node flags", () => {
  it.each(["up", "start"])("package.json's %s runs next with SERVER_NODE_FLAGS", (name) => {
    expect(scripts[name]).toContain(`node ${flags} node_modules/next/dist/bin/next start`);
  });

  it("the Dockerfile's CMD runs server.js with SERVER_NODE_FLAGS", () => {
    const cmd = readFileSync("Dockerfile", "utf8")
      .split("\n")
      .find((line) => line.startsWith("CMD "));
    expect(cmd).toContain(`exec node ${flags} server.js`);
  });

  it("the consumer sampler bench runs with them too (its figures are the server's)", () => {
    expect(scripts["bench:consumer-sampler"]).toContain(
      `node --conditions=react-server ${SERVER_NODE_FLAGS.filter((f) => f !== "--no-flush-bytecode").join(" ")} --import tsx`,
    );
  });
});
