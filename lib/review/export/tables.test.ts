import { describe, expect, it } from "vitest";
import type { ErrorGroup } from "../../outcomes/outcome";
import { toCsv } from "./csv";
import { ERROR_GROUP_COLUMNS } from "./tables";

const group: ErrorGroup = {
  key: "billing\u0000KeyError: <str>",
  id: "p1",
  handler_id: "billing",
  exception: "KeyError: <str>",
  sample: "KeyError: 'peer-2'",
  examples: [
    { value: "'peer-1'", count: 3 },
    { value: 'a, "b"; c', count: 1 },
  ],
  count: 4,
  first_seen: "2026-11-23T12:00:00.000Z",
  last_seen: "2026-11-23T12:05:00.000Z",
  last_id: "o9",
};

describe("export tables", () => {
  it("export - an error group's row carries its variants, each value quoted and counted, in one CSV field", () => {
    const [header, row] = toCsv(ERROR_GROUP_COLUMNS, [group]).split("\r\n");
    expect(header).toBe("handler,exception,variants,count,first_seen,last_seen,last_id");
    expect(row).toBe(
      `billing,KeyError: <str>,"""'peer-1'"" ×3; ""a, \\""b\\""; c"" ×1",4,2026-11-23T12:00:00.000Z,2026-11-23T12:05:00.000Z,o9`,
    );
  });
});
