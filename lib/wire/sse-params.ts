/**
 * The SSE endpoint's request parameters. Apart from lib/wire/topics.ts, which every page's bundle holds (the live
 * cache unpacks its events): these schemas are the server's alone, and importing zod there put all of it in
 * the layout's shared chunk, compiled and run before any page hydrates.
 */
import { z } from "zod";
import { ALL_TOPICS, type Topic } from "./topics";

/** `?topics=a,b` on the SSE endpoint; absent means every topic. */
export const TopicsParamSchema = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined || raw.trim() === "") return [...ALL_TOPICS];
    const topics = raw
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    const unknown = topics.filter((t) => !(ALL_TOPICS as readonly string[]).includes(t));
    if (unknown.length > 0) {
      ctx.addIssue({ code: "custom", message: `unknown topic(s): ${unknown.join(", ")}; known: ${ALL_TOPICS.join(", ")}` });
      return z.NEVER;
    }
    return [...new Set(topics)] as Topic[];
  });

/** Last-Event-ID header: the hub sequence the client last saw. */
export const LastEventIdSchema = z
  .string()
  .regex(/^\d{1,15}$/, "Last-Event-ID must be a non-negative integer")
  .transform(Number)
  .optional();
