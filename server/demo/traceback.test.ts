import { describe, expect, it } from "vitest";
import {
  DIAGNOSTIC_MAX_CHARS,
  TRUNCATION_MARKER,
  exceptionLine,
  formatException,
  keyErrorPeer,
  pythonTraceback,
  timeoutInLookup,
  truncateTraceback,
} from "./traceback";

describe("python tracebacks", () => {
  it("formats like traceback.format_exc()", () => {
    const text = formatException(keyErrorPeer());
    expect(text.split("\n")).toEqual([
      "Traceback (most recent call last):",
      '  File "/app/netcortex/reflex/runner.py", line 141, in _dispatch',
      "    outcome = await handler.handle(event)",
      '  File "/app/netcortex/reflex/handlers/bgp_drop.py", line 42, in handle',
      `    summary = f"BGP session {payload['device']} -> {payload['peer']} left Established"`,
      "KeyError: 'peer'",
    ]);
  });

  it("prints a chained cause first and an exception without message as its bare type", () => {
    const text = formatException(timeoutInLookup("link_down", 5));
    expect(text).toContain("The above exception was the direct cause of the following exception:");
    expect(text.indexOf("CancelledError")).toBeLessThan(text.lastIndexOf("Traceback (most recent call last):"));
    expect(exceptionLine(text)).toBe("TimeoutError");
  });

  it("truncates long tracebacks from the front, keeping whole lines and the exception", () => {
    const full = formatException(timeoutInLookup("bgp_drop", 5));
    expect(full.length).toBeGreaterThan(DIAGNOSTIC_MAX_CHARS);
    const cut = pythonTraceback(timeoutInLookup("bgp_drop", 5));
    expect(cut.length).toBeLessThanOrEqual(DIAGNOSTIC_MAX_CHARS);
    expect(cut.startsWith(TRUNCATION_MARKER)).toBe(true);
    expect(exceptionLine(cut)).toBe("TimeoutError");
    expect(full.endsWith(cut.slice(TRUNCATION_MARKER.length))).toBe(true);
  });

  it("leaves short tracebacks untouched", () => {
    const text = formatException(keyErrorPeer());
    expect(truncateTraceback(text)).toBe(text);
  });
});
