import { deleteAnnotation } from "@/server/annotations/routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** DELETE (operator): remove one note, on every replica. */
export const DELETE = async (request: Request, ctx: { params: Promise<{ id: string }> }) => deleteAnnotation(request, (await ctx.params).id);
