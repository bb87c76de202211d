import { describe, expect, it } from "vitest";
import type { Finding } from "../findings/finding";
import { alertLabels, alertmanagerAlert, alertmanagerBatch, publicLink, slackBody, webhookBody } from "./payloads";

const open: Finding = {
  id: "consumer_health:consumer:ORDERS/billing",
  severity: "critical",
  entity: { kind: "consumer", stream: "ORDERS", consumer: "billing" },
  rule: "consumer_health",
  evidence: "STALL: 5 pending, nothing acked for 30 s <since 09:00>",
  link: "/consumers/ORDERS/billing",
  state: "open",
  since: "2026-12-07T09:00:00.000Z",
  resolved_at: null,
};
const resolved: Finding = { ...open, state: "resolved", resolved_at: "2026-12-07T09:05:00.000Z" };

describe("alert payloads", () => {
  it("alerts - a severity change is told to the webhook and Slack with what it was", () => {
    expect(webhookBody(open, null, "warning")).toMatchObject({ status: "firing", finding: open, previous_severity: "warning" });
    expect(webhookBody(open, null)).not.toHaveProperty("previous_severity");
    expect(slackBody(open, null, "warning").text).toMatch(/^\[FIRING\] critical \(was warning\) · consumer ORDERS\/billing · /);
  });

  it("alerts - Alertmanager hears a severity change as the old severity's alert ended and the new one firing", () => {
    const changedAt = "2026-12-07T09:03:00.000Z";
    const [ended, firing] = alertmanagerBatch([open], null, "warning", changedAt);
    expect(ended!.labels).toEqual({ ...alertLabels(open), severity: "warning" });
    expect(ended!.endsAt).toBe(changedAt);
    expect(firing).toEqual(alertmanagerAlert(open, null));
    expect(alertmanagerBatch([open], null)).toEqual([alertmanagerAlert(open, null)]);
  });

  it("alerts - Alertmanager labels name the rule and every field of the entity", () => {
    expect(alertLabels(open)).toEqual({
      alertname: "busdeck_consumer_health",
      source: "busdeck",
      rule: "consumer_health",
      severity: "critical",
      finding_id: open.id,
      entity_kind: "consumer",
      stream: "ORDERS",
      consumer: "billing",
    });
  });

  it("alerts - a firing alert has no endsAt; its resolve carries the same labels and endsAt = resolved_at", () => {
    const firing = alertmanagerAlert(open, "https://busdeck.example.com/");
    expect(firing.endsAt).toBeUndefined();
    expect(firing.startsAt).toBe(open.since);
    expect(firing.annotations).toMatchObject({ evidence: open.evidence, link: "https://busdeck.example.com/consumers/ORDERS/billing" });
    expect(firing.generatorURL).toBe("https://busdeck.example.com/consumers/ORDERS/billing");
    const ended = alertmanagerAlert(resolved, "https://busdeck.example.com");
    expect(ended.labels).toEqual(firing.labels);
    expect(ended.endsAt).toBe(resolved.resolved_at);
  });

  it("alerts - without a public URL links stay paths and Alertmanager gets no generatorURL", () => {
    expect(publicLink(null, "/consumers/a/b")).toBe("/consumers/a/b");
    expect(publicLink("https://x.test/busdeck/", "/alerts")).toBe("https://x.test/busdeck/alerts");
    expect(alertmanagerAlert(open, null).generatorURL).toBeUndefined();
  });

  it("alerts - the webhook body says firing or resolved and carries the finding whole", () => {
    expect(webhookBody(open, null)).toEqual({ version: 1, source: "busdeck", status: "firing", finding: open, url: open.link });
    expect(webhookBody(resolved, "https://b.test").status).toBe("resolved");
  });

  it("alerts - Slack text is one escaped line with a link only when it is absolute", () => {
    expect(slackBody(open, "https://b.test").text).toBe(
      "[FIRING] critical · consumer ORDERS/billing · STALL: 5 pending, nothing acked for 30 s &lt;since 09:00&gt; <https://b.test/consumers/ORDERS/billing|open in busdeck>",
    );
    expect(slackBody(resolved, null).text).toMatch(/^\[RESOLVED\] critical · consumer ORDERS\/billing · STALL.*&gt;$/);
  });
});
