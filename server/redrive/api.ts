/** The redrive route's service and the audit target of a redrive: the message it copies. */
import "server-only";
import { z } from "zod";
import { ConsumerNameSchema, StreamNameSchema } from "../../lib/streams/queries";
import { redriveOf } from "../../lib/redrive/redrive";
import { MessageParamsSchema } from "../streams/api";

export { redriveMessage } from "./service";
export { bulkRedriveResponse } from "./bulk";
export const RedriveParamsSchema = MessageParamsSchema;

/** `<stream>:<seq>`, as the Busdeck-Redrive-Of header names it. */
export function redriveTarget(params: unknown): string {
  const { name, seq } = params as z.output<typeof MessageParamsSchema>;
  return redriveOf(name, seq);
}

/** The path of /api/consumers/[stream]/[name]/redrive. */
export const ConsumerRedriveParamsSchema = z.object({ stream: StreamNameSchema, name: ConsumerNameSchema });

/** `<stream>/<consumer>`: whose dead letters a bulk redrive sent. */
export function consumerRedriveTarget(params: unknown): string {
  const { stream, name } = params as z.output<typeof ConsumerRedriveParamsSchema>;
  return `${stream}/${name}`;
}
