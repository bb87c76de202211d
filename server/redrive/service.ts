/**
 * Redrive: republish a stored message, read unmasked from the stream (never from the browser), to
 * its subject or another one its stream captures. The copy carries a dedup id, so the same attempt sent twice
 * (a double click, a retry, a second replica) is stored once within the stream's duplicate window.
 */
import "server-only";
import { headers as natsHeaders, type MsgHdrs } from "@nats-io/nats-core";
import { redriveHeaders, redriveMsgId, redriveSubjectProblem, type RedriveRequest, type RedriveResult } from "../../lib/redrive/redrive";
import { BadRequestError, publishPermissionDenied, TooManyRequestsError, UnavailableError } from "../errors";
import { headersToRecord } from "../nats-headers";
import { getRuntime } from "../runtime";
import { onStream, type StreamsClients } from "../streams/api";
import { missingMessage } from "../streams/messages";

/** A 429 once `user` has used this minute's redrives; else counts this one. */
export async function admitRedrive(user: string, now: number): Promise<void> {
  const limit = (await getRuntime()).redriveLimit;
  const waitMs = limit.retryAfterMs(user, now);
  if (waitMs > 0) {
    throw new TooManyRequestsError("too_many_redrives", `too many redrives by "${user}" this minute`, Math.ceil(waitMs / 1000));
  }
  limit.recordFailure(user, now);
}

function toNatsHeaders(record: Record<string, string[]>): MsgHdrs {
  const h = natsHeaders();
  for (const [name, values] of Object.entries(record)) for (const v of values) h.append(name, v);
  return h;
}

const utf8 = new TextEncoder();

/** Bytes the server counts against max_payload: the payload and the header block (`NATS/1.0`, `Name: value` lines). */
function wireSize(data: Uint8Array, record: Record<string, string[]>): number {
  const lines = Object.entries(record).flatMap(([name, values]) => values.map((v) => `${name}: ${v}\r\n`));
  return data.length + utf8.encode(`NATS/1.0\r\n${lines.join("")}\r\n`).length;
}

export async function redriveMessage(stream: string, seq: number, request: RedriveRequest, user: string): Promise<RedriveResult> {
  await admitRedrive(user, Date.now());
  return onStream(stream, (clients) => republish(clients, stream, seq, request));
}

/** Republishes one stored message (read unmasked from the stream) as attempt `request.n`. */
export async function republish(
  { nc, jsm, js }: Pick<StreamsClients, "nc" | "jsm" | "js">,
  stream: string,
  seq: number,
  request: RedriveRequest,
): Promise<RedriveResult> {
  const [info, stored] = await Promise.all([jsm.streams.info(stream), jsm.streams.getMessage(stream, { seq })]);
  if (!stored) throw await missingMessage(jsm, stream, seq);
  const subject = request.subject ?? stored.subject;
  const problem = redriveSubjectProblem(subject, info.config.subjects ?? []);
  if (problem) throw new BadRequestError("subject", problem);
  const copyHeaders = redriveHeaders(headersToRecord(stored.header) ?? null, { stream, seq, n: request.n });
  const size = wireSize(stored.data, copyHeaders);
  const maxPayload = nc.info?.max_payload;
  if (maxPayload !== undefined && size > maxPayload) {
    throw new BadRequestError(undefined, `the copy is ${size} bytes, more than the server's max_payload of ${maxPayload}`);
  }
  const ack = await js
    .publish(subject, stored.data, { headers: toNatsHeaders(copyHeaders), expect: { streamName: stream } })
    .catch((err) => {
      if (!publishPermissionDenied(err)) throw err;
      throw new UnavailableError(
        `the NATS server refused the publish: busdeck's NATS user has no publish permission on "${subject}" ` +
          `(grant publish on the subjects of the streams to redrive; docs/nats-permissions.md)`,
        { cause: err },
      );
    });
  return { stream, seq, subject, msg_id: redriveMsgId(stream, seq, request.n), published_seq: ack.seq, duplicate: ack.duplicate, size };
}
