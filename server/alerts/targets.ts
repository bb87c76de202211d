/**
 * The configured alert targets and how each is sent to: Alertmanager's `POST /api/v2/alerts` (a batch of alerts),
 * a generic JSON webhook and a Slack-compatible webhook (one finding per request). Every request has a timeout,
 * so an unreachable target costs a failed attempt, never a hung queue.
 */
import "server-only";
import type { Finding, FindingSeverity } from "../../lib/findings/finding";
import { displayUrl, type AlertTargetInfo, type AlertTargetKind } from "../../lib/alerts/deliveries";
import { alertmanagerBatch, slackBody, webhookBody } from "../../lib/alerts/payloads";
import type { BusdeckConfig } from "../config";

const REQUEST_TIMEOUT_MS = 5_000;

export interface AlertTarget {
  kind: AlertTargetKind;
  info: AlertTargetInfo;
  /**
   * Sends these findings as they stand (open = firing, resolved = resolved), with the severity they had before
   * when this tells of a severity change; throws on any failure.
   */
  send(findings: readonly Finding[], previousSeverity?: FindingSeverity): Promise<void>;
}

export function configuredTargets(alerts: BusdeckConfig["alerts"], timeoutMs = REQUEST_TIMEOUT_MS): AlertTarget[] {
  const { publicUrl } = alerts;
  const targets: AlertTarget[] = [];
  const add = (
    kind: AlertTargetKind,
    url: string | null,
    body: (findings: readonly Finding[], previous?: FindingSeverity) => unknown[],
  ) => {
    if (!url) return;
    targets.push({
      kind,
      info: { kind, url: displayUrl(url) },
      send: async (findings, previousSeverity) => {
        for (const payload of body(findings, previousSeverity)) await postJson(url, payload, timeoutMs);
      },
    });
  };
  add("alertmanager", alerts.alertmanagerUrl && `${alerts.alertmanagerUrl}/api/v2/alerts`, (fs, previous) => [
    alertmanagerBatch(fs, publicUrl, previous),
  ]);
  add("webhook", alerts.webhookUrl, (fs, previous) => fs.map((f) => webhookBody(f, publicUrl, previous)));
  add("slack", alerts.slackUrl, (fs, previous) => fs.map((f) => slackBody(f, publicUrl, previous)));
  return targets;
}

/** Any answer but a 2xx is a failure naming the status (and the start of the target's reason). */
async function postJson(url: string, body: unknown, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.ok) {
    await res.body?.cancel();
    return;
  }
  const reason = (await res.text().catch(() => "")).slice(0, 200).trim();
  throw new Error(`HTTP ${res.status}${reason ? `: ${reason}` : ""}`);
}
