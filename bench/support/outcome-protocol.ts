/**
 * Reflex outcomes as NATS protocol bytes, for benches that must not spend their CPU encoding them: one cycle of
 * the bench pool (outcome-payloads.ts) as header-carrying frames, with the reflex runner's headers and a
 * Nats-Msg-Id whose trailing counter is stamped per message, so every message sent is unique.
 *
 *  - "HMSG": what a nats-server delivers to a subscriber (sid 1): fed to the client's own parser in-process;
 *  - "HPUB": what a publisher sends to a nats-server.
 */
import { outcomeMessages } from "../../testing/fixtures/outcome-payloads";

/** Digits of the per-message counter in each Nats-Msg-Id (`<uuid>-<counter>`). */
export const COUNTER_DIGITS = 9;

export interface ProtocolCycle {
  bytes: Uint8Array;
  /** Where frame i starts (and, at index count, where the cycle ends). */
  frameAt: number[];
  /** Where frame i's id counter starts. */
  counterAt: number[];
  count: number;
  avgPayloadBytes: number;
}

export function protocolCycle(verb: "HMSG" | "HPUB"): ProtocolCycle {
  const pool = outcomeMessages(2_000);
  const enc = new TextEncoder();
  const frames: Uint8Array[] = [];
  const frameAt: number[] = [];
  const counterAt: number[] = [];
  let at = 0;
  for (const m of pool) {
    const hdr = `NATS/1.0\r\nContent-Type: application/json\r\nNats-Msg-Id: ${m.msgId}-${"0".repeat(COUNTER_DIGITS)}\r\n\r\n`;
    const head = `${verb} ${m.subject}${verb === "HMSG" ? " 1" : ""} ${hdr.length} ${hdr.length + m.data.byteLength}\r\n`;
    const frame = concat([enc.encode(head + hdr), m.data, enc.encode("\r\n")]);
    frameAt.push(at);
    counterAt.push(at + head.length + hdr.length - 4 - COUNTER_DIGITS);
    frames.push(frame);
    at += frame.byteLength;
  }
  frameAt.push(at);
  const avgPayloadBytes = pool.reduce((n, m) => n + m.data.byteLength, 0) / pool.length;
  return { bytes: concat(frames), frameAt, counterAt, count: pool.length, avgPayloadBytes };
}

/**
 * Messages `from` up to (not including) `to` of an endless run of the cycle, as one fresh buffer: each id
 * counter holds its message's index. `to - from` must not exceed one cycle.
 */
export function framesFor(cycle: ProtocolCycle, from: number, to: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = from; i < to;) {
    const start = i % cycle.count;
    const end = Math.min(cycle.count, start + (to - i));
    parts.push(cycle.bytes.subarray(cycle.frameAt[start]!, cycle.frameAt[end]!));
    i += end - start;
  }
  const out = concat(parts);
  for (let i = from; i < to; i++) stampCounter(out, offsetIn(cycle, from, i), i);
  return out;
}

/** Where message `i`'s id counter lies in framesFor(cycle, from, …)'s buffer. */
function offsetIn(cycle: ProtocolCycle, from: number, i: number): number {
  const first = from % cycle.count;
  const k = i % cycle.count;
  // The run wraps at most once: frames after the wrap follow the cycle's tail.
  return k >= first
    ? cycle.counterAt[k]! - cycle.frameAt[first]!
    : cycle.frameAt[cycle.count]! - cycle.frameAt[first]! + cycle.counterAt[k]!;
}

function stampCounter(bytes: Uint8Array, at: number, n: number) {
  for (let d = COUNTER_DIGITS - 1; d >= 0; d--) {
    bytes[at + d] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}
