/**
 * The chaos run's known workload: outcome n is a pure function of n (handler, severity, kind, error group), so
 * the expected counts of any prefix [0, N) are computed, not remembered; and a publisher that gives every outcome
 * a Nats-Msg-Id and retries it until JetStream acks it, across node kills and its own connection being cut.
 */
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream } from "@nats-io/jetstream";

export const CHAOS_HANDLERS = ["link_down", "peer_flap", "config_drift", "cpu_hot"] as const;
const SEVERITIES = ["info", "warn", "high", "critical"] as const;
/** The exception types of the errored outcomes: each handler has one error group per type. */
export const CHAOS_EXCEPTIONS = ["KeyError", "TimeoutError", "ValueError"] as const;

export interface ChaosOutcome {
  handler_id: string;
  severity: (typeof SEVERITIES)[number];
  kind: "logged" | "acted" | "errored";
  exception: (typeof CHAOS_EXCEPTIONS)[number] | null;
}

/** Outcome n of a run: every tenth (n % 10 === 3) is errored, with one of three exceptions. */
export function chaosOutcome(n: number): ChaosOutcome {
  const handler_id = CHAOS_HANDLERS[n % CHAOS_HANDLERS.length]!;
  const d = n % 10;
  if (d === 3) {
    return { handler_id, severity: "high", kind: "errored", exception: CHAOS_EXCEPTIONS[Math.floor(n / 10) % CHAOS_EXCEPTIONS.length]! };
  }
  return { handler_id, severity: SEVERITIES[Math.floor(n / 4) % 4]!, kind: d < 6 ? "logged" : "acted", exception: null };
}

function exceptionText(o: ChaosOutcome, n: number): string {
  switch (o.exception) {
    case "KeyError":
      return `KeyError: 'peer-${n}'`;
    case "TimeoutError":
      return `TimeoutError: lookup of router-${n % 977} timed out after ${5 + (n % 3)} s`;
    case "ValueError":
      return `ValueError: invalid literal for int() with base 10: 'Gi1/0/${n % 48}'`;
    default:
      return "";
  }
}

/** The wire body of outcome n (the contract of lib/outcomes/outcome.ts). */
export function chaosOutcomeBody(n: number, runId: string, at: Date): Record<string, unknown> {
  const o = chaosOutcome(n);
  const body: Record<string, unknown> = {
    handler_id: o.handler_id,
    severity: o.severity,
    kind: o.kind,
    target: o.kind === "errored" ? null : `router-${n % 50}`,
    summary: `chaos outcome ${n}`,
    event: { subject: `sensory.chaos.${o.handler_id}`, id: `${runId}-${n}` },
    emitted_at: at.toISOString(),
    duration_ms: 1 + (n % 200),
  };
  if (o.exception) {
    body.diagnostic = [
      "Traceback (most recent call last):",
      '  File "/app/netcortex/reflex/runner.py", line 141, in _dispatch',
      "    outcome = await handler.handle(event)",
      `  File "/app/netcortex/reflex/handlers/${o.handler_id}.py", line 57, in handle`,
      "    return self.lookup(event)",
      exceptionText(o, n),
    ].join("\n");
  }
  return body;
}

export interface ExpectedOutcomes {
  total: number;
  handlers: Record<string, { total: number; errored: number; severity: Record<string, number>; kinds: Record<string, number> }>;
  /** `<handler> <exception type>` → count */
  groups: Record<string, number>;
}

/** What outcomes [0, n) add up to. */
export function expectedOutcomes(n: number): ExpectedOutcomes {
  const out: ExpectedOutcomes = { total: n, handlers: {}, groups: {} };
  for (let i = 0; i < n; i++) {
    const o = chaosOutcome(i);
    const h = (out.handlers[o.handler_id] ??= { total: 0, errored: 0, severity: {}, kinds: {} });
    h.total++;
    if (o.kind === "errored") h.errored++;
    h.severity[o.severity] = (h.severity[o.severity] ?? 0) + 1;
    h.kinds[o.kind] = (h.kinds[o.kind] ?? 0) + 1;
    if (o.exception) out.groups[`${o.handler_id} ${o.exception}`] = (out.groups[`${o.handler_id} ${o.exception}`] ?? 0) + 1;
  }
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A connection that keeps trying servers for ever: faults are expected, giving up is not. */
export const chaosConnect = (servers: string[], name: string) =>
  connect({ servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 250, waitOnFirstConnect: true });

export interface RetryingPublisherOptions {
  servers: string[];
  name: string;
  /** Messages per second to issue. */
  rate: number;
  subject: (n: number) => string;
  body: (n: number) => Uint8Array;
  msgId: (n: number) => string;
  /** At most this many unacknowledged publishes at once. */
  maxInFlight?: number;
}

/**
 * Issues messages 0, 1, 2, … at `rate`; each is published with its Nats-Msg-Id and retried until acked (a
 * duplicate ack counts: the stream has it). `cutConnection()` closes the connection under the in-flight
 * publishes; `restoreConnection()` opens a new one they retry on.
 */
export class RetryingPublisher {
  issued = 0;
  acked = 0;
  duplicates = 0;
  retries = 0;
  private nc: NatsConnection | null = null;
  private inFlight = 0;
  private issuing = false;
  private pacer: Promise<void> | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly opts: RetryingPublisherOptions) {}

  async start(): Promise<void> {
    await this.restoreConnection();
    this.issuing = true;
    this.pacer = this.pace();
  }

  private async pace() {
    const t0 = Date.now();
    const max = this.opts.maxInFlight ?? 2_000;
    while (this.issuing) {
      const due = Math.floor(((Date.now() - t0) * this.opts.rate) / 1000);
      while (this.issued < due && this.inFlight < max) void this.publishOne(this.issued++);
      await sleep(10);
    }
  }

  private async publishOne(n: number) {
    this.inFlight++;
    const data = this.opts.body(n);
    for (let attempt = 0; ; attempt++) {
      const nc = this.nc;
      if (nc && !nc.isClosed()) {
        try {
          const ack = await jetstream(nc).publish(this.opts.subject(n), data, { msgID: this.opts.msgId(n), timeout: 5_000 });
          if (ack.duplicate) this.duplicates++;
          this.acked++;
          break;
        } catch {
          // not acked: the stream may or may not have it; the same Nats-Msg-Id makes the retry safe
        }
      }
      this.retries++;
      await sleep(Math.min(1_000, 100 * (attempt + 1)));
    }
    this.inFlight--;
    if (this.inFlight === 0) for (const w of this.waiters) w();
  }

  /** Stops issuing; resolves once every issued message is acked, or throws after `timeoutMs`. */
  async finish(timeoutMs: number): Promise<void> {
    this.issuing = false;
    await this.pacer;
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight > 0) {
      if (Date.now() > deadline) throw new Error(`${this.opts.name}: ${this.inFlight} publishes still unacked after ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        this.waiters.add(r);
        setTimeout(r, 200);
      });
      this.waiters.clear();
    }
  }

  async cutConnection(): Promise<void> {
    const nc = this.nc;
    this.nc = null;
    await nc?.close().catch(() => undefined);
  }

  async restoreConnection(): Promise<void> {
    if (this.nc && !this.nc.isClosed()) return;
    this.nc = await chaosConnect(this.opts.servers, this.opts.name);
  }

  async close(): Promise<void> {
    this.issuing = false;
    await this.cutConnection();
  }
}
