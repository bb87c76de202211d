/**
 * Synthetic sensory layer (the reflex runner's publishers, docs/contracts.md#reflex-outcomes): SNMP traps and
 * Meraki webhooks, stored in `sensory-events` via JetStream so every reflex outcome links back to the event that
 * triggered it. A small fraction of events are defective in ways that make a real handler raise; error waves raise
 * that fraction for one handler at a time.
 */
import type { JetStreamClient } from "@nats-io/jetstream";
import type { Lifecycle } from "./lifecycle";
import type { Rng } from "./random";
import { jsPublish } from "./streams";

export type HandlerId = "link_down" | "security_webhook" | "bgp_drop";
export const HANDLER_IDS: readonly HandlerId[] = ["link_down", "security_webhook", "bgp_drop"];

export const SENSORY_PREFIX: Record<HandlerId, string> = {
  link_down: "sensory.snmp.trap.link_down",
  security_webhook: "sensory.meraki.webhook.security",
  bgp_drop: "sensory.snmp.trap.bgp_backward_transition",
};

/** Events per second at rate 1. */
export const SENSORY_RATES: Record<HandlerId, number> = { link_down: 0.5, security_webhook: 0.4, bgp_drop: 0.3 };

export interface SensoryEvent {
  subject: string;
  id: string;
  payload: Record<string, unknown>;
}

const DEVICES = [
  { name: "core-sw-01", addr: "10.20.0.11" },
  { name: "core-sw-02", addr: "10.20.0.12" },
  { name: "dist-sw-03", addr: "10.20.1.3" },
  { name: "access-sw-12", addr: "10.20.4.12" },
  { name: "access-sw-17", addr: "10.20.4.17" },
  { name: "edge-rtr-01", addr: "10.20.0.1" },
  { name: "edge-rtr-02", addr: "10.20.0.2" },
];
const BGP_ROUTERS = ["edge-rtr-01", "edge-rtr-02", "core-rtr-01"];
const BGP_PEERS = [
  { peer: "10.0.0.2", as: 65001 },
  { peer: "10.0.0.6", as: 65002 },
  { peer: "192.0.2.1", as: 64512 },
  { peer: "198.51.100.9", as: 3356 },
  { peer: "203.0.113.14", as: 174 },
];
const NETWORKS = [
  { id: "N_646829496481105433", name: "HQ Campus", device: "hq-mx-01", model: "MX250" },
  { id: "N_646829496481108812", name: "Branch Berlin", device: "ber-mx-01", model: "MX85" },
  { id: "L_646829496481102277", name: "Branch Austin", device: "aus-mx-01", model: "MX68" },
  { id: "N_646829496481113090", name: "DC West", device: "dcw-mx-02", model: "MX450" },
];
const MERAKI_ALERTS = [
  { type: "Intrusion detected", typeId: "ids_alerted", level: "warning" },
  { type: "Malware download blocked", typeId: "amp_malware_blocked", level: "critical" },
  { type: "Air Marshal - Rogue SSID detected", typeId: "rogue_ap_association", level: "warning" },
  { type: "Settings changed", typeId: "settings_changed", level: "informational" },
  { type: "Content filtering block", typeId: "content_filtering_block", level: "informational" },
];
const IFACES = ["GigabitEthernet1/0/24", "GigabitEthernet1/0/48", "TenGigabitEthernet1/1/1", "TenGigabitEthernet2/1/4", "Port-channel10"];

/** The Meraki field the handler maps; unknown and missing values must fall back to "warn". */
export const MERAKI_SEVERITIES = [
  ["informational", 30],
  ["warning", 40],
  ["high", 15],
  ["critical", 8],
  ["notice", 5],
  [undefined, 2],
] as const;

export function linkDownEvent(rng: Rng, now: Date, defective: boolean): SensoryEvent {
  const dev = rng.pick(DEVICES);
  const ifName = rng.pick(IFACES);
  const ifIndex = 10_000 + rng.int(1, 160);
  const id = rng.uuid();
  const payload: Record<string, unknown> = {
    event_id: id,
    source: "snmp.trap",
    device: dev.name,
    agent_addr: dev.addr,
    trap_oid: "1.3.6.1.6.3.1.1.5.3",
    trap_name: "linkDown",
    // A vendor MIB quirk: some firmware sends the interface name where ifIndex belongs — the handler's int() chokes.
    if_index: defective ? ifName.replace("GigabitEthernet", "Gi").replace("TenGi", "Te") : ifIndex,
    if_name: ifName,
    if_alias: rng.pick(["uplink to dist-sw-03", "server rack B12", "to edge-rtr-01", "AP trunk floor 3", ""]),
    if_admin_status: "up",
    if_oper_status: "down",
    sys_uptime_ticks: rng.int(1_000_000, 900_000_000),
    community: "netcortex-ro",
    snmp_version: "v2c",
    observed_at: now.toISOString(),
    varbinds: {
      "1.3.6.1.2.1.2.2.1.1": ifIndex,
      "1.3.6.1.2.1.2.2.1.7": 1,
      "1.3.6.1.2.1.2.2.1.8": 2,
      "1.3.6.1.4.1.9.2.2.1.1.20": rng.pick(["administratively down", "Keepalive failed", "Lost carrier", "err-disabled (bpduguard)"]),
    },
  };
  // Some agents echo extra vendor keys; the link_down handler caps its echo at 16 keys because of these.
  if (rng.chance(0.3)) {
    payload.cisco_if_reason = rng.pick(["Lost carrier", "Keepalive failed"]);
    payload.lldp_neighbor = rng.pick(["ap-3f-07", "srv-b12-04", "dist-sw-03"]);
    payload.vlan = rng.int(2, 400);
    payload.duplex = "full";
  }
  return { subject: `${SENSORY_PREFIX.link_down}.${dev.name}`, id, payload };
}

export function merakiSecurityEvent(rng: Rng, now: Date, defective: boolean): SensoryEvent {
  const net = rng.pick(NETWORKS);
  const alert = rng.pick(MERAKI_ALERTS);
  const severity = rng.weighted<string | undefined>(MERAKI_SEVERITIES);
  const id = rng.uuid();
  const payload: Record<string, unknown> = {
    version: "0.1",
    sharedSecret: "",
    sentAt: now.toISOString(),
    organizationId: "549236",
    organizationName: "Netcortex Labs",
    organizationUrl: "https://n149.meraki.com/o/Jx3Yjb/manage/organization/overview",
    networkId: net.id,
    networkName: net.name,
    networkUrl: `https://n149.meraki.com/${net.name.replace(/\s+/g, "-")}/n/Sgx8yd/manage/nodes/list`,
    networkTags: [],
    deviceSerial: `Q2${rng.hex(2).toUpperCase()}-${rng.hex(4).toUpperCase()}-${rng.hex(4).toUpperCase()}`,
    deviceMac: Array.from({ length: 6 }, () => rng.hex(2)).join(":"),
    deviceName: net.device,
    deviceModel: net.model,
    alertId: `6434517967651${rng.int(10000, 99999)}`,
    alertType: alert.type,
    alertTypeId: alert.typeId,
    alertLevel: alert.level,
    occurredAt: new Date(now.getTime() - rng.int(200, 4000)).toISOString(),
    // Meraki omits alertData for some alert types; the handler assumes it is always an object.
    alertData: defective
      ? null
      : {
          srcIp: `10.${rng.int(1, 40)}.${rng.int(0, 255)}.${rng.int(2, 254)}`,
          dstIp: `203.0.113.${rng.int(2, 254)}`,
          protocol: rng.pick(["tcp/ip", "udp/ip"]),
          priority: String(rng.int(1, 3)),
          signature: `1:${rng.int(2000000, 2049999)}:${rng.int(1, 9)}`,
          message: rng.pick([
            "ET MALWARE Possible Cobalt Strike Beacon",
            "ET POLICY Suspicious inbound to MSSQL port 1433",
            "ET SCAN Nmap Scripting Engine User-Agent Detected",
            "ET TROJAN Observed Malicious SSL Cert",
          ]),
        },
  };
  if (severity !== undefined) payload.severity = severity;
  return { subject: `${SENSORY_PREFIX.security_webhook}.${net.id}`, id, payload };
}

export function bgpDropEvent(rng: Rng, now: Date, defective: boolean): SensoryEvent {
  const device = rng.pick(BGP_ROUTERS);
  const p = rng.pick(BGP_PEERS);
  const id = rng.uuid();
  const payload: Record<string, unknown> = {
    event_id: id,
    source: "snmp.trap",
    device,
    trap_oid: "1.3.6.1.2.1.15.7.2",
    trap_name: "bgpBackwardTransition",
    peer: p.peer,
    peer_as: p.as,
    local_as: 65000,
    bgp_peer_state: rng.pick(["idle", "active", "connect"]),
    previous_state: "established",
    bgp_peer_last_error: rng.pick(["0x0400", "0x0604", "0x0602", "0x0605"]),
    observed_at: now.toISOString(),
  };
  // The BGP4-MIB v1 trap variant carries no peer address; the handler indexes it unconditionally.
  if (defective) delete payload.peer;
  return { subject: `${SENSORY_PREFIX.bgp_drop}.${device}`, id, payload };
}

const BUILDERS: Record<HandlerId, (rng: Rng, now: Date, defective: boolean) => SensoryEvent> = {
  link_down: linkDownEvent,
  security_webhook: merakiSecurityEvent,
  bgp_drop: bgpDropEvent,
};

export function buildSensoryEvent(handler: HandlerId, rng: Rng, now: Date, defective: boolean): SensoryEvent {
  return BUILDERS[handler](rng, now, defective);
}

/** Baseline and in-wave probabilities of a defective event and of a transient dependency timeout. */
export const ERROR_RATES = { defect: 0.02, transient: 0.005, waveDefect: 0.45, waveTransient: 0.25 };

/** Error waves: one handler at a time sees its error ratio spike, so the dashboard's "errors spiking" lights up. */
export class ErrorWaves {
  private wave: { handler: HandlerId; until: number } | null = null;
  private nextIndex: number;

  constructor(private readonly rng: Rng) {
    this.nextIndex = rng.int(0, HANDLER_IDS.length - 1);
  }

  start(lc: Lifecycle, t: { firstErrorWaveAfterMs: number; errorWaveEveryMs: number; errorWaveDurationMs: number }): void {
    lc.spawn("error waves", async () => {
      let wait = t.firstErrorWaveAfterMs;
      while (await lc.sleep(wait)) {
        this.begin(HANDLER_IDS[this.nextIndex++ % HANDLER_IDS.length]!, t.errorWaveDurationMs);
        lc.log(`error wave: ${this.wave!.handler} for ${Math.round(t.errorWaveDurationMs / 1000)} s`);
        wait = t.errorWaveEveryMs * this.rng.range(0.75, 1.25);
      }
    });
  }

  begin(handler: HandlerId, durationMs: number, now = Date.now()): void {
    this.wave = { handler, until: now + durationMs };
  }

  active(handler: HandlerId, now = Date.now()): boolean {
    return this.wave !== null && this.wave.handler === handler && now < this.wave.until;
  }

  defectP(handler: HandlerId, now = Date.now()): number {
    return this.active(handler, now) ? ERROR_RATES.waveDefect : ERROR_RATES.defect;
  }

  transientP(handler: HandlerId, now = Date.now()): number {
    return this.active(handler, now) ? ERROR_RATES.waveTransient : ERROR_RATES.transient;
  }
}

export function startSensoryTraffic(js: JetStreamClient, lc: Lifecycle, rng: Rng, rate: number, waves: ErrorWaves): void {
  for (const handler of HANDLER_IDS) {
    const r = rng.fork(handler);
    const meanGapMs = 1000 / (SENSORY_RATES[handler] * rate);
    lc.spawn(`sensory ${handler}`, async () => {
      while (await lc.sleep(r.exponential(meanGapMs))) {
        const ev = buildSensoryEvent(handler, r, new Date(), r.chance(waves.defectP(handler)));
        await jsPublish(js, lc, ev.subject, ev.payload, ev.id);
      }
    });
  }
}
