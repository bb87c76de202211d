/**
 * Alertmanager forgets a firing alert after its resolve_timeout unless told again: while this replica leads,
 * the alert service re-sends the open findings no silence mutes, in one batch; a follower sends nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../lib/findings/finding";
import { emptyFindingsSnapshot } from "../../lib/findings/finding";
import { waitFor } from "../../testing/wait-for";
import { parseConfig } from "../config";
import { Hub } from "../hub/hub";
import { startNatsServer, type NatsServerHandle } from "../nats-server-process";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { createAlertService, type AlertService } from "./service";
import type { AlertTarget } from "./targets";

const open = (stream: string, rule: Finding["rule"] = "stream_limit"): Finding => ({
  id: `${rule}:stream:${stream}`,
  severity: "warning",
  entity: { kind: "stream", stream },
  rule,
  evidence: "90 % full",
  link: `/streams/${stream}`,
  state: "open",
  since: "2026-12-07T09:00:00.000Z",
  resolved_at: null,
});

describe("alert refresh (integration)", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  const services: AlertService[] = [];
  beforeAll(async () => {
    server = await startNatsServer({});
    nc = await connect({ servers: server.url });
  });
  afterAll(async () => {
    services.forEach((s) => s.stop());
    await nc?.close();
    await server?.stop();
  });

  /** A service on a recording Alertmanager target, refreshing every 50 ms, leading as `leading` says. */
  async function serviceWith(leading: () => boolean) {
    const sent: string[][] = [];
    const target: AlertTarget = {
      kind: "alertmanager",
      info: { kind: "alertmanager", url: "http://am" },
      send: async (findings) => void sent.push(findings.map((f) => f.id)),
    };
    const hub = new Hub();
    const config = parseConfig({ NATS_URL: server.url }).alerts;
    const service = createAlertService({
      nc: Promise.resolve(nc),
      hub,
      config,
      replicas: 1,
      replicaId: "r",
      leading,
      log: () => {},
      targets: [target],
      refreshMs: 50,
    });
    services.push(service);
    await service.start();
    hub.publishState("findings", { ...emptyFindingsSnapshot(), status: "ok", open: [open("A"), open("B"), open("C", "stream_replicas")] });
    return { service, sent };
  }

  it("alert refresh - the leader re-sends the open findings, leaving out the silenced ones", async () => {
    const { service, sent } = await serviceWith(() => true);
    await service.addSilence({ matcher: { kind: "finding", finding_id: "stream_limit:stream:B" }, minutes: 10, reason: "known" }, "ann");
    const batch = await waitFor("a refresh without B", () => sent.find((ids) => !ids.includes("stream_limit:stream:B")));
    expect(batch).toEqual(["stream_limit:stream:A", "stream_replicas:stream:C"]);
    // A delivered refresh is not logged: one a minute would push the transitions out of the log.
    expect(service.state().deliveries).toEqual([]);
  });

  it("alert refresh - a follower sends nothing; once leading it refreshes", async () => {
    let leading = false;
    let askedWhileFollowing = 0;
    const { sent } = await serviceWith(() => leading || (askedWhileFollowing++, false));
    // Three refresh ticks have asked and been told "follower".
    await waitFor("three refresh ticks as a follower", () => askedWhileFollowing >= 3);
    expect(sent).toEqual([]);
    leading = true;
    await waitFor("a refresh once leading", () => sent.length > 0);
  });
});
