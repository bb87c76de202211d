/**
 * Pages' path parameters, apart from server/http.ts: `next/navigation` belongs to pages, and the API routes (and the
 * benches and tests that import them outside Next) must not load it.
 */
import { notFound as pageNotFound } from "next/navigation";
import type { z } from "zod";
import { decodeParams } from "./http";

/** A page's path parameters percent-decoded and parsed by `schema`; a bad one is the page's not-found. */
export async function pageParams<S extends z.ZodType>(params: Promise<Record<string, string>>, schema: S): Promise<z.output<S>> {
  const decoded = decodeParams(await params);
  const parsed = decoded.ok ? schema.safeParse(decoded.value) : undefined;
  if (!parsed?.success) pageNotFound();
  return parsed.data;
}
