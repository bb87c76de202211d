/**
 * Server health in the style of consumer health (lib/consumers/health.ts): a handful of rules checked in a
 * fixed order, the first match wins, each naming itself and the evidence it saw. Pure: the time is an argument.
 *
 * Per server:
 *   ERR   server_down      no answer for DOWN_AFTER_MISSED samples in a row.
 *   ERR   not_healthy      /healthz answered something other than ok.
 *   ERR   route_down       a route to a server of the same cluster is missing; also gateways.
 *   WARN  storage_high     JetStream memory or file storage at STORAGE_WARN_RATIO of its limit or more,
 *                          or the accounts' reservations at that share of it.
 *   WARN  slow_consumers   the slow-consumer count went up within SLOW_CONSUMER_WINDOW_MS.
 *   WARN  stale            the server answered, but part of its reading failed (garbage, timeout): last figures kept.
 *   OK    healthy
 * Over the bus:
 *   WARN  version_skew     servers report different versions.
 *   WARN  meta_leader_changed  the JetStream meta leader moved within META_CHANGE_WINDOW_MS.
 */
import { formatBytes, formatCount, formatDuration } from "../format";
import type { BusLink, BusServerRow, BusServersSnapshot } from "./servers";

export const STORAGE_WARN_RATIO = 0.8;
export const SLOW_CONSUMER_WINDOW_MS = 5 * 60_000;
export const META_CHANGE_WINDOW_MS = 10 * 60_000;

export type BusHealthStatus = "OK" | "WARN" | "ERR";
export type BusHealthRule =
  | "short_window"
  | "server_down"
  | "not_healthy"
  | "route_down"
  | "gateway_down"
  | "storage_high"
  | "reservations_high"
  | "slow_consumers"
  | "stale"
  | "healthy"
  | "version_skew"
  | "meta_leader_changed";

export interface BusVerdict {
  status: BusHealthStatus;
  rule: BusHealthRule;
  evidence: string;
}

export const BUS_STATUS_SEVERITY: Record<BusHealthStatus, number> = { ERR: 2, WARN: 1, OK: 0 };

type ServerFacts = Pick<
  BusServerRow,
  | "state"
  | "missed"
  | "last_seen"
  | "error"
  | "healthz"
  | "routes"
  | "gateways"
  | "jetstream"
  | "slow_consumers"
  | "slow_consumers_before"
  | "slow_consumers_rose_at"
>;

export function evaluateServerHealth(s: ServerFacts, now: number): BusVerdict {
  if (s.state === "down")
    return {
      status: "ERR",
      rule: "server_down",
      evidence: `no answer in ${s.missed} samples${s.last_seen ? `; last seen ${formatDuration(now - Date.parse(s.last_seen))} ago` : ""}`,
    };
  if (s.healthz && s.healthz.status !== "ok")
    return {
      status: "ERR",
      rule: "not_healthy",
      evidence: `healthz: ${s.healthz.status}${s.healthz.error ? ` (${s.healthz.error})` : ""}`,
    };
  const routeDown = downLinks(s.routes);
  if (routeDown) return { status: "ERR", rule: "route_down", evidence: `route to ${routeDown} down` };
  const gatewayDown = downLinks(s.gateways);
  if (gatewayDown) return { status: "ERR", rule: "gateway_down", evidence: `gateway to ${gatewayDown} down` };
  const storage = storageFinding(s.jetstream);
  if (storage) return storage;
  if (s.slow_consumers_rose_at !== null && now - s.slow_consumers_rose_at <= SLOW_CONSUMER_WINDOW_MS)
    return {
      status: "WARN",
      rule: "slow_consumers",
      evidence: `slow consumers ${formatCount(s.slow_consumers_before)} → ${formatCount(s.slow_consumers)}, ${formatDuration(now - s.slow_consumers_rose_at)} ago`,
    };
  if (s.state === "stale") return { status: "WARN", rule: "stale", evidence: s.error ?? "reading incomplete" };
  return { status: "OK", rule: "healthy", evidence: `answering, healthz ok${s.routes.length > 0 ? ", routes up" : ""}` };
}

function downLinks(links: BusLink[]): string | null {
  const down = links.filter((l) => !l.up).map((l) => l.name);
  return down.length > 0 ? down.join(", ") : null;
}

function storageFinding(js: ServerFacts["jetstream"]): BusVerdict | null {
  if (!js) return null;
  const kinds = [
    { label: "file storage", used: js.storage, reserved: js.reserved_storage, max: js.max_storage },
    { label: "memory storage", used: js.memory, reserved: js.reserved_memory, max: js.max_memory },
  ];
  for (const k of kinds) {
    if (k.max && k.used / k.max >= STORAGE_WARN_RATIO)
      return { status: "WARN", rule: "storage_high", evidence: `${k.label} ${percent(k.used / k.max)} of ${formatBytes(k.max)} used` };
  }
  for (const k of kinds) {
    if (k.max && k.reserved !== null && k.reserved / k.max >= STORAGE_WARN_RATIO)
      return {
        status: "WARN",
        rule: "reservations_high",
        evidence: `${k.label}: accounts reserve ${percent(k.reserved / k.max)} of ${formatBytes(k.max)}`,
      };
  }
  return null;
}

const percent = (ratio: number) => `${Math.round(ratio * 100)} %`;

/** Rules over the whole bus: what no single server shows. */
export function evaluateBusHealth(
  snapshot: Pick<BusServersSnapshot, "servers" | "meta_leader" | "meta_leader_before" | "meta_leader_changed_at">,
  now: number,
): BusVerdict[] {
  const findings: BusVerdict[] = [];
  const versions = new Map<string, string[]>();
  for (const s of snapshot.servers)
    if (s.version && s.state !== "down") versions.set(s.version, [...(versions.get(s.version) ?? []), s.name]);
  if (versions.size > 1)
    findings.push({
      status: "WARN",
      rule: "version_skew",
      evidence: [...versions].map(([v, names]) => `v${v} on ${names.join(", ")}`).join("; "),
    });
  if (snapshot.meta_leader_changed_at !== null && now - snapshot.meta_leader_changed_at <= META_CHANGE_WINDOW_MS)
    findings.push({
      status: "WARN",
      rule: "meta_leader_changed",
      evidence: `meta leader ${snapshot.meta_leader_before ?? "?"} → ${snapshot.meta_leader ?? "?"}, ${formatDuration(now - snapshot.meta_leader_changed_at)} ago`,
    });
  return findings;
}

/** The worst verdict of the bus (its servers and its own findings), for a summary. */
export function worstBusVerdict(snapshot: Pick<BusServersSnapshot, "servers" | "findings">): BusVerdict | null {
  const all = [...snapshot.servers.map((s) => s.health), ...snapshot.findings];
  return all.reduce<BusVerdict | null>(
    (worst, v) => (!worst || BUS_STATUS_SEVERITY[v.status] > BUS_STATUS_SEVERITY[worst.status] ? v : worst),
    null,
  );
}
