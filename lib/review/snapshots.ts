/**
 * Frozen snapshots: the exact data behind one view, stored once and rendered read-only at /s/<id> forever after.
 * Wire types, the document schema (versioned by `format`, so later formats stay readable) and ids; the
 * view-from-URL mapping and the capture are lib/review/snapshot-views.ts, re-exported here. Pure: ids are made from
 * random bytes the caller supplies, times come in as arguments.
 */
import { z } from "zod";
import { formatUtc } from "../format";
import { RandomIdSchema } from "../wire/ids";
import { toOutcomeRow, type OutcomeRecord } from "../outcomes/outcome";
import { VIEW_KINDS, viewOfPath, viewTitle, type CapturedQuery, type FrozenViewRef } from "./snapshot-views";
import { TRAILING_WINDOWS, type TimeRange } from "../time/range";

export * from "./snapshot-views";

/** Bump when the document shape changes; parseSnapshotDocument keeps reading every older format. */
export const SNAPSHOT_FORMAT = 1;

// ---------------------------------------------------------------------------------------------- ids

export { ID_BYTES as SNAPSHOT_ID_BYTES, idFromBytes as snapshotIdFromBytes } from "../wire/ids";
export const SnapshotIdSchema = RandomIdSchema;

// ---------------------------------------------------------------------------------------------- documents

/** A path + query inside busdeck that shows a freezable view. */
const ViewUrlSchema = z
  .string()
  .max(4_096)
  .regex(/^\/[^\s]*$/, "a path starting with /")
  .refine((u) => !u.startsWith("//"), "a path, not a URL")
  .refine((u) => viewOfPath(u) !== null, "not a view that can be frozen");

/** One React Query cache entry the view read: its key and its data, as JSON. */
const QueryEntrySchema = z.object({ key: z.array(z.unknown()).min(1).max(16), data: z.unknown() }) satisfies z.ZodType<CapturedQuery>;
export type QueryEntry = CapturedQuery;

/** Enough for every query of the busiest view; more means something captured the whole cache. */
export const MAX_QUERIES = 64;

export const SNAPSHOT_NAME_MAX = 80;
const SnapshotNameSchema = z
  .string()
  .trim()
  .max(SNAPSHOT_NAME_MAX, `at most ${SNAPSHOT_NAME_MAX} characters`)
  .regex(/^[^\u0000-\u001f\u007f]*$/, "one line of text");

/** What the browser sends when an operator presses Freeze. */
export const FreezeRequestSchema = z.object({
  url: ViewUrlSchema,
  /** The browser's clock when the view was frozen: ages and trailing windows render against it forever. */
  view_now: z.number().int().positive(),
  queries: z.array(QueryEntrySchema).min(1).max(MAX_QUERIES),
  /** An optional name, e.g. the incident id: one line, shown in the list and on the banner. */
  name: SnapshotNameSchema.optional(),
});
export type FreezeRequest = z.infer<typeof FreezeRequestSchema>;

const SnapshotDocumentV1Schema = z.object({
  format: z.literal(1),
  id: SnapshotIdSchema,
  view: z.enum(VIEW_KINDS),
  title: z.string(),
  url: ViewUrlSchema,
  view_now: z.number().int().positive(),
  queries: z.array(QueryEntrySchema),
  /** busdeck's package.json version that took it. */
  server_version: z.string(),
  nats: z.object({ cluster: z.string().nullable(), server_name: z.string().nullable(), server_version: z.string().nullable() }),
  created_at: z.iso.datetime(),
  created_by: z.string(),
  name: z.string().optional(),
});
export type SnapshotDocument = z.infer<typeof SnapshotDocumentV1Schema>;

/** Every format ever written, by `format`; a new format adds a member and an upgrade to the current shape. */
const AnySnapshotDocumentSchema = z.discriminatedUnion("format", [SnapshotDocumentV1Schema]);

export class SnapshotFormatError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SnapshotFormatError";
  }
}

/** Reads a stored document of any known format; throws SnapshotFormatError naming what is wrong. */
export function parseSnapshotDocument(json: unknown): SnapshotDocument {
  const parsed = AnySnapshotDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join(".") || "document"}: ${i.message}`).join("; ");
    throw new SnapshotFormatError(`not a busdeck snapshot: ${why}`, { cause: parsed.error });
  }
  return parsed.data;
}

export interface SnapshotOrigin {
  id: string;
  now: Date;
  user: string;
  serverVersion: string;
  nats: SnapshotDocument["nats"];
}

export function buildSnapshotDocument(request: FreezeRequest, origin: SnapshotOrigin): SnapshotDocument {
  const ref = viewOfPath(request.url)!;
  return {
    format: SNAPSHOT_FORMAT,
    id: origin.id,
    view: ref.kind,
    title: viewTitle(ref),
    url: request.url,
    view_now: request.view_now,
    queries: request.queries,
    server_version: origin.serverVersion,
    nats: origin.nats,
    created_at: origin.now.toISOString(),
    created_by: origin.user,
    ...(request.name ? { name: request.name } : {}),
  };
}

// ---------------------------------------------------------------------------------------------- stored queries

/**
 * Stored cache entries as today's views read them. Snapshots of the outcomes view taken before pages streamed
 * feed rows hold its live feed as full records under ["live", "outcomes"]: they are seeded as the rows it reads now.
 */
export function currentQueryEntries(entries: QueryEntry[]): QueryEntry[] {
  const isLive = (e: QueryEntry, topic: string) => e.key.length === 2 && e.key[0] === "live" && e.key[1] === topic;
  if (entries.some((e) => isLive(e, "outcome_rows"))) return entries;
  return entries.map((e) => {
    if (!isLive(e, "outcomes") || !Array.isArray(e.data)) return e;
    try {
      return { key: ["live", "outcome_rows"], data: (e.data as OutcomeRecord[]).map(toOutcomeRow) };
    } catch {
      return e; // not records after all: the view shows its stored query alone, as it would have
    }
  });
}

// ---------------------------------------------------------------------------------------------- index

/** One line of the snapshots list, kept as object metadata so listing never reads a document. */
export interface SnapshotSummary {
  id: string;
  view: FrozenViewRef["kind"];
  title: string;
  url: string;
  created_at: string;
  created_by: string;
  /** The operator's name for it (an incident id), if given. */
  name?: string;
  /** Stored (gzip) size and the JSON size before compression. */
  stored_bytes: number;
  json_bytes: number;
}

const SummaryMetadataSchema = z.object({
  view: z.enum(VIEW_KINDS),
  title: z.string(),
  url: z.string(),
  created_at: z.string(),
  created_by: z.string(),
  json_bytes: z.coerce.number().int().nonnegative(),
  name: z.string().optional(),
});

export function summaryMetadata(doc: SnapshotDocument, jsonBytes: number): Record<string, string> {
  const meta: Record<string, string> = {
    view: doc.view,
    title: doc.title,
    url: doc.url,
    created_at: doc.created_at,
    created_by: doc.created_by,
    json_bytes: String(jsonBytes),
  };
  if (doc.name) meta.name = doc.name;
  return meta;
}

/** null for objects in the bucket that busdeck did not write (or wrote in a shape it no longer knows). */
export function summaryFromObject(name: string, storedBytes: number, metadata: Record<string, string> | undefined): SnapshotSummary | null {
  if (!SnapshotIdSchema.safeParse(name).success) return null;
  const meta = SummaryMetadataSchema.safeParse(metadata ?? {});
  if (!meta.success) return null;
  return { id: name, ...meta.data, stored_bytes: storedBytes };
}

/** Newest first. */
export const sortSummaries = (list: SnapshotSummary[]) =>
  [...list].sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));

export const snapshotPath = (id: string) => `/s/${id}`;

/** "Frozen snapshot INC-42 — taken 2026-11-23 15:04:05 UTC by alice". */
export function frozenBannerText(doc: Pick<SnapshotDocument, "created_at" | "created_by" | "name">): string {
  return `Frozen snapshot${doc.name ? ` ${doc.name}` : ""} — taken ${formatUtc(doc.created_at, "utc")} by ${doc.created_by || "unknown"}`;
}

/**
 * The absolute UTC span a frozen view's data covers: a fixed range as it is, a trailing window back from the
 * moment of the freeze, and the view's own default window as "up to" that moment.
 */
export function frozenRangeText(range: TimeRange, viewNow: number): string {
  const utc = (t: number | string) => formatUtc(t, "utc");
  if (range.kind === "fixed") return `${utc(range.from)} → ${utc(range.to)}`;
  if (range.last) return `${utc(viewNow - TRAILING_WINDOWS[range.last])} → ${utc(viewNow)} (last ${range.last})`;
  return `up to ${utc(viewNow)} (the view's default window)`;
}
