import { deleteAnnotation } from "@/server/annotations/routes";
import { decodeParam } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** DELETE (operator): remove one note, on every replica. */
export async function DELETE(request: Request, ctx: { params: Promise<{ id: string }> }) {
  const id = decodeParam("id", (await ctx.params).id);
  return id.ok ? deleteAnnotation(request, id.value) : id.response;
}
