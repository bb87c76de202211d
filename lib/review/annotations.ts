/**
 * Annotations: short operator notes pinned to a moment ("rolled back deploy 1.4.2"), shown on every chart's
 * timeline. Stored in KV (one key per note) and broadcast to every dashboard replica over NATS; each broadcast
 * names the replica it came from, and that replica skips its own echo because it already applied the change.
 * Pure: the reducer and the broadcast rule take everything as arguments.
 */
import { z } from "zod";
import { RandomIdSchema } from "../wire/ids";

export const MAX_ANNOTATION_TEXT = 280;
/** The hub keeps the newest this many; older notes stay in KV. */
export const MAX_ANNOTATIONS_SHOWN = 1_000;

const AnnotationTextSchema = z
  .string()
  .trim()
  .min(1, "a note needs some text")
  .max(MAX_ANNOTATION_TEXT, `at most ${MAX_ANNOTATION_TEXT} characters`)
  // Newlines and control characters would break the one-line chart label.
  .refine((t) => !/[\u0000-\u001f\u007f]/.test(t), "one line of text, no control characters");

export const AnnotationSchema = z.object({
  id: RandomIdSchema,
  /** The moment the note is about (UTC ISO), which may be earlier than when it was written. */
  at: z.iso.datetime(),
  text: AnnotationTextSchema,
  author: z.string().max(200),
  created_at: z.iso.datetime(),
});
export type Annotation = z.infer<typeof AnnotationSchema>;

/** What the "Add note" form sends: the time defaults to now on the server. */
export const NewAnnotationSchema = z.object({
  at: z.iso.datetime({ offset: true }).optional(),
  text: AnnotationTextSchema,
});
export type NewAnnotation = z.infer<typeof NewAnnotationSchema>;

export function buildAnnotation(input: NewAnnotation, origin: { id: string; author: string; now: Date }): Annotation {
  return {
    id: origin.id,
    at: new Date(input.at ?? origin.now).toISOString(),
    text: input.text,
    author: origin.author,
    created_at: origin.now.toISOString(),
  };
}

export type AnnotationChange = { op: "put"; annotation: Annotation } | { op: "delete"; id: string };

const AnnotationChangeSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("put"), annotation: AnnotationSchema }),
  z.object({ op: z.literal("delete"), id: RandomIdSchema }),
]);

/** One message on `<prefix>.annotations`. */
export const AnnotationBroadcastSchema = z.object({ origin: z.string().min(1), change: AnnotationChangeSchema });
export type AnnotationBroadcast = z.infer<typeof AnnotationBroadcastSchema>;

/** A replica applies a broadcast unless it sent it: it applied that change locally before publishing. */
export const isOwnEcho = (broadcast: AnnotationBroadcast, replicaId: string) => broadcast.origin === replicaId;

/** Sorted by `at`, then id; applying the same change twice gives the same list (changes may arrive twice). */
export function applyAnnotationChange(list: readonly Annotation[], change: AnnotationChange, limit = MAX_ANNOTATIONS_SHOWN): Annotation[] {
  const id = change.op === "put" ? change.annotation.id : change.id;
  const rest = list.filter((a) => a.id !== id);
  const next = change.op === "put" ? [...rest, change.annotation] : rest;
  return sortAnnotations(next).slice(-limit);
}

export const sortAnnotations = (list: Annotation[]) => [...list].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));

/** The notes inside [from, to] (ms), for a chart's visible range. */
export function annotationsBetween(list: readonly Annotation[], from: number, to: number): Annotation[] {
  return list.filter((a) => {
    const t = Date.parse(a.at);
    return t >= from && t <= to;
  });
}

/**
 * For charts whose x axis is a list of bucket starts (bar charts): the bucket a note falls in, or null when it
 * lies outside them. Buckets are sorted ascending; the last one is taken to be as wide as the one before it.
 */
export function bucketOf(at: number, buckets: readonly number[]): number | null {
  if (buckets.length === 0 || at < buckets[0]) return null;
  const width = buckets.length > 1 ? buckets[buckets.length - 1] - buckets[buckets.length - 2] : 0;
  if (at >= buckets[buckets.length - 1] + width && !(width === 0 && at === buckets[0])) return null;
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (buckets[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return buckets[lo];
}

/** A chart label stays short; the full text is in the list and the tooltip. */
export function annotationLabel(text: string, max = 32): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
