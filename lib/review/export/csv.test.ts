import { describe, expect, it } from "vitest";
import { csvCommentRow, csvField, exportFileName, guardFormula, panelFileName, toCsv, toCsvExport, toJsonExport, type Column } from "./csv";
import { CONSUMER_COLUMNS, FAILOVER_COLUMNS, OUTCOME_COLUMNS } from "./tables";
import type { ConsumerSummary } from "../../consumers/types";
import type { OutcomeRecord } from "../../outcomes/outcome";

interface Row {
  name: string;
  n: number | null;
}
const COLS: Column<Row>[] = [
  { header: "name", value: (r) => r.name },
  { header: "n", value: (r) => r.n },
];

describe("csv export", () => {
  it("csv - header row, CRLF line breaks, a final CRLF", () => {
    expect(
      toCsv(COLS, [
        { name: "a", n: 1 },
        { name: "b", n: null },
      ]),
    ).toBe("name,n\r\na,1\r\nb,\r\n");
    expect(toCsv(COLS, [])).toBe("name,n\r\n");
  });

  it("csv - fields with comma, quote or line breaks are quoted with quotes doubled (RFC 4180)", () => {
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField("plain")).toBe("plain");
  });

  it("csv - cells a spreadsheet would evaluate are prefixed with an apostrophe; numbers are not", () => {
    for (const evil of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
      expect(guardFormula(evil).startsWith("'")).toBe(true);
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField('=cmd|" /C calc"!A0')).toBe(`"'=cmd|"" /C calc""!A0"`);
    expect(csvField(-5)).toBe("-5");
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField(true)).toBe("true");
  });

  it("csv - the JSON export has the same columns under the export's metadata", () => {
    const meta = {
      view: "consumers",
      filters: { q: "x" },
      range: { from: "2026-11-23T13:00:00.000Z", to: "2026-11-23T14:00:00.000Z" },
      generated_at: "2026-11-23T15:00:00.000Z",
    };
    const parsed = JSON.parse(toJsonExport(COLS, [{ name: "=a", n: 2 }], meta));
    expect(parsed).toEqual({ ...meta, columns: ["name", "n"], rows: [{ name: "=a", n: 2 }] });
  });

  it("csv - file names carry the view, its filters and the UTC range, safely", () => {
    const range = { from: "2026-11-23T13:00:00.000Z", to: "2026-11-23T14:30:00.000Z" };
    expect(exportFileName({ view: "consumers", filters: { q: "analytics", status: "WARN,ERR", stream: "" }, range }, "csv")).toBe(
      "busdeck-consumers_q-analytics_status-WARN_ERR_20261123T130000Z-20261123T143000Z.csv",
    );
    expect(exportFileName({ view: "streams", filters: {}, range: { from: range.from, to: range.from } }, "json")).toBe(
      "busdeck-streams_20261123T130000Z.json",
    );
    expect(exportFileName({ view: "outcomes", filters: { target: "../../etc/passwd" }, range }, "csv")).toMatch(
      /^busdeck-outcomes_target-etc_passwd_/,
    );
  });

  it("csv - table columns write UTC ISO times and raw figures", () => {
    const c = {
      stream: "S",
      name: "C",
      num_pending: 3,
      num_ack_pending: 2,
      num_redelivered: 0,
      sampled_at: "2026-11-23T14:00:00+01:00",
      insight: null,
    } as unknown as ConsumerSummary;
    const csv = toCsv(CONSUMER_COLUMNS, [c]).split("\r\n");
    expect(csv[0]).toMatch(/^stream,consumer,status,lag_msgs,lag_seconds,/);
    expect(csv[1]).toMatch(/^S,C,,5,,3,2,0,/);
    expect(csv[1]).toMatch(/,2026-11-23T13:00:00.000Z$/);
    const bad: OutcomeRecord = {
      id: "7",
      subject: "reflex.outcome.h",
      handler_id: "h",
      received_at: "2026-11-23T14:00:00Z",
      size: 1,
      valid: false,
      raw: "x",
      error: "not JSON",
    };
    expect(toCsv(OUTCOME_COLUMNS, [bad]).split("\r\n")[1]).toBe("7,2026-11-23T14:00:00.000Z,,h,false,,,,,,not JSON,reflex.outcome.h,");
    expect(FAILOVER_COLUMNS.map((c) => c.header)).toContain("gap_ms");
  });

  it("csv - the download starts with one comment row naming view, filters, UTC range and generation time", () => {
    const meta = {
      view: "consumers",
      filters: { q: "analytics", status: "WARN,ERR", stream: "" },
      range: { from: "2026-11-23T13:00:00.000Z", to: "2026-11-23T14:30:00.000Z" },
      generated_at: "2026-11-23T15:00:07.123Z",
    };
    expect(csvCommentRow(meta)).toBe(
      "# busdeck consumers · filters q=analytics · status=WARN|ERR · range 2026-11-23 13:00:00–2026-11-23 14:30:00 UTC · generated 2026-11-23 15:00:07 UTC",
    );
    const lines = toCsvExport(COLS, [{ name: "a", n: 1 }], meta).split("\r\n");
    expect(lines).toEqual([csvCommentRow(meta), "name,n", "a,1", ""]);
    // One field for any CSV reader: no separator, quote or line break survives from a filter value.
    const hostile = csvCommentRow({ ...meta, filters: { q: 'a,"b"\r\n=c' }, range: { from: meta.range.from, to: meta.range.from } });
    expect(hostile).not.toMatch(/[,"\r\n]/);
    expect(hostile).toMatch(/^# busdeck consumers · filters q=a\| b =c · range 2026-11-23 13:00:00 UTC · /);
    expect(csvCommentRow({ ...meta, filters: {} })).toMatch(/ · filters none · /);
  });

  it("csv - a chart's PNG name names its entity, else its view and panel, in safe characters", () => {
    const range = { from: "2026-11-23T13:00:00.000Z", to: "2026-11-23T14:30:00.000Z" };
    expect(
      panelFileName({
        view: "Consumer detail",
        panel: "Lag",
        entity: { kind: "consumer", parts: ["routing-decisions", "analytics-consumer"] },
        filters: {},
        range,
      }),
    ).toBe("busdeck-routing-decisions-analytics-consumer-consumer-lag_20261123T130000Z-20261123T143000Z.png");
    expect(
      panelFileName({
        view: "Failover",
        panel: "Timeline",
        entity: { kind: "lock", parts: ["reflex_locks", "leader/a b"] },
        filters: { key: "leader/a b" },
        range,
      }),
    ).toBe("busdeck-reflex_locks-leader_a_b-lock-timeline_key-leader_a_b_20261123T130000Z-20261123T143000Z.png");
    expect(panelFileName({ view: "Reflex outcomes", panel: "Error groups", filters: {}, range })).toBe(
      "busdeck-reflex-outcomes-error-groups_20261123T130000Z-20261123T143000Z.png",
    );
    expect(
      panelFileName({ view: "Stream detail", panel: "Ingest rate", entity: { kind: "stream", parts: ["../../etc"] }, filters: {}, range }),
    ).toMatch(/^busdeck-etc-stream-ingest-rate_/);
  });
});
