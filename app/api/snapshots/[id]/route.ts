import { deleteSnapshot, getSnapshot } from "@/server/snapshots/routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** GET: one snapshot document (400 malformed id, 404 unknown). DELETE (operator): remove it. */
export const GET = async (_request: Request, ctx: Ctx) => getSnapshot((await ctx.params).id);
export const DELETE = async (request: Request, ctx: Ctx) => deleteSnapshot(request, (await ctx.params).id);
