/**
 * Alert deliveries as the /alerts page lists them, and the hub topic `alerts` that carries them with the targets
 * and the silences. Every replica keeps the same log: the elected sampler broadcasts each result.
 */
import { z } from "zod";
import type { Silence } from "./silences";

export const ALERT_TARGET_KINDS = ["alertmanager", "webhook", "slack"] as const;
export type AlertTargetKind = (typeof ALERT_TARGET_KINDS)[number];

/** A target as the page shows it: where it points with any credentials in the URL left out. */
export interface AlertTargetInfo {
  kind: AlertTargetKind;
  url: string;
}

/** The deliveries kept and shown, newest first. */
export const DELIVERY_LOG_SIZE = 200;

export const DeliveryRecordSchema = z.object({
  id: z.string().min(1).max(200),
  at: z.iso.datetime(),
  target: z.enum(ALERT_TARGET_KINDS),
  finding_id: z.string().max(1_000),
  /** The finding's page (lib/links.ts); null for a batch. */
  link: z.string().max(2_000).nullable(),
  /** The finding's transition, or "refresh": Alertmanager re-told about the open findings before its resolve_timeout. */
  transition: z.enum(["opened", "resolved", "severity_changed", "refresh"]),
  /** delivered; retrying (an attempt failed, another is scheduled); failed (out of attempts); dropped (queue full); silenced. */
  result: z.enum(["delivered", "retrying", "failed", "dropped", "silenced"]),
  attempts: z.number().int().min(0),
  error: z.string().max(1_000).nullable(),
});
export type DeliveryRecord = z.infer<typeof DeliveryRecordSchema>;

export interface AlertsState {
  targets: AlertTargetInfo[];
  /** Newest first. A delivery's records share its id; only the latest per id is kept. */
  deliveries: DeliveryRecord[];
  /** listedSilences: active ending soonest first, then recently expired. */
  silences: Silence[];
}

export const emptyAlertsState = (): AlertsState => ({ targets: [], deliveries: [], silences: [] });

/** The log with `record` in front, replacing an earlier record of the same delivery; bounded. */
export function addDelivery(log: readonly DeliveryRecord[], record: DeliveryRecord, size = DELIVERY_LOG_SIZE): DeliveryRecord[] {
  return [record, ...log.filter((r) => r.id !== record.id)].slice(0, size);
}

/** How the log names a transition: an opened finding is "firing". */
export const transitionLabel = (t: DeliveryRecord["transition"]): string =>
  t === "opened" ? "firing" : t === "severity_changed" ? "severity changed" : t;

/** A URL with its user info, query and fragment left out: webhook URLs carry their secret in the path or query. */
export function displayUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const path = u.pathname.length > 1 ? "/…" : "";
    return `${u.protocol}//${u.host}${path}`;
  } catch {
    return "(invalid URL)";
  }
}
