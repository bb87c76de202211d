/**
 * What busdeck sends for a finding that opened or resolved, per target kind: Alertmanager's v2 alert (labels from
 * the entity, annotations with the evidence and a link back), a generic JSON webhook body, and a Slack-compatible
 * `{text}`. Pure: the public URL and the time come in as arguments.
 */
import type { Finding, FindingEntity, FindingSeverity } from "../findings/finding";

export type AlertTransition = "opened" | "resolved" | "severity_changed";

/** One alert as `POST /api/v2/alerts` takes it (an array of these). */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  /** Set (in the past) on a resolved alert; left off while firing so Alertmanager applies its resolve_timeout. */
  endsAt?: string;
  generatorURL?: string;
}

export interface WebhookBody {
  version: 1;
  source: "busdeck";
  status: "firing" | "resolved";
  finding: Finding;
  /** Set when this delivery tells of a severity change of an open finding: the severity it had before. */
  previous_severity?: FindingSeverity;
  /** The finding's page, absolute when a public URL is configured. */
  url: string;
}

export interface SlackBody {
  text: string;
}

/** A link to busdeck's `path`: absolute under the configured public URL, else the path as it is. */
export function publicLink(publicUrl: string | null, path: string): string {
  if (!publicUrl) return path;
  return `${publicUrl.replace(/\/+$/, "")}${path.startsWith("/") ? path : `/${path}`}`;
}

/** The entity's identifying fields as labels (Alertmanager groups and routes on these). */
export function entityLabels(entity: FindingEntity): Record<string, string> {
  const { kind, ...fields } = entity;
  return { entity_kind: kind, ...fields };
}

/**
 * The labels that identify the alert. Alertmanager matches a resolve to its firing alert by the whole label set:
 * the evidence is an annotation, and a severity change ends the alert of the old severity (alertmanagerBatch).
 */
export function alertLabels(finding: Finding): Record<string, string> {
  return {
    alertname: `busdeck_${finding.rule}`,
    source: "busdeck",
    rule: finding.rule,
    severity: finding.severity,
    finding_id: finding.id,
    ...entityLabels(finding.entity),
  };
}

export function alertmanagerAlert(finding: Finding, publicUrl: string | null): AlertmanagerAlert {
  const url = publicLink(publicUrl, finding.link);
  const alert: AlertmanagerAlert = {
    labels: alertLabels(finding),
    annotations: { summary: `${finding.rule} on ${describeEntity(finding.entity)}`, evidence: finding.evidence, link: url },
    startsAt: finding.since,
  };
  if (publicUrl) alert.generatorURL = url;
  if (finding.state === "resolved" && finding.resolved_at) alert.endsAt = finding.resolved_at;
  return alert;
}

/**
 * What Alertmanager is sent for findings. On a severity change (severity is a label, so the new severity is a new
 * alert) the old severity's alert is ended at `changedAt` beside the new one, rather than left firing until
 * Alertmanager's resolve_timeout.
 */
export function alertmanagerBatch(
  findings: readonly Finding[],
  publicUrl: string | null,
  previousSeverity?: FindingSeverity,
  changedAt: string = new Date().toISOString(),
): AlertmanagerAlert[] {
  const alerts = findings.map((f) => alertmanagerAlert(f, publicUrl));
  if (!previousSeverity) return alerts;
  const ended = findings.map((f) =>
    alertmanagerAlert({ ...f, severity: previousSeverity, state: "resolved", resolved_at: changedAt }, publicUrl),
  );
  return [...ended, ...alerts];
}

export function webhookBody(finding: Finding, publicUrl: string | null, previousSeverity?: FindingSeverity): WebhookBody {
  return {
    version: 1,
    source: "busdeck",
    status: finding.state === "resolved" ? "resolved" : "firing",
    finding,
    ...(previousSeverity ? { previous_severity: previousSeverity } : {}),
    url: publicLink(publicUrl, finding.link),
  };
}

/**
 * One line Slack renders: status, severity (and what it was, on a change), entity, evidence, and a link
 * (`<url|text>`) when it is absolute.
 */
export function slackBody(finding: Finding, publicUrl: string | null, previousSeverity?: FindingSeverity): SlackBody {
  const status = finding.state === "resolved" ? "RESOLVED" : "FIRING";
  const severity = previousSeverity ? `${finding.severity} (was ${previousSeverity})` : finding.severity;
  const url = publicLink(publicUrl, finding.link);
  const link = /^https?:\/\//.test(url) ? ` <${url}|open in busdeck>` : "";
  return { text: `[${status}] ${severity} · ${describeEntity(finding.entity)} · ${slackEscape(finding.evidence)}${link}` };
}

export function describeEntity(entity: FindingEntity): string {
  switch (entity.kind) {
    case "consumer":
      return `consumer ${entity.stream}/${entity.consumer}`;
    case "stream":
      return `stream ${entity.stream}`;
    case "handler":
      return `handler ${entity.handler}`;
    case "singleton":
      return `singleton ${entity.bucket}/${entity.key}`;
  }
}

/** Slack's three control characters in message text. */
const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
