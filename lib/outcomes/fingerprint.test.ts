import { describe, expect, it } from "vitest";
import { addExample, fingerprint, FINGERPRINT_MAX_CHARS, MAX_EXAMPLES, patternId, type GroupExample } from "./fingerprint";

/** Real exception lines from Python handlers → the group pattern they fall into. */
const CASES: [line: string, pattern: string][] = [
  ["KeyError: 'peer-72636'", "KeyError: <str>"],
  ["KeyError: 'peer-9'", "KeyError: <str>"],
  ["ValueError: invalid literal for int() with base 10: 'Gi1/0/24'", "ValueError: invalid literal for int() with base <num>: <str>"],
  ["ValueError: invalid literal for int() with base 10: 'Te1/1/1'", "ValueError: invalid literal for int() with base <num>: <str>"],
  ["TimeoutError: lookup of edge-rtr-01 timed out after 5s", "TimeoutError: lookup of edge-rtr-<num> timed out after <num>s"],
  ["IndexError: list index out of range", "IndexError: list index out of range"],
  ["AttributeError: 'NoneType' object has no attribute 'get'", "AttributeError: 'NoneType' object has no attribute 'get'"],
  ["AttributeError: 'dict' object has no attribute 'peer'", "AttributeError: 'dict' object has no attribute 'peer'"],
  ['KeyError: "device 42"', "KeyError: <str>"],
  ["LookupError: no event 3f2b8c1e-9d4a-4e7b-8c21-0a5b6c7d8e9f", "LookupError: no event <uuid>"],
  [
    "ConnectionRefusedError: [Errno 111] Connect call failed ('10.20.30.40', 4222)",
    "ConnectionRefusedError: [Errno <num>] Connect call failed (<str>, <num>)",
  ],
  ["OSError: cannot reach 192.168.1.254:830", "OSError: cannot reach <ip>"],
  ["OSError: cannot reach fe80::1ff:fe23:4567:890a", "OSError: cannot reach <ip>"],
  [
    "FileNotFoundError: [Errno 2] No such file or directory: /var/lib/reflex/state/edge-7.json",
    "FileNotFoundError: [Errno <num>] No such file or directory: <path>",
  ],
  ["RuntimeError: object at 0x7f3a2c1b9e80 is closed", "RuntimeError: object at <hex> is closed"],
  ["RuntimeError: digest deadbeef0042 mismatch", "RuntimeError: digest <hex> mismatch"],
  ["KeyError: evt_k3j9x2q", "KeyError: <id>"],
  ["httpx.HTTPStatusError: 503 for url https://netbox.local/api/dcim/devices/17/", "httpx.HTTPStatusError: <num> for url <url>"],
  ["ZeroDivisionError: float division by zero", "ZeroDivisionError: float division by zero"],
  ["ValueError: ratio 3.75 out of bounds 1/2", "ValueError: ratio <num> out of bounds <num>/<num>"],
];

describe("error-group fingerprint", () => {
  it.each(CASES)("fingerprint - %s", (line, pattern) => {
    expect(fingerprint(line).pattern).toBe(pattern);
  });

  it("fingerprint - errors that differ only by an id make one group; different exceptions stay apart", () => {
    const ids = Array.from({ length: 500 }, (_, i) => patternId(fingerprint(`KeyError: 'peer-${70_000 + i * 7}'`).pattern));
    expect(new Set(ids).size).toBe(1);
    const distinct = new Set(CASES.map(([, p]) => p));
    expect(new Set(CASES.map(([line]) => patternId(fingerprint(line).pattern))).size).toBe(distinct.size);
  });

  it("fingerprint - keeps the replaced parts as example values, in order", () => {
    expect(fingerprint("KeyError: 'peer-72636'").values).toEqual(["'peer-72636'"]);
    expect(fingerprint("ValueError: invalid literal for int() with base 10: 'Gi1/0/24'").values).toEqual(["10", "'Gi1/0/24'"]);
    expect(fingerprint("IndexError: list index out of range").values).toEqual([]);
  });

  it("fingerprint - a pathological line is cut and scanned in linear time", () => {
    const long = `E: '${"1".repeat(50_000)}`;
    const fp = fingerprint(long);
    expect(fp.pattern.length).toBeLessThanOrEqual(FINGERPRINT_MAX_CHARS);
    expect(fingerprint("'".repeat(FINGERPRINT_MAX_CHARS)).pattern).toBe("'".repeat(FINGERPRINT_MAX_CHARS));
  });

  it("fingerprint - pattern ids are 16 hex digits, stable, and differ for different patterns", () => {
    expect(patternId("KeyError: <str>")).toMatch(/^[0-9a-f]{16}$/);
    expect(patternId("KeyError: <str>")).toBe(patternId("KeyError: <str>"));
    expect(patternId("KeyError: <str>")).not.toBe(patternId("KeyError: <num>"));
  });

  it("fingerprint - examples count kept values and keep at most a handful", () => {
    const ex: GroupExample[] = [];
    for (let i = 0; i < 20; i++) addExample(ex, `v${i % 8}`);
    expect(ex).toHaveLength(MAX_EXAMPLES);
    expect(ex[0]).toEqual({ value: "v0", count: 3 });
  });
});
