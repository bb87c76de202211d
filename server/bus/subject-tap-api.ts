/**
 * The subject tail's service: a subject's messages as this replica receives them (server/bus/subject-tail.ts),
 * masked like every payload (server/streams/payload-masker.ts) and served as server-sent events on a live slot.
 */
import "server-only";
import type { Subject } from "../../lib/bus/subjects";
import type { SubjectTailEvent } from "../../lib/bus/subject-tap";
import { BadRequestError, UnavailableError } from "../errors";
import { getRuntime } from "../runtime";
import { admitLiveStream } from "../scan-admission";
import { eventStreamResponse } from "../streams/event-stream";
import { LIST_RENDER } from "../streams/messages";

/**
 * `subject`'s messages (wildcards allowed) while the client reads. A subject outside the tap's is a 400 naming
 * them; a tap that is off (or not connected yet) a 503 with the reason.
 */
export async function subjectTailResponse(request: Request, subject: Subject): Promise<Response> {
  const rt = await getRuntime();
  const tails = rt.subjectTails();
  const reason = rt.config.subjectTap.offReason;
  if (!tails)
    throw new UnavailableError(
      rt.config.subjectTap.subjects.length ? "the subject tap is not connected yet" : `the subject tap is off: ${reason}`,
    );
  if (!tails.covers(subject.tokens))
    throw new BadRequestError("subject", `not within the tapped subjects (${tails.configured.join(", ") || "none"})`);
  const release = await admitLiveStream(request);
  return eventStreamResponse(
    request,
    async function* (signal): AsyncGenerator<SubjectTailEvent> {
      for await (const item of tails.tail(subject.text, signal)) {
        if (item.type === "skipped") {
          yield item;
          continue;
        }
        const m = item.message;
        const size = m.data.length;
        const masked = await rt.payloadMasker.mask({ data: m.data, headers: m.headers }, LIST_RENDER);
        yield {
          type: "message",
          message: {
            subject: m.subject,
            at: m.at,
            size,
            payload: masked.payload!,
            headers: masked.headers ?? null,
            redacted: masked.redacted,
          },
        };
      }
    },
    { onGone: release },
  );
}
