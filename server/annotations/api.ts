/** The annotations routes' service: the runtime's AnnotationService, with store failures a 503 naming the store. */
import "server-only";
import { z } from "zod";
import type { NewAnnotation } from "../../lib/review/annotations";
import { RandomIdSchema } from "../../lib/wire/ids";
import { NotFoundError, unavailableOnFailure } from "../errors";
import { getRuntime } from "../runtime";

export const AnnotationParamsSchema = z.object({ id: RandomIdSchema });

const STORE = "annotation store unavailable";

export async function listAnnotations() {
  return { annotations: (await getRuntime()).annotations.list() };
}

export async function addAnnotation(note: NewAnnotation, user: string) {
  return unavailableOnFailure(STORE, async () => (await getRuntime()).annotations.add(note, user));
}

/** Removes the note on every replica; a NotFoundError when there is none with this id. */
export async function removeAnnotation(id: string): Promise<void> {
  const removed = await unavailableOnFailure(STORE, async () => (await getRuntime()).annotations.remove(id));
  if (!removed) throw new NotFoundError(`no annotation ${id}`);
}
