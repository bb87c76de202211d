/** Filter values in a URL that name nothing the view knows (a typo, a deleted stream): named, not an empty table. Pure. */
import type { ZodType } from "zod";

/** The problem with `param=value` when `value` is none of `known`, or null when it is fine (or unset). */
export function unknownFilterValue(param: string, value: string | undefined, known: readonly string[], noun: string): string | null {
  if (!value || known.includes(value)) return null;
  const some =
    known.length === 0 ? "none is known yet" : `${known.length} known: ${known.slice(0, 5).join(", ")}${known.length > 5 ? ", …" : ""}`;
  return `${param}: no ${noun} "${value}" (${some})`;
}

/** A URL value as a problem names it: quoted, and cut short when long. */
export const quoteParamValue = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);

/**
 * Parses a view's URL values leniently: each bad parameter is ignored and named with its value and why (one
 * line per parameter, for the bad-parameter banner), and the rest still applies.
 */
export function parseIgnoringBad<T>(
  schema: ZodType<T>,
  raw: Readonly<Record<string, string | undefined>>,
): { value: T; ignored: string[] } {
  const left: Record<string, string | undefined> = { ...raw };
  const ignored: string[] = [];
  for (;;) {
    const r = schema.safeParse(left);
    if (r.success) return { value: r.data, ignored };
    const issue = r.error.issues[0];
    const key = String(issue?.path[0] ?? "");
    const value = left[key];
    if (value !== undefined) {
      ignored.push(`${key}: ${quoteParamValue(value)} is not valid (${issue!.message})`);
      left[key] = undefined;
      continue;
    }
    // an issue no single parameter owns: nothing given applies
    for (const [k, v] of Object.entries(left)) if (v !== undefined) ignored.push(`${k}: ${quoteParamValue(v)}`);
    return { value: schema.parse({}), ignored };
  }
}
