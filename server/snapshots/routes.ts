/**
 * The snapshot API's request handling, kept out of app/ so the route files stay one line each:
 * validate (400 naming the parameter), check the role (403 with the reason), map NATS failures to 503.
 */
import "server-only";
import { FreezeRequestSchema, snapshotPath, SnapshotIdSchema } from "../../lib/review/snapshots";
import { requireOperator } from "../auth/identity";
import { badRequest, describeIssues, notFound, unavailable } from "../http";
import { getRuntime } from "../runtime";
import { decodeRequestBody, gunzipDocument } from "./store";

const natsDown = (err: unknown) => unavailable(`snapshot store unavailable: ${(err as Error)?.message ?? err}`);

export async function listSnapshots(): Promise<Response> {
  try {
    return Response.json({ snapshots: await (await getRuntime()).snapshots.list() });
  } catch (err) {
    return natsDown(err);
  }
}

export async function createSnapshot(request: Request): Promise<Response> {
  const identity = requireOperator(request);
  if (identity instanceof Response) return identity;
  let body: unknown;
  try {
    body = JSON.parse(decodeRequestBody(new Uint8Array(await request.arrayBuffer()), request.headers.get("content-encoding")));
  } catch (err) {
    return badRequest(`body: not JSON (${(err as Error).message})`);
  }
  const parsed = FreezeRequestSchema.safeParse(body);
  if (!parsed.success) return badRequest(describeIssues(parsed.error, "body"));
  try {
    const summary = await (await getRuntime()).snapshots.create(parsed.data, identity.user);
    return Response.json({ ...summary, permalink: snapshotPath(summary.id) }, { status: 201 });
  } catch (err) {
    return natsDown(err);
  }
}

/**
 * The document as JSON. Next drops a route's own Content-Encoding header (send-response.ts FORBIDDEN_HEADERS),
 * so the stored gzip cannot pass through as is; Next's response compression gzips it on the wire again.
 */
export async function getSnapshot(rawId: string): Promise<Response> {
  const id = SnapshotIdSchema.safeParse(rawId);
  if (!id.success) return badRequest(describeIssues(id.error, "id"));
  let stored;
  try {
    stored = await (await getRuntime()).snapshots.getStored(id.data);
  } catch (err) {
    return natsDown(err);
  }
  if (!stored) return notFound(`no snapshot ${id.data} (it may have been deleted)`);
  return new Response(gunzipDocument(stored.gzip), {
    headers: { "Content-Type": "application/json", "Cache-Control": "private, max-age=31536000, immutable" },
  });
}

export async function deleteSnapshot(request: Request, rawId: string): Promise<Response> {
  const identity = requireOperator(request);
  if (identity instanceof Response) return identity;
  const id = SnapshotIdSchema.safeParse(rawId);
  if (!id.success) return badRequest(describeIssues(id.error, "id"));
  try {
    const deleted = await (await getRuntime()).snapshots.delete(id.data);
    return deleted ? new Response(null, { status: 204 }) : notFound(`no snapshot ${id.data}`);
  } catch (err) {
    return natsDown(err);
  }
}
