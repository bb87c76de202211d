import { describe, expect, it } from "vitest";
import {
  annotationLabel,
  AnnotationBroadcastSchema,
  AnnotationSchema,
  annotationsBetween,
  applyAnnotationChange,
  bucketOf,
  buildAnnotation,
  isOwnEcho,
  MAX_ANNOTATION_TEXT,
  NewAnnotationSchema,
  type Annotation,
} from "./annotations";

const now = new Date("2026-11-23T15:00:00.000Z");
const note = (id: string, at: string, text = "rolled back deploy 1.4.2"): Annotation =>
  buildAnnotation({ text, at }, { id, author: "alice", now });

describe("annotations", () => {
  it("annotations - a note defaults to now, keeps an earlier time it is about, and validates", () => {
    const a = buildAnnotation({ text: "failover drill" }, { id: "aaaaaaaaaaaaaaaa", author: "alice", now });
    expect(a).toEqual({
      id: "aaaaaaaaaaaaaaaa",
      at: now.toISOString(),
      text: "failover drill",
      author: "alice",
      created_at: now.toISOString(),
    });
    expect(AnnotationSchema.parse(JSON.parse(JSON.stringify(a)))).toEqual(a);
    // A time with an offset is stored in UTC.
    expect(buildAnnotation({ text: "x", at: "2026-11-23T16:30:00+02:00" }, { id: "aaaaaaaaaaaaaaaa", author: "a", now }).at).toBe(
      "2026-11-23T14:30:00.000Z",
    );
  });

  it("annotations - text is one line of 1 to 280 characters, trimmed", () => {
    expect(NewAnnotationSchema.parse({ text: "  deploy  " }).text).toBe("deploy");
    expect(NewAnnotationSchema.safeParse({ text: "x".repeat(MAX_ANNOTATION_TEXT) }).success).toBe(true);
    expect(NewAnnotationSchema.safeParse({ text: "x".repeat(MAX_ANNOTATION_TEXT + 1) }).success).toBe(false);
    expect(NewAnnotationSchema.safeParse({ text: "   " }).success).toBe(false);
    expect(NewAnnotationSchema.safeParse({ text: "two\nlines" }).success).toBe(false);
    expect(NewAnnotationSchema.safeParse({ text: "ok", at: "yesterday" }).success).toBe(false);
    expect(AnnotationSchema.safeParse({ ...note("aaaaaaaaaaaaaaaa", now.toISOString()), id: "../x" }).success).toBe(false);
  });

  it("annotations - changes apply in time order and applying one twice changes nothing", () => {
    const late = note("bbbbbbbbbbbbbbbb", "2026-11-23T14:00:00.000Z");
    const early = note("aaaaaaaaaaaaaaaa", "2026-11-23T13:00:00.000Z");
    let list = applyAnnotationChange([], { op: "put", annotation: late });
    list = applyAnnotationChange(list, { op: "put", annotation: early });
    expect(list.map((a) => a.id)).toEqual([early.id, late.id]);
    expect(applyAnnotationChange(list, { op: "put", annotation: early })).toEqual(list);
    const edited = { ...early, text: "edited" };
    expect(applyAnnotationChange(list, { op: "put", annotation: edited })[0].text).toBe("edited");
    expect(applyAnnotationChange(list, { op: "delete", id: late.id }).map((a) => a.id)).toEqual([early.id]);
    expect(applyAnnotationChange(list, { op: "delete", id: "cccccccccccccccc" })).toEqual(list);
    expect(
      applyAnnotationChange(list, { op: "put", annotation: note("cccccccccccccccc", "2026-11-23T15:00:00.000Z") }, 2).map((a) => a.id),
    ).toEqual([late.id, "cccccccccccccccc"]);
  });

  it("annotations - a replica skips only its own echo", () => {
    const b = AnnotationBroadcastSchema.parse({ origin: "pod-a:1", change: { op: "delete", id: "aaaaaaaaaaaaaaaa" } });
    expect(isOwnEcho(b, "pod-a:1")).toBe(true);
    expect(isOwnEcho(b, "pod-b:1")).toBe(false);
    expect(AnnotationBroadcastSchema.safeParse({ change: { op: "delete", id: "aaaaaaaaaaaaaaaa" } }).success).toBe(false);
    expect(
      AnnotationBroadcastSchema.safeParse({ origin: "x", change: { op: "put", annotation: { id: "aaaaaaaaaaaaaaaa" } } }).success,
    ).toBe(false);
  });

  it("annotations - charts get the notes in their range, snapped to their buckets", () => {
    const list = [note("aaaaaaaaaaaaaaaa", "2026-11-23T13:00:00.000Z"), note("bbbbbbbbbbbbbbbb", "2026-11-23T14:00:00.000Z")];
    expect(annotationsBetween(list, Date.parse("2026-11-23T13:30:00Z"), Date.parse("2026-11-23T14:30:00Z")).map((a) => a.id)).toEqual([
      "bbbbbbbbbbbbbbbb",
    ]);
    const buckets = [0, 60, 120, 180];
    expect(bucketOf(0, buckets)).toBe(0);
    expect(bucketOf(59, buckets)).toBe(0);
    expect(bucketOf(130, buckets)).toBe(120);
    expect(bucketOf(239, buckets)).toBe(180);
    expect(bucketOf(240, buckets)).toBeNull();
    expect(bucketOf(-1, buckets)).toBeNull();
    expect(bucketOf(5, [])).toBeNull();
    expect(bucketOf(5, [5])).toBe(5);
  });

  it("annotations - chart labels are cut with an ellipsis", () => {
    expect(annotationLabel("short")).toBe("short");
    expect(annotationLabel("x".repeat(40), 10)).toBe(`${"x".repeat(9)}…`);
  });
});
