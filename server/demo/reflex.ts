/**
 * The demo's three reflex handlers and their runner (docs/contracts.md#reflex-outcomes): core-NATS subscriptions on
 * sensory subjects, one outcome per event on `reflex.outcome.<handler_id>`, exceptions turned into `errored`
 * outcomes with a truncated traceback — plus the occasional malformed outcome a buggy publisher would produce.
 */
import type { Msg, NatsConnection } from "@nats-io/nats-core";
import { OUTCOME_SUBJECT_PREFIX, type OutcomeBody, type Severity } from "../../lib/outcomes/outcome";
import type { Lifecycle } from "./lifecycle";
import type { Rng } from "./random";
import { buildSensoryEvent, HANDLER_IDS, SENSORY_PREFIX, type ErrorWaves, type HandlerId } from "./sensory";
import { corePublish, encodeJson } from "./streams";
import { attributeErrorAlertData, keyErrorPeer, pythonTraceback, timeoutInLookup, valueErrorIfIndex, type PyException } from "./traceback";

export interface HandlerResult {
  severity: Severity;
  target: string | null;
  summary: string;
}

/** What a Python handler raising looks like from the runner's side. */
export class HandlerRaised extends Error {
  constructor(readonly exc: PyException) {
    super(`${exc.type}: ${exc.message}`);
  }
}

const MERAKI_SEVERITY: Record<string, Severity> = { informational: "info", warning: "warn", high: "high", critical: "critical" };

export function merakiSeverity(value: unknown): Severity {
  return (typeof value === "string" && MERAKI_SEVERITY[value.toLowerCase()]) || "warn";
}

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

/**
 * The handlers' logic, pure. `transient` simulates the dependency timeout that waves make frequent; defects in
 * the payload raise exactly where the real handlers would.
 */
export function runHandler(handler: HandlerId, payload: unknown, transient = false): HandlerResult {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new HandlerRaised({
      type: "json.decoder.JSONDecodeError",
      message: "Expecting value: line 1 column 1 (char 0)",
      frames: [{ file: "/app/netcortex/thalamus/nats_bus.py", line: 203, fn: "_decode", code: "return json.loads(msg.data)" }],
    });
  }
  const p = payload as Record<string, unknown>;
  let result: HandlerResult;
  switch (handler) {
    case "link_down": {
      const raw = p.if_index;
      if (typeof raw === "string" && !/^\s*-?\d+\s*$/.test(raw)) throw new HandlerRaised(valueErrorIfIndex(raw));
      const device = str(p.device) ?? str(p.agent_addr);
      const ifName = str(p.if_name) ?? `ifIndex ${raw}`;
      const alias = str(p.if_alias);
      result = {
        severity: "high",
        target: device,
        summary: `Link down on ${device ?? "unknown device"} ${ifName}${alias ? ` (${alias})` : ""}`,
      };
      break;
    }
    case "security_webhook": {
      if (p.alertData === null) throw new HandlerRaised(attributeErrorAlertData());
      const data = (p.alertData ?? {}) as Record<string, unknown>;
      const where = str(p.networkName) ?? str(p.networkId) ?? "unknown network";
      result = {
        severity: merakiSeverity(p.severity),
        target: str(p.deviceName) ?? str(p.networkId),
        summary: `Meraki ${str(p.alertType) ?? "security alert"} on ${where}${str(data.message) ? `: ${data.message}` : ""}`,
      };
      break;
    }
    case "bgp_drop": {
      if (!("peer" in p)) throw new HandlerRaised(keyErrorPeer());
      const device = str(p.device);
      const peer = str(p.peer);
      const target = device && peer ? `${device}|${peer}` : (device ?? peer);
      const asn = typeof p.peer_as === "number" ? ` (AS${p.peer_as})` : "";
      result = {
        severity: "high",
        target,
        summary: `BGP session ${device ?? "?"} -> ${peer ?? "?"}${asn} left Established, now ${str(p.bgp_peer_state) ?? "unknown"}`,
      };
      break;
    }
  }
  if (transient) throw new HandlerRaised(timeoutInLookup(handler, 5));
  return result;
}

/** link_down's upstream echo cap: keeps an outcome's size bounded, as the real handler does. */
export const EVENT_ECHO_MAX_KEYS = 16;
/** Every handler bounds the echoed event by size, so one huge webhook cannot bloat the outcome stream. */
export const EVENT_ECHO_MAX_CHARS = 2048;

export function truncateEventPayload(payload: unknown, maxKeys = Infinity): unknown {
  let out = payload;
  if (typeof payload === "object" && payload !== null && !Array.isArray(payload)) {
    const entries = Object.entries(payload);
    if (entries.length > maxKeys) out = Object.fromEntries(entries.slice(0, maxKeys));
  }
  const text = typeof out === "string" ? out : JSON.stringify(out);
  if (text !== undefined && text.length > EVENT_ECHO_MAX_CHARS) return `${text.slice(0, EVENT_ECHO_MAX_CHARS)}…`;
  return out;
}

export interface HandledEvent {
  subject: string;
  id?: string;
  payload: unknown;
  receivedAt: Date;
}

export function outcomeBody(
  handlerId: HandlerId,
  event: HandledEvent,
  result: HandlerResult | HandlerRaised,
  emittedAt: Date,
  durationMs: number,
): OutcomeBody {
  const common = {
    handler_id: handlerId,
    event: {
      subject: event.subject,
      ...(event.id ? { id: event.id } : {}),
      payload: truncateEventPayload(event.payload, handlerId === "link_down" ? EVENT_ECHO_MAX_KEYS : Infinity),
      received_at: event.receivedAt.toISOString(),
    },
    emitted_at: emittedAt.toISOString(),
    duration_ms: Math.round(durationMs * 1000) / 1000,
  };
  if (result instanceof HandlerRaised) {
    return {
      ...common,
      severity: "high",
      kind: "errored",
      // The runner never got a return value, so it has no target to report.
      target: null,
      summary: `handler ${handlerId} raised ${result.exc.type}${result.exc.message ? `: ${result.exc.message}` : ""}`,
      diagnostic: pythonTraceback(result.exc),
    };
  }
  return { ...common, severity: result.severity, kind: "logged", target: result.target, summary: result.summary };
}

/** Plausible handling times: milliseconds when fine, the 5 s lookup timeout when the dependency hangs. */
export function handlingDuration(rng: Rng, result: HandlerResult | HandlerRaised): number {
  if (result instanceof HandlerRaised) {
    return result.exc.type === "TimeoutError" ? 5_000 + rng.logNormal(4, 0.5) : rng.logNormal(1.5, 0.5);
  }
  return rng.logNormal(6, 0.7);
}

export type MalformedKind = "python-repr" | "unknown-severity" | "epoch-emitted-at" | "missing-event";
export const MALFORMED_KINDS: readonly MalformedKind[] = ["python-repr", "unknown-severity", "epoch-emitted-at", "missing-event"];

/** Outcome bodies that break the contract the way real publishers do; the dashboard must keep them as raw text. */
export function malformedOutcome(kind: MalformedKind, sample: OutcomeBody): { data: Uint8Array; contentType: string } {
  const enc = new TextEncoder();
  switch (kind) {
    case "python-repr": {
      // str(outcome) published instead of json.dumps(asdict(outcome)).
      const q = (v: unknown) => (v === null || v === undefined ? "None" : `'${String(v).replace(/'/g, "\\'")}'`);
      const repr =
        `ReflexOutcome(handler_id=${q(sample.handler_id)}, severity=${q(sample.severity)}, kind=${q(sample.kind)}, ` +
        `target=${q(sample.target)}, summary=${q(sample.summary)}, event=SensoryEvent(subject=${q(sample.event.subject)}, ` +
        `id=${q(sample.event.id)}), emitted_at=datetime.datetime(${sample.emitted_at.slice(0, 4)}, ...), duration_ms=${sample.duration_ms ?? 0})`;
      return { data: enc.encode(repr), contentType: "text/plain" };
    }
    case "unknown-severity":
      return { data: encodeJson({ ...sample, severity: "error" }), contentType: "application/json" };
    case "epoch-emitted-at":
      return { data: encodeJson({ ...sample, emitted_at: Date.parse(sample.emitted_at) / 1000 }), contentType: "application/json" };
    case "missing-event": {
      const { event: _e, ...rest } = sample;
      return { data: encodeJson(rest), contentType: "application/json" };
    }
  }
}

export interface ReflexContext {
  nc: NatsConnection;
  lc: Lifecycle;
  rng: Rng;
  waves: ErrorWaves;
  malformedOutcomeEveryMs: number;
}

function decodeJson(data: Uint8Array): unknown {
  const text = new TextDecoder().decode(data);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function startReflex(ctx: ReflexContext): void {
  const { nc, lc, rng } = ctx;
  const last = new Map<HandlerId, OutcomeBody>();
  const publish = (handler: HandlerId, data: Uint8Array, id: string, contentType?: string) =>
    corePublish(nc, lc, `${OUTCOME_SUBJECT_PREFIX}.${handler}`, data, id, contentType);

  for (const handler of HANDLER_IDS) {
    const hrng = rng.fork(`handler:${handler}`);
    const handle = async (msg: Msg) => {
      const receivedAt = new Date();
      const payload = decodeJson(msg.data);
      const id =
        msg.headers?.get("Nats-Msg-Id") ||
        (typeof payload === "object" && payload ? str((payload as Record<string, unknown>).event_id) : null) ||
        undefined;
      let result: HandlerResult | HandlerRaised;
      try {
        result = runHandler(handler, payload, hrng.chance(ctx.waves.transientP(handler)));
      } catch (err) {
        if (!(err instanceof HandlerRaised)) throw err;
        result = err;
      }
      const duration = handlingDuration(hrng, result);
      if (!(await lc.sleep(duration))) return;
      const body = outcomeBody(handler, { subject: msg.subject, id, payload, receivedAt }, result, new Date(), duration);
      last.set(handler, body);
      publish(handler, encodeJson(body), hrng.uuid());
    };
    const sub = nc.subscribe(`${SENSORY_PREFIX[handler]}.>`, {
      callback: (err, msg) => {
        if (!err) lc.spawn(`handler ${handler}`, () => handle(msg));
      },
    });
    lc.onStop(() => sub.unsubscribe());
  }

  const mrng = rng.fork("malformed");
  lc.spawn("malformed outcomes", async () => {
    // The first one lands early so a fresh dashboard shows the raw-payload path within the first minute.
    let wait = ctx.malformedOutcomeEveryMs * mrng.range(0.3, 0.9);
    let kindIndex = 0;
    while (await lc.sleep(wait)) {
      const handler = mrng.pick(HANDLER_IDS);
      const sample = last.get(handler) ?? syntheticOutcome(mrng, handler);
      // Rotate kinds so the first few cover both the not-JSON and the schema-violation paths.
      const kind = kindIndex < MALFORMED_KINDS.length ? MALFORMED_KINDS[kindIndex++]! : mrng.pick(MALFORMED_KINDS);
      const { data, contentType } = malformedOutcome(kind, sample);
      publish(handler, data, mrng.uuid(), contentType);
      wait = mrng.exponential(ctx.malformedOutcomeEveryMs);
    }
  });
}

function syntheticOutcome(rng: Rng, handler: HandlerId): OutcomeBody {
  const ev = buildSensoryEvent(handler, rng, new Date(), false);
  return outcomeBody(
    handler,
    { subject: ev.subject, id: ev.id, payload: ev.payload, receivedAt: new Date() },
    runHandler(handler, ev.payload),
    new Date(),
    3,
  );
}
