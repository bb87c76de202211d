/**
 * Publishes an outcome log (JSON lines) on the contract subjects, so a team can pipe the outcomes its runtime
 * already logs into busdeck. Each line is checked like busdeck reads it (lib/outcomes/outcome-line.ts); a bad
 * line is reported with its number and skipped, never dropped silently. Through JetStream when a stream captures
 * the subjects (acknowledged, deduplicated by Nats-Msg-Id), else core NATS (live only).
 */
import { createHash } from "node:crypto";
import { headers as natsHeaders, type NatsConnection } from "@nats-io/nats-core";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { outcomeLine } from "../../lib/outcomes/outcome-line";

export interface BadLine {
  line: number;
  error: string;
}

export interface PublishSummary {
  published: number;
  /** Already stored (same Nats-Msg-Id within the stream's duplicate window): not stored twice. */
  duplicates: number;
  bad: BadLine[];
  /** The stream that stored them, null when none captures the subjects (published on core NATS). */
  stream: string | null;
}

const contentHash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 32);

/** The stream that captures `<prefix>.>`, or null. */
async function capturingStream(nc: NatsConnection, prefix: string): Promise<string | null> {
  const jsm = await jetstreamManager(nc).catch(() => null);
  if (!jsm) return null;
  return jsm.streams.find(`${prefix}.x`).catch(() => null);
}

export async function publishOutcomeLines(
  nc: NatsConnection,
  lines: AsyncIterable<string>,
  opts: { prefix: string; onBad?: (bad: BadLine) => void },
): Promise<PublishSummary> {
  // Start reading before the first await: readline drops lines emitted while nobody iterates.
  const reading = lines[Symbol.asyncIterator]();
  const stream = await capturingStream(nc, opts.prefix);
  const js = stream ? jetstream(nc) : null;
  const summary: PublishSummary = { published: 0, duplicates: 0, bad: [], stream };
  let n = 0;
  for await (const raw of { [Symbol.asyncIterator]: () => reading }) {
    n++;
    const parsed = outcomeLine(raw, opts.prefix, contentHash);
    if (parsed.ok === "blank") continue;
    if (!parsed.ok) {
      const bad = { line: n, error: parsed.error };
      summary.bad.push(bad);
      opts.onBad?.(bad);
      continue;
    }
    const h = natsHeaders();
    h.set("Content-Type", "application/json");
    h.set("Nats-Msg-Id", parsed.msgId);
    if (js) {
      const ack = await js.publish(parsed.subject, parsed.data, { headers: h, msgID: parsed.msgId });
      if (ack.duplicate) summary.duplicates++;
      else summary.published++;
    } else {
      nc.publish(parsed.subject, parsed.data, { headers: h });
      summary.published++;
    }
  }
  await nc.flush();
  return summary;
}
