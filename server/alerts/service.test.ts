import { describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/nats-core";
import type { AlertTargetKind } from "../../lib/alerts/deliveries";
import type { Finding, FindingSeverity } from "../../lib/findings/finding";
import { consumerEntity, finding } from "../../testing/fixtures/finding";
import { waitFor } from "../../testing/wait-for";
import type { BusdeckConfig } from "../config";
import { Hub } from "../hub/hub";
import { createAlertService } from "./service";
import type { AlertTarget } from "./targets";

/** A target that keeps what it was sent. */
const recordingTarget = (kind: AlertTargetKind) => {
  const sent: { findings: readonly Finding[]; previous?: FindingSeverity }[] = [];
  const target: AlertTarget = {
    kind,
    info: { kind, url: `http://${kind}.test` },
    send: async (findings, previous) => void sent.push({ findings, previous }),
  };
  return { target, sent };
};

const config: BusdeckConfig["alerts"] = {
  alertmanagerUrl: null,
  webhookUrl: null,
  slackUrl: null,
  publicUrl: null,
  silenceBucket: "silences",
  subject: "busdeck.alerts.deliveries",
};

describe("alert service", () => {
  it("alerts - a severity change goes out once to every target, saying what it was", async () => {
    const [am, webhook, slack] = [recordingTarget("alertmanager"), recordingTarget("webhook"), recordingTarget("slack")];
    const alerts = createAlertService({
      nc: new Promise<NatsConnection>(() => {}), // no bus: silences and broadcasts are not what is tested here
      hub: new Hub(),
      config,
      replicas: 1,
      replicaId: "r1",
      leading: () => true,
      log: () => {},
      targets: [am.target, webhook.target, slack.target],
    });
    try {
      const critical = finding(consumerEntity("billing"), { severity: "critical" });
      alerts.notify({ type: "severity_changed", finding: critical, previous_severity: "warning" });
      await waitFor("the three deliveries", () => alerts.state().deliveries.filter((d) => d.result === "delivered").length === 3);
      expect(webhook.sent).toEqual([{ findings: [critical], previous: "warning" }]);
      expect(slack.sent).toEqual([{ findings: [critical], previous: "warning" }]);
      expect(am.sent).toEqual([{ findings: [critical], previous: "warning" }]);
      expect(
        alerts
          .state()
          .deliveries.map((d) => [d.target, d.transition])
          .sort(),
      ).toEqual([
        ["alertmanager", "severity_changed"],
        ["slack", "severity_changed"],
        ["webhook", "severity_changed"],
      ]);
    } finally {
      alerts.stop();
    }
  });
});
