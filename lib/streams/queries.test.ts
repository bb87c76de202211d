import { describe, expect, it } from "vitest";
import {
  BrowseQuerySchema,
  SearchQuerySchema,
  StreamNameSchema,
  browseQueryToSearch,
  parseBrowsePageState,
  parseMessageContext,
  browsePageStateToSearch,
  parseStreamDetailState,
  parseStreamsListState,
  streamDetailStateToSearch,
  streamsListStateToSearch,
  subjectFilterProblem,
  type BrowseQuery,
} from "./queries";

const sp = (q: string) => new URLSearchParams(q.replace(/^\?/, ""));
const browse = (q: string) => BrowseQuerySchema.safeParse(Object.fromEntries(sp(q)));

describe("stream-queries", () => {
  it("stream-queries - list state round-trips through the URL and omits defaults", () => {
    const state = { q: "llm", sort: "fill", dir: "desc", show: "attention", own: true } as const;
    expect(streamsListStateToSearch(state)).toBe("?q=llm&sort=fill&dir=desc&show=attention&own=1");
    expect(parseStreamsListState(sp(streamsListStateToSearch(state)))).toEqual({ ...state, ignored: [] });
    expect(streamsListStateToSearch(parseStreamsListState(sp("")))).toBe("");
  });

  it("stream-queries - a bad list value falls back to its default and is named with its value and why", () => {
    expect(parseStreamsListState(sp("sort=evil&dir=up&q=x"))).toEqual({
      q: "x",
      sort: "name",
      dir: "asc",
      show: "all",
      own: false,
      ignored: [
        'sort: "evil" is not valid (one of name, messages, bytes, ingest, fill, consumers, last)',
        'dir: "up" is not valid (asc or desc)',
      ],
    });
    expect(parseStreamsListState(sp(`show=broken&own=yes&q=${"z".repeat(201)}`)).ignored).toEqual([
      `q: "${"z".repeat(60)}…" is not valid (at most 200 characters)`,
      'show: "broken" is not valid (all or attention)',
      'own: "yes" is not valid (0 or 1)',
    ]);
    // the list's own state only goes back into the URL
    expect(streamsListStateToSearch(parseStreamsListState(sp("sort=evil")))).toBe("");
  });

  it("stream-queries - detail state round-trips", () => {
    expect(parseStreamDetailState(sp(streamDetailStateToSearch({ top: 20 })))).toEqual({ top: 20, ignored: [] });
    // a bad top falls back to 10 and is named, not silently dropped
    expect(parseStreamDetailState({ top: "7" })).toEqual({ top: 10, ignored: ['top: "7" is not valid (top is one of 5, 10, 20, 50)'] });
  });

  it("stream-queries - browse state round-trips, with direction defaulting by position", () => {
    const cases: BrowseQuery[] = [
      { seq: 42, start_time: undefined, subject: "routing.*.decided", dir: "forward", size: 100 },
      { seq: undefined, start_time: "2026-11-23T13:05:00.000Z", subject: undefined, dir: "backward", size: 50 },
      { seq: undefined, start_time: undefined, subject: "llm.>", dir: "backward", size: 10 },
      { seq: undefined, start_time: undefined, subject: undefined, dir: "forward", size: 50 },
    ];
    for (const c of cases) {
      const parsed = browse(browseQueryToSearch(c));
      expect(parsed.success && parsed.data).toEqual(c);
    }
    expect(browseQueryToSearch({ seq: 42, dir: "forward", size: 50 })).toBe("?seq=42");
    expect(browseQueryToSearch({ dir: "backward", size: 50 })).toBe("");
  });

  it("stream-queries - start_time is normalized to UTC", () => {
    const r = browse("start_time=2026-11-23T15:05:00%2B02:00");
    expect(r.success && r.data.start_time).toBe("2026-11-23T13:05:00.000Z");
  });

  it("stream-queries - invalid browse parameters are rejected naming the parameter", () => {
    const path = (q: string) => {
      const r = browse(q);
      return r.success ? null : r.error.issues.map((i) => i.path.join("."));
    };
    expect(path("seq=0")).toEqual(["seq"]);
    expect(path("seq=abc")).toEqual(["seq"]);
    expect(path("size=33")).toEqual(["size"]);
    expect(path("dir=sideways")).toEqual(["dir"]);
    expect(path("start_time=yesterday")).toEqual(["start_time"]);
    expect(path("subject=a..b")).toEqual(["subject"]);
    expect(path("seq=1&start_time=2026-11-23T13:05:00Z")).toEqual(["start_time"]);
  });

  it("stream-queries - subject filters follow NATS wildcard rules", () => {
    expect(subjectFilterProblem("routing.>")).toBeNull();
    expect(subjectFilterProblem("a.*.c")).toBeNull();
    expect(subjectFilterProblem("a.>.c")).toMatch(/last token/);
    expect(subjectFilterProblem("a.b*")).toMatch(/whole tokens/);
    expect(subjectFilterProblem("a b")).toMatch(/whitespace/);
    expect(subjectFilterProblem(".a")).toMatch(/empty token/);
  });

  it("stream-queries - search defaults and bounds", () => {
    expect(SearchQuerySchema.parse({ q: "gemini" })).toEqual({ q: "gemini", mode: "substring", scan_limit: 10_000, max_matches: 100 });
    expect(SearchQuerySchema.safeParse({ q: "x", scan_limit: "2000000" }).success).toBe(false);
    expect(SearchQuerySchema.safeParse({ q: "" }).success).toBe(false);
  });

  it("stream-queries - stream names reject subject syntax and paths", () => {
    expect(StreamNameSchema.safeParse("routing-decisions").success).toBe(true);
    for (const bad of ["a.b", "a*", "../x", "a b", ""]) expect(StreamNameSchema.safeParse(bad).success).toBe(false);
  });
});

describe("stream-queries browse page state", () => {
  it("stream-queries - a bad browse URL names the parameter and its value, and ignores only that parameter", () => {
    expect(parseBrowsePageState(new URLSearchParams("seq=-4&subject=orders..x&size=25"))).toEqual({
      query: { seq: undefined, start_time: undefined, subject: undefined, dir: "backward", size: 25 },
      error:
        'seq: "-4" is not valid (must be a positive integer); subject: "orders..x" is not valid (has an empty token (two dots, or a leading/trailing dot))',
      search: { q: "", mode: "substring", scan_limit: 10_000, from_seq: null },
      highlight: null,
    });
    expect(parseBrowsePageState({ seq: "7", size: "25" }).error).toBeNull();
    expect(parseBrowsePageState({ seq: "7", start_time: "2026-11-23T13:05:00Z" }).error).toBe(
      'start_time: "2026-11-23T13:05:00Z" is not valid (give either seq or start_time, not both)',
    );
  });

  it("stream-queries - a bad search parameter is named too, its default applies", () => {
    const s = parseBrowsePageState({ search: "gemini", mode: "eval", scan: "12345", highlight: "-1" });
    expect(s.search).toEqual({ q: "gemini", mode: "substring", scan_limit: 10_000, from_seq: null });
    expect(s.highlight).toBeNull();
    expect(s.error).toBe(
      'mode: "eval" is not valid (substring or predicate); scan: "12345" is not valid (one of 1000, 10000, 100000, 1000000); highlight: "-1" is not valid (must be a positive integer)',
    );
  });

  it("stream-queries - browse page state with a search round-trips through the URL", () => {
    const state = {
      query: { seq: 40, start_time: undefined, subject: "llm.>", dir: "forward" as const, size: 25 },
      search: { q: 'selectedModel == "gemini-pro" && estimatedCost > 0.01', mode: "predicate" as const, scan_limit: 100_000, from_seq: 40 },
      highlight: 42,
    };
    const url = browsePageStateToSearch(state);
    expect(parseBrowsePageState(new URLSearchParams(url.slice(1)))).toEqual({ ...state, error: null });
    expect(browsePageStateToSearch({ ...state, search: { ...state.search, q: "" }, highlight: null })).toBe(
      "?seq=40&subject=llm.%3E&size=25",
    );
    expect(parseBrowsePageState({ highlight: "-1" }).highlight).toBeNull();
    expect(parseBrowsePageState({ search: "x", scan: "12345", mode: "eval" }).search).toEqual({
      q: "x",
      mode: "substring",
      scan_limit: 10_000,
      from_seq: null,
    });
  });
});

describe("stream-queries message page context", () => {
  it("stream-queries - the consumer a message page was reached from is read, a bad one is named", () => {
    expect(parseMessageContext({})).toEqual({ consumer: null, error: null });
    expect(parseMessageContext(new URLSearchParams("consumer=why-worker"))).toEqual({ consumer: "why-worker", error: null });
    expect(parseMessageContext({ consumer: "a.b" })).toEqual({
      consumer: null,
      error: "consumer: must not contain whitespace, '.', '*', '>', '/' or '\\'",
    });
    expect(parseMessageContext({ consumer: "" }).error).toBe("consumer: must not be empty");
  });
});
