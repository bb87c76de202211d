import { describe, expect, it } from "vitest";
import { createLogger } from "./log";

const capture = (json: boolean) => {
  const lines: string[] = [];
  return { lines, log: createLogger({ json, out: { write: (text: string) => lines.push(text) } }) };
};

describe("server log", () => {
  it("log - JSON mode writes one JSON object per line with a UTC time, the message and the child's fields", () => {
    const { lines, log } = capture(true);
    log.child({ req_id: "r-1" }).info({ status: 503 }, "unavailable");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith("\n")).toBe(true);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 30, msg: "unavailable", req_id: "r-1", status: 503 });
    expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("log - terminal mode writes a readable line: UTC time, level, message, then key=value fields and an error's stack", () => {
    const { lines, log } = capture(false);
    log.child({ req_id: "r-2" }).warn({ reason: "NATS: timeout" }, "unavailable");
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARN {2}unavailable req_id=r-2 reason="NATS: timeout"\n$/);
    log.error({ err: new Error("boom") }, "unhandled error");
    expect(lines[1]).toMatch(/ERROR unhandled error\nError: boom\n\s+at /);
  });
});
