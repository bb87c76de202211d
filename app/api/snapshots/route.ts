import { createSnapshot, listSnapshots } from "@/server/snapshots/routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET: the snapshots list (summaries, newest first). POST (operator): freeze a view — body lib/review/snapshots FreezeRequest, JSON or gzipped JSON. */
export const GET = () => listSnapshots();
export const POST = (request: Request) => createSnapshot(request);
