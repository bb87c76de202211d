/**
 * Field predicates over JSON payloads, e.g. `selectedModel == "gemini-pro" && estimatedCost > 0.01`.
 * A small hand-written recursive-descent parser and an interpreter over the resulting tree: no eval, no
 * Function, no property access beyond a payload's own fields. Bounded in length, nesting and size, so
 * hostile input fails with a message instead of a stack overflow.
 *
 *   expr    := or
 *   or      := and ("||" and)*
 *   and     := unary ("&&" unary)*
 *   unary   := "!" unary | primary
 *   primary := "(" expr ")" | path (op literal)?        a bare path tests truthiness
 *   op      := "==" | "!=" | ">" | ">=" | "<" | "<=" | "~="   (~= : string contains, case-insensitive)
 *   path    := ident ("." ident | "[" integer "]")*
 *   literal := string ('…' or "…") | number | true | false | null
 */

export type CompareOp = "==" | "!=" | ">" | ">=" | "<" | "<=" | "~=";
export type Literal = string | number | boolean | null;
export type PathSegment = string | number;

export type PredicateNode =
  | { type: "and" | "or"; left: PredicateNode; right: PredicateNode }
  | { type: "not"; operand: PredicateNode }
  | { type: "compare"; path: PathSegment[]; op: CompareOp; value: Literal }
  | { type: "truthy"; path: PathSegment[] };

export class PredicateSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position + 1}`);
    this.name = "PredicateSyntaxError";
  }
}

export const PREDICATE_LIMITS = { maxLength: 1_000, maxDepth: 128, maxNodes: 200, maxPathSegments: 16 } as const;

type Token =
  | { kind: "ident"; value: string; pos: number }
  | { kind: "string"; value: string; pos: number }
  | { kind: "number"; value: number; pos: number }
  | { kind: "punct"; value: string; pos: number }
  | { kind: "end"; pos: number };

const PUNCT = ["&&", "||", "==", "!=", ">=", "<=", "~=", ">", "<", "!", "(", ")", ".", "[", "]"];
const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$-]/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= src.length) throw new PredicateSyntaxError("unterminated string", start);
        const c = src[i]!;
        if (c === ch) break;
        if (c === "\\") {
          const next = src[i + 1];
          if (next === undefined) throw new PredicateSyntaxError("unterminated string", start);
          value += next === "n" ? "\n" : next === "t" ? "\t" : next;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      i++;
      tokens.push({ kind: "string", value, pos: start });
      continue;
    }
    const num = NUMBER.exec(src.slice(i, i + 64));
    if (num && (ch === "-" || /\d/.test(ch))) {
      const value = Number(num[0]);
      if (!Number.isFinite(value)) throw new PredicateSyntaxError("number out of range", i);
      tokens.push({ kind: "number", value, pos: i });
      i += num[0].length;
      continue;
    }
    if (IDENT_START.test(ch)) {
      const start = i;
      while (i < src.length && IDENT_PART.test(src[i]!)) i++;
      tokens.push({ kind: "ident", value: src.slice(start, i), pos: start });
      continue;
    }
    const p = PUNCT.find((op) => src.startsWith(op, i));
    if (!p) throw new PredicateSyntaxError(`unexpected character ${JSON.stringify(ch)}`, i);
    tokens.push({ kind: "punct", value: p, pos: i });
    i += p.length;
  }
  tokens.push({ kind: "end", pos: src.length });
  return tokens;
}

const COMPARE_OPS = new Set<string>(["==", "!=", ">", ">=", "<", "<=", "~="]);

export function parsePredicate(src: string): PredicateNode {
  if (src.length > PREDICATE_LIMITS.maxLength)
    throw new PredicateSyntaxError(`predicate longer than ${PREDICATE_LIMITS.maxLength} characters`, PREDICATE_LIMITS.maxLength);
  const tokens = tokenize(src);
  let at = 0;
  let nodes = 0;
  const peek = () => tokens[at]!;
  const isPunct = (v: string) => {
    const t = peek();
    return t.kind === "punct" && t.value === v;
  };
  const expect = (v: string) => {
    if (!isPunct(v)) throw new PredicateSyntaxError(`expected "${v}"`, peek().pos);
    at++;
  };
  const node = <T extends PredicateNode>(n: T, pos: number): T => {
    if (++nodes > PREDICATE_LIMITS.maxNodes) throw new PredicateSyntaxError(`more than ${PREDICATE_LIMITS.maxNodes} terms`, pos);
    return n;
  };
  const guardDepth = (depth: number) => {
    if (depth > PREDICATE_LIMITS.maxDepth) throw new PredicateSyntaxError("nested too deeply", peek().pos);
  };

  const parseOr = (depth: number): PredicateNode => {
    guardDepth(depth);
    let left = parseAnd(depth + 1);
    while (isPunct("||")) {
      const pos = peek().pos;
      at++;
      left = node({ type: "or", left, right: parseAnd(depth + 1) }, pos);
    }
    return left;
  };
  const parseAnd = (depth: number): PredicateNode => {
    guardDepth(depth);
    let left = parseUnary(depth + 1);
    while (isPunct("&&")) {
      const pos = peek().pos;
      at++;
      left = node({ type: "and", left, right: parseUnary(depth + 1) }, pos);
    }
    return left;
  };
  const parseUnary = (depth: number): PredicateNode => {
    guardDepth(depth);
    if (isPunct("!")) {
      const pos = peek().pos;
      at++;
      return node({ type: "not", operand: parseUnary(depth + 1) }, pos);
    }
    return parsePrimary(depth + 1);
  };
  const parsePath = (): PathSegment[] => {
    const first = peek();
    if (first.kind !== "ident") throw new PredicateSyntaxError("expected a field name", first.pos);
    at++;
    const path: PathSegment[] = [first.value];
    for (;;) {
      if (isPunct(".")) {
        at++;
        const t = peek();
        if (t.kind !== "ident") throw new PredicateSyntaxError("expected a field name after '.'", t.pos);
        path.push(t.value);
        at++;
      } else if (isPunct("[")) {
        at++;
        const t = peek();
        if (t.kind === "number" && Number.isInteger(t.value) && t.value >= 0) path.push(t.value);
        else if (t.kind === "string") path.push(t.value);
        else throw new PredicateSyntaxError("expected an index or a quoted key in [ ]", t.pos);
        at++;
        expect("]");
      } else break;
      if (path.length > PREDICATE_LIMITS.maxPathSegments)
        throw new PredicateSyntaxError(`field path longer than ${PREDICATE_LIMITS.maxPathSegments}`, peek().pos);
    }
    return path;
  };
  const parseLiteral = (): Literal => {
    const t = peek();
    at++;
    if (t.kind === "string" || t.kind === "number") return t.value;
    if (t.kind === "ident" && t.value === "true") return true;
    if (t.kind === "ident" && t.value === "false") return false;
    if (t.kind === "ident" && t.value === "null") return null;
    throw new PredicateSyntaxError("expected a value (string, number, true, false or null)", t.pos);
  };
  const parsePrimary = (depth: number): PredicateNode => {
    guardDepth(depth);
    const start = peek().pos;
    if (isPunct("(")) {
      at++;
      const inner = parseOr(depth + 1);
      expect(")");
      return inner;
    }
    const path = parsePath();
    const t = peek();
    if (t.kind === "punct" && COMPARE_OPS.has(t.value)) {
      at++;
      return node({ type: "compare", path, op: t.value as CompareOp, value: parseLiteral() }, start);
    }
    return node({ type: "truthy", path }, start);
  };

  if (peek().kind === "end") throw new PredicateSyntaxError("empty predicate", 0);
  const tree = parseOr(0);
  if (peek().kind !== "end") throw new PredicateSyntaxError("unexpected input", peek().pos);
  return tree;
}

/** Own properties only: `__proto__`, `constructor` and friends resolve to nothing unless the payload has them. */
function lookup(value: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (Array.isArray(cur)) {
      if (typeof seg !== "number") return undefined;
      cur = cur[seg];
    } else {
      const key = String(seg);
      if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
  }
  return cur;
}

function compare(actual: unknown, op: CompareOp, expected: Literal): boolean {
  switch (op) {
    case "==":
      return actual === expected || (actual === undefined && expected === null);
    case "!=":
      return !(actual === expected || (actual === undefined && expected === null));
    case "~=":
      return typeof actual === "string" && typeof expected === "string" && actual.toLowerCase().includes(expected.toLowerCase());
    default: {
      // Ordering only between two numbers or two strings; anything else (missing field, mixed types) is false.
      if (typeof actual === "number" && typeof expected === "number") return order(actual, expected, op);
      if (typeof actual === "string" && typeof expected === "string") return order(actual, expected, op);
      return false;
    }
  }
}

function order<T extends number | string>(a: T, b: T, op: CompareOp): boolean {
  if (op === ">") return a > b;
  if (op === ">=") return a >= b;
  if (op === "<") return a < b;
  return a <= b;
}

/** Every field path the predicate reads, in the order written (recursive: the parser bounded the tree). */
export function predicatePaths(node: PredicateNode): PathSegment[][] {
  switch (node.type) {
    case "and":
    case "or":
      return [...predicatePaths(node.left), ...predicatePaths(node.right)];
    case "not":
      return predicatePaths(node.operand);
    case "compare":
    case "truthy":
      return [node.path];
  }
}

/** Renders a path as written: `a.b[0].c`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.map((seg, i) => (typeof seg === "number" ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join("");
}

/** Recursive, which is safe: the parser bounded the tree's depth and size. */
export function evaluatePredicate(node: PredicateNode, payload: unknown): boolean {
  switch (node.type) {
    case "and":
      return evaluatePredicate(node.left, payload) && evaluatePredicate(node.right, payload);
    case "or":
      return evaluatePredicate(node.left, payload) || evaluatePredicate(node.right, payload);
    case "not":
      return !evaluatePredicate(node.operand, payload);
    case "compare":
      return compare(lookup(payload, node.path), node.op, node.value);
    case "truthy": {
      const v = lookup(payload, node.path);
      return v !== undefined && v !== null && v !== false && v !== 0 && v !== "";
    }
  }
}
