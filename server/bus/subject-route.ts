/** The subject route's service: what the hub holds for streams and consumers, and the servers' subscription lists now. */
import "server-only";
import { z } from "zod";
import { answerSubjectRoute, type SubjectRoute, type SubscriptionsReading } from "../../lib/bus/subject-route";
import { parseSubject, type Subject } from "../../lib/bus/subjects";
import { getRuntime, type Runtime } from "../runtime";
import { settledWithin } from "./subscriptions-source";

/** How long an answer waits for busdeck's own connection (down: every account's subscribers are listed). */
const OWN_CONNECTION_WAIT_MS = 1_000;

/** `?subject=`: a subject to route, literal or with wildcards; a malformed one is a 400 naming its problem. */
export const SubjectRouteQuerySchema = z.object({
  subject: z.string({ error: "required" }).transform((text, ctx): Subject => {
    const parsed = parseSubject(text);
    if (parsed.ok) return parsed.subject;
    ctx.addIssue({ code: "custom", message: parsed.problem });
    return z.NEVER;
  }),
});

export async function subjectRoute(subject: Subject): Promise<SubjectRoute> {
  const rt = await getRuntime();
  const streams = rt.hub.getState("streams");
  const reading = await rt.busSubscriptions();
  return answerSubjectRoute({
    subject,
    streams: streams?.streams ?? [],
    streamsSampledAt: streams?.sampled_at ?? null,
    consumers: rt.hub.getState("consumers")?.consumers ?? [],
    subscriptions: { ...reading, account: await ownAccount(rt, reading) },
  });
}

/** The account of busdeck's own connection, found by its client id in the list of the server it is connected to. */
async function ownAccount(rt: Pick<Runtime, "nc">, reading: Omit<SubscriptionsReading, "account">): Promise<string | null> {
  const info = (await settledWithin(rt.nc, OWN_CONNECTION_WAIT_MS))?.info;
  if (!info) return null;
  for (const { connz } of reading.servers) {
    if (connz?.server_id !== info.server_id) continue;
    return connz.connections?.find((c) => c.cid === info.client_id)?.account ?? null;
  }
  return null;
}
