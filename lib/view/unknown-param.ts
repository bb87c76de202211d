/** Filter values in a URL that name nothing the view knows (a typo, a deleted stream): named, not an empty table. Pure. */

/** The problem with `param=value` when `value` is none of `known`, or null when it is fine (or unset). */
export function unknownFilterValue(param: string, value: string | undefined, known: readonly string[], noun: string): string | null {
  if (!value || known.includes(value)) return null;
  const some =
    known.length === 0 ? "none is known yet" : `${known.length} known: ${known.slice(0, 5).join(", ")}${known.length > 5 ? ", …" : ""}`;
  return `${param}: no ${noun} "${value}" (${some})`;
}
