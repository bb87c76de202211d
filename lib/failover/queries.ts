/**
 * Query parameters of the failover API (`/api/failover/timeline`, `/api/failover/failovers`): strict, since a
 * script asking for a bad range should hear why.
 */
import { z } from "zod";

/** Any time Date.parse reads (ISO-8601 in practice). */
export const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO-8601 time");

/** `/api/failover/timeline`: entries in [from, to), optionally of one singleton. */
export const TimelineQuerySchema = z
  .object({
    from: isoTime,
    to: isoTime.optional(),
    key: z.string().min(1).max(256).optional(),
    limit: z.coerce.number().int().min(1).max(20_000).default(5_000),
  })
  .refine((q) => !q.to || Date.parse(q.to) > Date.parse(q.from), { message: "must be after from", path: ["to"] });
export type TimelineQuery = z.infer<typeof TimelineQuerySchema>;

/** `/api/failover/failovers` query: counts and gaps per singleton over a range. */
export const FailoverCountQuerySchema = z.object({
  from: isoTime,
  to: isoTime.optional(),
});
