import { decodeParam } from "@/server/http";
import { deleteSnapshot, getSnapshot } from "@/server/snapshots/routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** GET: one snapshot document (400 malformed id, 404 unknown). DELETE (operator): remove it. */
export async function GET(_request: Request, ctx: Ctx) {
  const id = decodeParam("id", (await ctx.params).id);
  return id.ok ? getSnapshot(id.value) : id.response;
}

export async function DELETE(request: Request, ctx: Ctx) {
  const id = decodeParam("id", (await ctx.params).id);
  return id.ok ? deleteSnapshot(request, id.value) : id.response;
}
