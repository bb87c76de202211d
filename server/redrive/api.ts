/** The redrive route's service and the audit target of a redrive: the message it copies. */
import "server-only";
import type { z } from "zod";
import { redriveOf } from "../../lib/redrive/redrive";
import { MessageParamsSchema } from "../streams/api";

export { redriveMessage } from "./service";
export const RedriveParamsSchema = MessageParamsSchema;

/** `<stream>:<seq>`, as the Busdeck-Redrive-Of header names it. */
export function redriveTarget(params: unknown): string {
  const { name, seq } = params as z.output<typeof MessageParamsSchema>;
  return redriveOf(name, seq);
}
