import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { REDACTED } from "../security/redaction";
import { redriveCommand, shellQuote, streamGetCommand } from "./cli";

/** What a POSIX shell makes of `word`: the argument a program would receive. */
const shellReads = (word: string): string => execFileSync("sh", ["-c", `printf %s ${word}`], { encoding: "utf8" });

describe("copy as CLI", () => {
  it("copy as CLI - plain names stay bare", () => {
    expect(streamGetCommand("ORDERS", 42)).toBe("nats stream get ORDERS 42");
    expect(shellQuote("orders.created.eu")).toBe("orders.created.eu");
  });

  it("copy as CLI - spaces, quotes, dollars and backticks reach the program unchanged", () => {
    for (const value of [`it's "quoted"`, "two words", "$HOME `id` \\n", "a'b'c", "", "Ünïcode ✓"]) {
      expect(shellReads(shellQuote(value))).toBe(value);
    }
    expect(streamGetCommand("my stream", 7)).toBe("nats stream get 'my stream' 7");
  });

  it("copy as CLI - a redrive reads the payload with the CLI and publishes it with the copy's headers, masked values left out", () => {
    const { command, masked_headers } = redriveCommand({
      stream: "ORDERS",
      seq: 42,
      subject: "orders.created",
      headers: {
        "X-Note": [`it's late`],
        Authorization: [REDACTED],
        "Nats-Msg-Id": ["ORDERS:42:redrive:1"],
      },
    });
    expect(command).toBe(
      "nats stream get ORDERS 42 --json | jq -r .data | base64 -d | " +
        `nats pub orders.created --force-stdin --no-templates -H 'X-Note:it'\\''s late' -H Nats-Msg-Id:ORDERS:42:redrive:1`,
    );
    expect(masked_headers).toEqual(["Authorization"]);
  });

  it("copy as CLI - the publish turns off nats pub's Go templates, so a payload or subject holding {{ goes out as stored", () => {
    const { command } = redriveCommand({ stream: "ORDERS", seq: 1, subject: "orders.{{.Count}}", headers: {} });
    const publish = command.slice(command.indexOf("| nats pub "));
    expect(publish).toBe("| nats pub 'orders.{{.Count}}' --force-stdin --no-templates");
  });
});
