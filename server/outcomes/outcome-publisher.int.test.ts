/**
 * `npm run outcomes:publish` against a real nats-server: an outcome log piped in is stored on the contract
 * subjects once, bad lines are named by number and skipped, and a second run stores nothing twice.
 */
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { OUTCOME_TEST_PREFIX, OUTCOME_TEST_STREAM, useOutcomeNats } from "../../testing/nats/outcome-nats";
import { parseOutcome } from "../../lib/outcomes/outcome";

const outcome = (handler: string, i: number) =>
  JSON.stringify({
    handler_id: handler,
    severity: "warn",
    kind: "logged",
    target: `dev-${i}`,
    event: { subject: "sensory.link", id: `ev-${i}` },
    emitted_at: new Date(Date.UTC(2026, 11, 7, 10, 0, i)).toISOString(),
    duration_ms: 12,
  });

/** Runs the CLI with `stdin` piped in; resolves with its exit code and output. */
function runCli(url: string, stdin: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      "npx",
      ["tsx", "scripts/outcomes-publish.ts", "--url", url, ...args],
      { timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

describe("outcomes:publish (integration)", () => {
  const nats = useOutcomeNats();
  const log = [outcome("link_down", 1), "", outcome("bgp_drop", 2), '{"handler_id":"x","severity":"loud"}', outcome("link_down", 1)].join(
    "\n",
  );

  it("stores each good line once on <prefix>.<handler>, names the bad line, and a second run stores nothing twice", async () => {
    const first = await runCli(nats.srv.url, log);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/^line 4: skipped: severity: /m);
    expect(first.stdout).toContain(
      `published 2 outcomes stored in ${OUTCOME_TEST_STREAM}; 1 already stored (not stored twice); 1 bad lines skipped`,
    );
    const info = await nats.jsm.streams.info(OUTCOME_TEST_STREAM);
    expect(info.state.messages).toBe(2);
    const stored = await nats.jsm.streams.getMessage(OUTCOME_TEST_STREAM, { seq: 1 });
    expect(stored?.subject).toBe(`${OUTCOME_TEST_PREFIX}.link_down`);
    expect(stored?.header.get("Nats-Msg-Id")).toMatch(/^outcome-[0-9a-f]{32}$/);
    // busdeck reads it as a valid outcome.
    const record = parseOutcome({ id: "1", subject: stored!.subject, data: stored!.data, received_at: "", prefix: OUTCOME_TEST_PREFIX });
    expect(record.valid).toBe(true);

    const again = await runCli(nats.srv.url, log);
    expect(again.stdout).toContain("published 0 outcomes");
    expect((await nats.jsm.streams.info(OUTCOME_TEST_STREAM)).state.messages).toBe(2);
  });

  it("without a stream on the subjects, publishes live on core NATS and says so", async () => {
    const received: string[] = [];
    const sub = nats.nc.subscribe("live.outcome.>", { callback: (_err, m) => void received.push(m.subject) });
    await nats.nc.flush();
    const run = await runCli(nats.srv.url, outcome("link_down", 3), ["--prefix", "live.outcome"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("on core NATS (no stream captures these subjects: live only)");
    await nats.nc.flush();
    sub.unsubscribe();
    expect(received).toEqual(["live.outcome.link_down"]);
  });
});
