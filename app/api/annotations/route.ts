import { NewAnnotationSchema } from "@/lib/review/annotations";
import { addAnnotation, listAnnotations } from "@/server/annotations/api";
import { created, route } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET: every annotation, oldest first. POST (operator): `{text, at?}` — a note at a time (default now). */
export const GET = route({}, () => listAnnotations());
export const POST = route({ body: NewAnnotationSchema, role: "operator", action: "note.add" }, async ({ body }, { identity }) =>
  created(await addAnnotation(body, identity.user)),
);
