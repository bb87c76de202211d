import { AnnotationParamsSchema, removeAnnotation } from "@/server/annotations/api";
import { noContent, route } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** DELETE (operator): remove one note, on every replica. */
export const DELETE = route({ params: AnnotationParamsSchema, role: "operator", action: "note.delete" }, async ({ params }) => {
  await removeAnnotation(params.id);
  return noContent();
});
