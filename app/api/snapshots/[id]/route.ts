import { noContent, route } from "@/server/http";
import { deleteSnapshot, SnapshotParamsSchema, snapshotDocument } from "@/server/snapshots/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET: one snapshot document (400 malformed id, 404 unknown). DELETE (operator): remove it. */
export const GET = route({ params: SnapshotParamsSchema }, ({ params }) => snapshotDocument(params.id));
export const DELETE = route({ params: SnapshotParamsSchema, role: "operator", action: "snapshot.delete" }, async ({ params }) => {
  await deleteSnapshot(params.id);
  return noContent();
});
