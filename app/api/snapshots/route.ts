import { FreezeRequestSchema } from "@/lib/review/snapshots";
import { created, route } from "@/server/http";
import { createSnapshot, listSnapshots, readFreezeBody } from "@/server/snapshots/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET: the snapshots list (summaries, newest first). POST (operator): freeze a view — a FreezeRequest, JSON or gzipped JSON. */
export const GET = route({}, () => listSnapshots());
export const POST = route(
  { body: FreezeRequestSchema, readBody: readFreezeBody, role: "operator", action: "snapshot.create" },
  async ({ body }, { identity }) => created(await createSnapshot(body, identity.user)),
);
