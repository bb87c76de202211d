import { describe, expect, it } from "vitest";
import { consumerListStateToSearch, parseConsumerListState, type ConsumerListState } from "../consumers/search-params";
import { failoverViewStateToSearch, parseFailoverViewState } from "../failover/search-params";
import { outcomeFilterToSearch, parseOutcomeFilterLenient, type OutcomeFilter } from "../outcomes/filter";
import {
  browsePageStateToSearch,
  parseBrowsePageState,
  parseStreamDetailState,
  parseStreamsListState,
  streamDetailStateToSearch,
  streamsListStateToSearch,
} from "../streams/queries";
import {
  roundBucketTicks,
  roundTicksOver,
  roundTimeTicks,
  shellStateToSearch,
  coveringWindow,
  describeTimeRange,
  fixedRange,
  inTimeRange,
  LIVE,
  parseDisplayZone,
  parseRangeInput,
  parseTimeRange,
  parseTimeRangeLenient,
  resolveTimeRange,
  timeRangeToSearch,
  toRangeInput,
  displayZoneToSearch,
  type TimeRange,
  viewDefaultWindow,
} from "./range";

const sp = (s: string) => new URLSearchParams(s);
const NOW = Date.parse("2026-11-23T15:00:00.000Z");
const FIXED: TimeRange = { kind: "fixed", from: "2026-11-23T13:00:00.000Z", to: "2026-11-23T14:30:00.000Z" };

describe("time range", () => {
  it("time-range - every form round-trips through URL search params", () => {
    const forms: TimeRange[] = [
      LIVE,
      ...(["1m", "5m", "15m", "1h", "6h", "24h", "7d"] as const).map((last) => ({ kind: "live", last }) as TimeRange),
      FIXED,
    ];
    for (const r of forms) {
      const back = parseTimeRange(sp(timeRangeToSearch(r).slice(1)));
      expect(back).toEqual({ ok: true, range: r });
    }
  });

  it("time-range - live is the default and writes nothing", () => {
    expect(parseTimeRange(sp(""))).toEqual({ ok: true, range: LIVE });
    expect(timeRangeToSearch(LIVE, "")).toBe("");
  });

  it("time-range - a fixed range with an offset is normalized to UTC", () => {
    expect(parseTimeRange({ from: "2026-11-23T14:00:00+01:00", to: "2026-11-23T14:30:00Z" })).toEqual({
      ok: true,
      range: { kind: "fixed", from: "2026-11-23T13:00:00.000Z", to: "2026-11-23T14:30:00.000Z" },
    });
  });

  it("time-range - bad input is an error naming the parameter", () => {
    const err = (q: string) => {
      const r = parseTimeRange(sp(q));
      return r.ok ? "accepted" : r.error;
    };
    expect(err("range=3y")).toMatch(/^range: one of 1m, 5m/);
    expect(err("from=yesterday&to=2026-11-23T14:00:00Z")).toMatch(/^from: an ISO-8601 time/);
    expect(err("from=2026-11-23T14:00:00Z")).toBe("to: required with from");
    expect(err("to=2026-11-23T14:00:00Z")).toBe("from: required with to");
    expect(err("from=2026-11-23T14:00:00Z&to=2026-11-23T13:00:00Z")).toBe("to: must be after from");
    expect(err("range=1h&from=2026-11-23T13:00:00Z&to=2026-11-23T14:00:00Z")).toMatch(/^range: give either range or from\/to/);
    expect(err("from=2026-11-23T14:00:00&to=2026-11-23T15:00:00Z")).toMatch(/^from:/); // no zone: ambiguous
  });

  it("time-range - the lenient parse falls back to live and keeps the reason", () => {
    expect(parseTimeRangeLenient({ range: "3y" })).toEqual({ range: LIVE, error: expect.stringMatching(/^range:/) });
  });

  it("time-range - resolves to absolute bounds given now", () => {
    expect(resolveTimeRange(LIVE, NOW, 15 * 60_000)).toEqual({ from: NOW - 15 * 60_000, to: NOW, live: true });
    expect(resolveTimeRange({ kind: "live", last: "6h" }, NOW, 15 * 60_000)).toEqual({ from: NOW - 6 * 3600_000, to: NOW, live: true });
    expect(resolveTimeRange(FIXED, NOW, 1)).toEqual({ from: Date.parse(FIXED.from), to: Date.parse(FIXED.to), live: false });
  });

  it("time-range - a drag in either direction gives the same fixed range", () => {
    const a = Date.parse(FIXED.from);
    const b = Date.parse(FIXED.to);
    expect(fixedRange(b, a)).toEqual(FIXED);
    expect(inTimeRange(a, FIXED)).toBe(true);
    expect(inTimeRange(b, FIXED)).toBe(false);
    expect(inTimeRange(0, LIVE)).toBe(true);
  });

  it("time-range - picks the smallest stored window covering the range", () => {
    const windows = { "5m": 5 * 60_000, "15m": 15 * 60_000, "1h": 3600_000, "24h": 86_400_000 };
    expect(coveringWindow(LIVE, NOW, windows, "15m")).toBe("15m");
    expect(coveringWindow({ kind: "live", last: "1m" }, NOW, windows, "15m")).toBe("5m");
    expect(coveringWindow({ kind: "live", last: "7d" }, NOW, windows, "15m")).toBe("24h");
    expect(coveringWindow(FIXED, NOW, windows, "15m")).toBe("24h"); // starts 2h before now
  });

  it("time-range - setting the range keeps the view's filters; the zone toggles tz=local", () => {
    expect(timeRangeToSearch(FIXED, "?stream=orders&range=1h")).toBe(
      `?stream=orders&from=${encodeURIComponent(FIXED.from)}&to=${encodeURIComponent(FIXED.to)}`,
    );
    expect(timeRangeToSearch({ kind: "live", last: "6h" }, `?q=x&from=${FIXED.from}&to=${FIXED.to}`)).toBe("?q=x&range=6h");
    expect(timeRangeToSearch({ kind: "live", last: "6h" })).toBe("?range=6h");
    expect(displayZoneToSearch("local")).toBe("?tz=local");
    expect(displayZoneToSearch("local", "?q=x")).toBe("?q=x&tz=local");
    expect(displayZoneToSearch("utc", "?q=x&tz=local")).toBe("?q=x");
    expect(parseDisplayZone(sp("tz=local"))).toBe("local");
    expect(parseDisplayZone(sp("tz=mars"))).toBe("utc");
  });

  it("time-range - a view's own write carries the shell's range and zone unless it owns them", () => {
    expect(shellStateToSearch("?range=6h&tz=local&q=old", "?q=new")).toBe("?q=new&range=6h&tz=local");
    expect(shellStateToSearch("?range=6h&tz=local", "?from=a&to=b")).toBe("?from=a&to=b&tz=local");
    expect(shellStateToSearch("?range=6h&tz=local", "?key=k", ["range", "from", "to"])).toBe("?key=k&tz=local");
  });

  it("time-range - the active range is described with its zone", () => {
    expect(describeTimeRange(LIVE, "utc")).toBe("live · view default window");
    expect(describeTimeRange({ kind: "live", last: "1h" }, "utc")).toBe("live · last 1h");
    expect(describeTimeRange(FIXED, "utc")).toBe("2026-11-23 13:00:00 UTC → 2026-11-23 14:30:00 UTC (1h 30m)");
  });

  it("time-range - a view with a default window has the bar name it while no range is picked", () => {
    expect(viewDefaultWindow("/consumers/ORDERS/billing")).toBe("15m");
    expect(viewDefaultWindow("/streams/ORDERS")).toBe("5m");
    expect(viewDefaultWindow("/failover")).toBe("1h");
    expect(viewDefaultWindow("/consumers")).toBeNull();
    expect(viewDefaultWindow("/streams/ORDERS/messages")).toBeNull();
    expect(describeTimeRange(LIVE, "utc", "15m")).toBe("live · last 15m (view default)");
    expect(describeTimeRange({ kind: "live", last: "1h" }, "utc", "15m")).toBe("live · last 1h");
  });

  it("time-range - the custom range is typed as a 24-hour wall clock and round-trips", () => {
    expect(toRangeInput(Date.parse("2026-11-23T21:05:00.000Z"), "utc")).toBe("2026-11-23 21:05");
    expect(toRangeInput(Date.parse("2026-11-23T21:05:09.000Z"), "utc")).toBe("2026-11-23 21:05:09");
    expect(parseRangeInput("2026-11-23 21:05", "utc")).toEqual({ iso: "2026-11-23T21:05:00.000Z" });
    expect(parseRangeInput(" 2026-11-23T13:00:30 ", "utc")).toEqual({ iso: "2026-11-23T13:00:30.000Z" });
    expect(parseRangeInput(toRangeInput(NOW, "utc"), "utc")).toEqual({ iso: new Date(NOW).toISOString() });
    expect(parseRangeInput(toRangeInput(NOW, "local"), "local")).toEqual({ iso: new Date(NOW).toISOString() });
  });

  it("time-range - a typed time that is not one says why, never rolls over", () => {
    expect(parseRangeInput("11/23/2026 9:05 PM", "utc")).toEqual({ error: "use YYYY-MM-DD HH:MM (24-hour)" });
    expect(parseRangeInput("2026-02-30 10:00", "utc")).toEqual({ error: "no such date or time" });
    expect(parseRangeInput("2026-11-23 24:00", "utc")).toEqual({ error: "no such date or time" });
    expect(parseRangeInput("2026-11-23 12:60", "utc")).toEqual({ error: "no such date or time" });
    expect(parseRangeInput("2026-11-23 12:00:60", "utc")).toEqual({ error: "no such date or time" });
  });
});

/**
 * One URL per view with every filter of that view plus the shared range and zone: parsing it and writing it
 * back (the view's own serializer, then the shell's parameters carried) gives the same state.
 */
describe("view URLs with the shared time range", () => {
  const shell = `&from=${FIXED.from}&to=${FIXED.to}&tz=local`;
  const roundTrip = <S>(query: string, parse: (p: URLSearchParams) => S, toSearch: (s: S) => string, owned: readonly string[] = []) => {
    const state = parse(sp(query));
    const written = shellStateToSearch(sp(query), toSearch(state), owned);
    expect(parse(sp(written.slice(1)))).toEqual(state);
    expect(parseTimeRange(sp(written.slice(1)))).toEqual({ ok: true, range: FIXED });
    expect(parseDisplayZone(sp(written.slice(1)))).toBe("local");
    return state;
  };

  it("view urls - consumers list", () => {
    const s = roundTrip<ConsumerListState>(
      `sort=lag_seconds&dir=asc&stream=orders&status=WARN,ERR&q=billing&own=1${shell}`,
      parseConsumerListState,
      consumerListStateToSearch,
    );
    expect(s).toEqual({ sort: "lag_seconds", dir: "asc", stream: "orders", status: ["WARN", "ERR"], q: "billing", own: true, ignored: [] });
  });

  it("view urls - streams list and stream detail", () => {
    expect(roundTrip(`q=ord&sort=bytes&dir=desc&show=attention&own=1${shell}`, parseStreamsListState, streamsListStateToSearch)).toEqual({
      q: "ord",
      sort: "bytes",
      dir: "desc",
      show: "attention",
      own: true,
      ignored: [],
    });
    expect(roundTrip(`top=20${shell}`, parseStreamDetailState, streamDetailStateToSearch)).toEqual({ top: 20, ignored: [] });
  });

  it("view urls - message browser", () => {
    const s = roundTrip(
      `start_time=2026-11-23T13:05:00.000Z&subject=orders.*&dir=backward&size=50&tz=local&range=1h`.replace("&range=1h", shell),
      parseBrowsePageState,
      browsePageStateToSearch,
    );
    expect(s.query).toMatchObject({ start_time: "2026-11-23T13:05:00.000Z", subject: "orders.*", dir: "backward", size: 50 });
  });

  it("view urls - outcomes (its from/to are the shared fixed range)", () => {
    const s = roundTrip<OutcomeFilter>(
      `handler=bgp_drop&severity=high,critical&kind=errored&target=edge&event=sensory.x${shell}`,
      (p) => parseOutcomeFilterLenient(p).filter,
      outcomeFilterToSearch,
      ["from", "to"],
    );
    expect(s).toEqual({
      handler: "bgp_drop",
      severity: ["high", "critical"],
      kind: "errored",
      target: "edge",
      event: "sensory.x",
      from: FIXED.from,
      to: FIXED.to,
    });
  });

  it("view urls - failover (its range/from/to are the shared range)", () => {
    const s = roundTrip(`key=reflex-leader${shell}`, parseFailoverViewState, failoverViewStateToSearch, ["range", "from", "to"]);
    expect(s).toEqual({ range: "1h", key: "reflex-leader", from: FIXED.from, to: FIXED.to });
  });
});

describe("round time ticks", () => {
  const at = (iso: string) => Date.parse(iso);
  it("picks the smallest round step that keeps at most maxTicks, on whole multiples of it", () => {
    const ticks = roundTimeTicks(at("2026-12-02T13:15:50Z"), at("2026-12-02T13:30:50Z"), 8);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 19))).toEqual([
      "13:16:00",
      "13:18:00",
      "13:20:00",
      "13:22:00",
      "13:24:00",
      "13:26:00",
      "13:28:00",
      "13:30:00",
    ]);
  });
  it("two windows over the same span label the same instants", () => {
    const a = roundTimeTicks(at("2026-12-02T10:00:07Z"), at("2026-12-02T11:00:07Z"));
    const b = roundTimeTicks(at("2026-12-02T10:00:07Z"), at("2026-12-02T11:00:07Z"));
    expect(a).toEqual(b);
    expect(a.every((t) => t % (10 * 60_000) === 0)).toBe(true);
  });
  it("covers days and tiny windows, and returns nothing for an empty window", () => {
    expect(roundTimeTicks(at("2026-11-25T00:00:00Z"), at("2026-12-02T00:00:00Z"), 8)).toHaveLength(8);
    expect(roundTimeTicks(0, 3_000, 8)).toEqual([0, 1000, 2000, 3000]);
    expect(roundTimeTicks(1000, 1000)).toEqual([]);
    expect(roundTimeTicks(0, 90 * 24 * 3_600_000, 6).length).toBeLessThanOrEqual(6);
  });
});

describe("round bucket ticks", () => {
  const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
  it("labels the buckets holding round instants, once each, with the round instant", () => {
    const start = Date.parse("2026-12-02T12:13:00Z");
    const minutes = Array.from({ length: 60 }, (_, i) => start + i * 60_000);
    const ticks = roundBucketTicks(minutes, 8);
    expect([...ticks.values()].map(hhmm)).toEqual(["12:20", "12:30", "12:40", "12:50", "13:00", "13:10"]);
    expect([...ticks.keys()]).toEqual([...ticks.values()]);
  });
  it("on buckets that follow the window's start, picks the bucket holding the instant and keeps the round label", () => {
    // 5–45 s in 10 s buckets, at most 3 ticks: a 15 s step; 0:15 is in the bucket from 0:15, 0:30 in the one
    // from 0:25; 0:45 is the window's end, in no bucket.
    expect([...roundBucketTicks([5_000, 15_000, 25_000, 35_000], 3)]).toEqual([
      [15_000, 15_000],
      [25_000, 30_000],
    ]);
    expect(roundBucketTicks([7], 8).size).toBe(0);
  });
});

describe("round ticks over a chart's data", () => {
  it("spans the first to the last instant, and is empty without data", () => {
    expect(roundTicksOver([61_000, 90_000, 185_000], 4)).toEqual([120_000, 180_000]);
    expect(roundTicksOver([61_000, 90_000, 185_000], 5)).toEqual([90_000, 120_000, 150_000, 180_000]);
    expect(roundTicksOver([])).toEqual([]);
  });
});
