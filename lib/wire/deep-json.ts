/**
 * JSON text for values of any depth: JSON.stringify recurses and throws past about 10,000 levels, which
 * JSON.parse (iterative) accepts from anyone. Pure.
 */

type Container = Record<string, unknown> | unknown[];

/** JSON.stringify, with an iterative fallback for nesting deeper than its recursion allows. */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return stringifyIteratively(value);
  }
}

function stringifyIteratively(root: unknown): string {
  const parts: string[] = [];
  const stack: { v: Container; keys: string[] | null; next: number }[] = [];
  const emit = (v: unknown) => {
    if (v === null || typeof v !== "object") return void parts.push(JSON.stringify(v) ?? "null");
    const keys = Array.isArray(v) ? null : Object.keys(v);
    parts.push(keys ? "{" : "[");
    stack.push({ v: v as Container, keys, next: 0 });
  };
  emit(root);
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    const size = f.keys ? f.keys.length : (f.v as unknown[]).length;
    if (f.next >= size) {
      parts.push(f.keys ? "}" : "]");
      stack.pop();
      continue;
    }
    const i = f.next++;
    if (i > 0) parts.push(",");
    if (f.keys) {
      parts.push(JSON.stringify(f.keys[i]), ":");
      emit((f.v as Record<string, unknown>)[f.keys[i]!]);
    } else emit((f.v as unknown[])[i]);
  }
  return parts.join("");
}
