/**
 * The subject tap's traffic (server/bus/subject-tap.ts) as rates: one interval's bounded tally filled in the
 * subscription callback, a short window of those intervals, each subject's messages and bytes per second over it,
 * the subject tree (a node per token prefix) and the top talkers. A tally tracks at most `cap` distinct subjects;
 * the rest are folded into "(other)" and said so.
 */

/** Distinct subjects tracked per interval and over the window; beyond them, traffic counts as "(other)". */
export const SUBJECT_CAP = 500;
/** The window rates are measured over. */
export const SUBJECT_WINDOW_MS = 5_000;
/** Tokens a tree goes down; a deeper subject counts at its prefix of this many tokens. */
export const MAX_TREE_DEPTH = 8;

export interface Traffic {
  msgs: number;
  bytes: number;
}

/** One interval's counts, mutated by the subscription callback (tallyMessage) and folded once per interval. */
export interface SubjectTally {
  cap: number;
  subjects: Map<string, Traffic>;
  /** Subjects beyond the cap. */
  other: Traffic;
  /** Left out of the tree (isInternalSubject). */
  internal: Traffic;
}

export const newTally = (cap = SUBJECT_CAP): SubjectTally => ({
  cap,
  subjects: new Map(),
  other: { msgs: 0, bytes: 0 },
  internal: { msgs: 0, bytes: 0 },
});

/**
 * Whether a subject is API or reply traffic rather than the application's: `$…` (JetStream, KV, object store,
 * system API — busdeck's own sampling would top the tree), `_INBOX.…` replies, and the `own` prefixes (busdeck's
 * inbox and fan-out subjects). They are counted as internal, not shown in the tree.
 */
export function isInternalSubject(subject: string, own: readonly string[]): boolean {
  if (subject.charCodeAt(0) === 36 /* $ */ || subject.startsWith("_INBOX.")) return true;
  for (const p of own) if (subject.startsWith(p) && (subject.length === p.length || subject.charCodeAt(p.length) === 46)) return true;
  return false;
}

/** Counts one message: O(1), no allocation for a subject already tracked. */
export function tallyMessage(t: SubjectTally, subject: string, bytes: number, own: readonly string[]): void {
  if (isInternalSubject(subject, own)) {
    t.internal.msgs++;
    t.internal.bytes += bytes;
    return;
  }
  const s = t.subjects.get(subject);
  if (s) {
    s.msgs++;
    s.bytes += bytes;
  } else if (t.subjects.size < t.cap) t.subjects.set(subject, { msgs: 1, bytes });
  else {
    t.other.msgs++;
    t.other.bytes += bytes;
  }
}

/** A folded interval: what the window keeps (plain data, no Map). */
export interface TallySlice {
  at: number;
  span_ms: number;
  subjects: [subject: string, msgs: number, bytes: number][];
  other: Traffic;
  internal: Traffic;
}

export interface SubjectWindow {
  window_ms: number;
  slices: TallySlice[];
}

export const emptyWindow = (windowMs = SUBJECT_WINDOW_MS): SubjectWindow => ({ window_ms: windowMs, slices: [] });

/** The window with the interval ending at `at` (`span_ms` long) added and the intervals older than the window dropped. */
export function foldTally(w: SubjectWindow, t: SubjectTally, at: number, spanMs: number): SubjectWindow {
  const slice: TallySlice = {
    at,
    span_ms: Math.max(1, spanMs),
    subjects: [...t.subjects].map(([s, v]) => [s, v.msgs, v.bytes]),
    other: { ...t.other },
    internal: { ...t.internal },
  };
  return { window_ms: w.window_ms, slices: [...w.slices, slice].filter((s) => s.at > at - w.window_ms) };
}

export interface SubjectRate {
  subject: string;
  msgs_per_s: number;
  bytes_per_s: number;
}

export interface WindowRates {
  subjects: SubjectRate[];
  /** Subjects beyond the cap (per interval, or over the window's union), folded together; null: none. */
  other: Omit<SubjectRate, "subject"> | null;
  internal: Omit<SubjectRate, "subject">;
  /** The span the rates are measured over. */
  span_ms: number;
}

/**
 * Each subject's rates over the window, busiest first; at most `cap` subjects (the window's intervals may
 * each track different ones: the quietest beyond the cap are folded into `other` too).
 */
export function windowRates(w: SubjectWindow, cap = SUBJECT_CAP): WindowRates {
  const span = w.slices.reduce((n, s) => n + s.span_ms, 0);
  const perS = (n: number) => (span > 0 ? (n * 1000) / span : 0);
  const sums = new Map<string, Traffic>();
  const other: Traffic = { msgs: 0, bytes: 0 };
  const internal: Traffic = { msgs: 0, bytes: 0 };
  for (const s of w.slices) {
    for (const [subject, msgs, bytes] of s.subjects) {
      const t = sums.get(subject);
      if (t) {
        t.msgs += msgs;
        t.bytes += bytes;
      } else sums.set(subject, { msgs, bytes });
    }
    other.msgs += s.other.msgs;
    other.bytes += s.other.bytes;
    internal.msgs += s.internal.msgs;
    internal.bytes += s.internal.bytes;
  }
  const sorted = [...sums].sort((a, b) => b[1].msgs - a[1].msgs || b[1].bytes - a[1].bytes || (a[0] < b[0] ? -1 : 1));
  for (const [, t] of sorted.slice(cap)) {
    other.msgs += t.msgs;
    other.bytes += t.bytes;
  }
  return {
    subjects: sorted.slice(0, cap).map(([subject, t]) => ({ subject, msgs_per_s: perS(t.msgs), bytes_per_s: perS(t.bytes) })),
    other: other.msgs > 0 ? { msgs_per_s: perS(other.msgs), bytes_per_s: perS(other.bytes) } : null,
    internal: { msgs_per_s: perS(internal.msgs), bytes_per_s: perS(internal.bytes) },
    span_ms: span,
  };
}

/** The `n` busiest subjects (ties by bytes, then name). */
export const topTalkers = (subjects: readonly SubjectRate[], n = 10): SubjectRate[] =>
  [...subjects]
    .sort((a, b) => b.msgs_per_s - a.msgs_per_s || b.bytes_per_s - a.bytes_per_s || (a.subject < b.subject ? -1 : 1))
    .slice(0, n);

export interface SubjectNode {
  token: string;
  /** The node's token prefix ("orders.eu"); its subjects are `path` itself (when `exact`) and `path.>`. */
  path: string;
  depth: number;
  msgs_per_s: number;
  bytes_per_s: number;
  /** Distinct subjects at or below it. */
  subjects: number;
  /** A subject ends exactly here (not only below). */
  exact: boolean;
  /** Children, busiest first. */
  children: SubjectNode[];
}

/**
 * The tree of token prefixes, each node the sum of the subjects at and below it, siblings busiest first (or by
 * token: rows that stay put while rates change). A subject deeper than MAX_TREE_DEPTH counts at its prefix of
 * that depth. Linear in the subjects' total length, plus the sort.
 */
export function buildSubjectTree(
  subjects: readonly SubjectRate[],
  { maxDepth = MAX_TREE_DEPTH, order = "rate" }: { maxDepth?: number; order?: "rate" | "name" } = {},
): SubjectNode[] {
  const root: SubjectNode = { token: "", path: "", depth: -1, msgs_per_s: 0, bytes_per_s: 0, subjects: 0, exact: false, children: [] };
  const index = new Map<string, SubjectNode>();
  for (const s of subjects) {
    const tokens = s.subject.split(".", maxDepth + 1);
    const deep = tokens.length > maxDepth;
    let node = root;
    let path = "";
    for (let i = 0; i < Math.min(tokens.length, maxDepth); i++) {
      path = i === 0 ? tokens[0]! : `${path}.${tokens[i]}`;
      let child = index.get(path);
      if (!child) {
        child = { token: tokens[i]!, path, depth: i, msgs_per_s: 0, bytes_per_s: 0, subjects: 0, exact: false, children: [] };
        index.set(path, child);
        node.children.push(child);
      }
      child.msgs_per_s += s.msgs_per_s;
      child.bytes_per_s += s.bytes_per_s;
      child.subjects++;
      node = child;
    }
    if (!deep) node.exact = true;
  }
  const byName = (a: SubjectNode, b: SubjectNode) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0);
  const compare =
    order === "name"
      ? byName
      : (a: SubjectNode, b: SubjectNode) => b.msgs_per_s - a.msgs_per_s || b.bytes_per_s - a.bytes_per_s || byName(a, b);
  const sort = (nodes: SubjectNode[]) => {
    nodes.sort(compare);
    for (const n of nodes) sort(n.children);
  };
  sort(root.children);
  return root.children;
}

/** The rows a tree shows: every node whose ancestors are all expanded, depth first. */
export function visibleNodes(tree: readonly SubjectNode[], expanded: ReadonlySet<string>): SubjectNode[] {
  const out: SubjectNode[] = [];
  const walk = (nodes: readonly SubjectNode[]) => {
    for (const n of nodes) {
      out.push(n);
      if (expanded.has(n.path)) walk(n.children);
    }
  };
  walk(tree);
  return out;
}

/** The subject a node stands for in a question or a tail: itself when it has no children, else everything below it. */
export const nodeSubject = (n: Pick<SubjectNode, "path" | "children" | "exact">): string =>
  n.children.length === 0 ? n.path : `${n.path}.>`;
