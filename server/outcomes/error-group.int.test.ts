/**
 * One error group read from a real nats-server: the handler's stored outcomes of the range whose exception has
 * the group's fingerprint, and none of its other errors or other handlers' errors with the same exception.
 */
import { describe, expect, it } from "vitest";
import { jetstream } from "@nats-io/jetstream";
import { Hub } from "../hub/hub";
import { OUTCOME_TEST_PREFIX, OUTCOME_TEST_STREAM, useOutcomeNats } from "../../testing/nats/outcome-nats";
import { fingerprint, patternId } from "../../lib/outcomes/fingerprint";
import { queryErrorGroup, queryOutcomes, type OutcomeSource } from "./query";

const enc = new TextEncoder();
const errored = (handler: string, exception: string, target: string) =>
  enc.encode(
    JSON.stringify({
      handler_id: handler,
      severity: "high",
      kind: "errored",
      target,
      diagnostic: `Traceback (most recent call last):\n  File "/a.py", line 1, in f\n    g()\n${exception}`,
      event: { subject: "sensory.x", payload: { exception } },
      emitted_at: new Date().toISOString(),
    }),
  );

describe("error group query (integration)", () => {
  const nats = useOutcomeNats();

  it("error-group - the group's stored outcomes of the range, by fingerprint, one handler only", async () => {
    const js = jetstream(nats.nc);
    for (let i = 0; i < 6; i++)
      await js.publish(`${OUTCOME_TEST_PREFIX}.bgp_drop`, errored("bgp_drop", `KeyError: 'peer-${i}'`, i < 4 ? "r1" : "r2"));
    await js.publish(`${OUTCOME_TEST_PREFIX}.bgp_drop`, errored("bgp_drop", "ValueError: other", "r1"));
    await js.publish(`${OUTCOME_TEST_PREFIX}.link_down`, errored("link_down", "KeyError: 'peer-9'", "r1"));
    const src: OutcomeSource = { nc: nats.nc, jsm: nats.jsm, hub: new Hub(), prefix: OUTCOME_TEST_PREFIX, stream: OUTCOME_TEST_STREAM };
    const pattern = fingerprint("KeyError: 'peer-0'").pattern;
    const now = Date.now() + 1_000;

    const d = await queryErrorGroup(src, { handler_id: "bgp_drop", id: patternId(pattern) }, {}, now);
    expect(d).toMatchObject({ pattern: "KeyError: <str>", count: 6, complete: true, other_targets: 0 });
    expect(d.targets).toEqual([
      { target: "r1", count: 4 },
      { target: "r2", count: 2 },
    ]);
    expect(d.records.map((r) => (r.valid ? r.body.diagnostic?.split("\n").at(-1) : null))).toEqual(
      [5, 4, 3, 2, 1, 0].map((i) => `KeyError: 'peer-${i}'`),
    );

    // The feed's exception filter picks the same outcomes.
    const feed = await queryOutcomes(src, { handler: "bgp_drop", exception: pattern }, 100, now);
    expect(feed.records.map((r) => r.id)).toEqual(d.records.map((r) => r.id));
  });
});
