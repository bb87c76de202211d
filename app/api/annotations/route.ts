import { createAnnotation, listAnnotations } from "@/server/annotations/routes";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET: every annotation, oldest first. POST (operator): `{text, at?}` — a note at a time (default now). */
export const GET = () => listAnnotations();
export const POST = (request: Request) => createAnnotation(request);
