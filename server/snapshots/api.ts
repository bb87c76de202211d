/** The snapshot routes' service: the runtime's SnapshotStore, with store failures a 503 naming the store. */
import "server-only";
import { z } from "zod";
import { snapshotPath, SnapshotIdSchema, type FreezeRequest } from "../../lib/review/snapshots";
import { NotFoundError, unavailableOnFailure } from "../errors";
import { getRuntime } from "../runtime";
import { decodeRequestBody, gunzipDocument } from "./store";

export const SnapshotParamsSchema = z.object({ id: SnapshotIdSchema });

const STORE = "snapshot store unavailable";

/** A freeze request's text: JSON or gzipped JSON (Content-Encoding: gzip), within the snapshot size cap. */
export async function readFreezeBody(request: Request): Promise<string> {
  return decodeRequestBody(new Uint8Array(await request.arrayBuffer()), request.headers.get("content-encoding"));
}

export async function listSnapshots() {
  return { snapshots: await unavailableOnFailure(STORE, async () => (await getRuntime()).snapshots.list()) };
}

export async function createSnapshot(freeze: FreezeRequest, user: string) {
  const summary = await unavailableOnFailure(STORE, async () => (await getRuntime()).snapshots.create(freeze, user));
  return { ...summary, permalink: snapshotPath(summary.id) };
}

/**
 * The document as JSON. Next drops a route's own Content-Encoding header (send-response.ts FORBIDDEN_HEADERS),
 * so the stored gzip cannot pass through as is; Next's response compression gzips it on the wire again.
 */
export async function snapshotDocument(id: string): Promise<Response> {
  const stored = await unavailableOnFailure(STORE, async () => (await getRuntime()).snapshots.getStored(id));
  if (!stored) throw new NotFoundError(`no snapshot ${id} (it may have been deleted)`);
  return new Response(gunzipDocument(stored.gzip), {
    headers: { "Content-Type": "application/json", "Cache-Control": "private, max-age=31536000, immutable" },
  });
}

export async function deleteSnapshot(id: string): Promise<void> {
  const deleted = await unavailableOnFailure(STORE, async () => (await getRuntime()).snapshots.delete(id));
  if (!deleted) throw new NotFoundError(`no snapshot ${id}`);
}
