/** Reading and writing URL search strings, shared by every view's parseX / xToSearch. No dependencies: every view's bundle holds it. */

/** URLSearchParams, or the record Next hands a page as `searchParams`. */
export type SearchLike = URLSearchParams | Record<string, string | string[] | undefined>;

/** The first value of `key`, undefined when absent. */
export function firstValue(params: SearchLike, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Every key's first value, as a plain record. */
export function firstValues(params: SearchLike): Record<string, string> {
  const out: Record<string, string> = {};
  if (params instanceof URLSearchParams) {
    for (const [k, v] of params) if (!(k in out)) out[k] = v;
  } else {
    for (const [k, v] of Object.entries(params)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (first !== undefined) out[k] = first;
    }
  }
  return out;
}

/** `?a=b`, or "" when there is nothing to write, so a view at its defaults has a bare path. */
export function toSearchString(q: URLSearchParams): string {
  const s = q.toString();
  return s ? `?${s}` : "";
}
