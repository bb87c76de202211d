/** Property tests for what the KV views read from URLs and from object stores' metadata messages. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kvKeyFilter, kvKeysViewStateToSearch, parseKvKeysViewState, parseKvKeyViewState, parseObjectMeta } from "./kv";

const RUNS = { numRuns: 500 };
/** Strings drawn mostly from the characters keys are made of, with dots and wildcards among them. */
const keyish = fc.string({ unit: fc.constantFrom("a", "b", "1", "-", "_", "/", "=", ".", ".", "*", ">", " ", "%"), maxLength: 24 });

describe("kv - properties", () => {
  it("kv - any prefix in the URL is either kept (and round-trips) or dropped with a named reason", () => {
    fc.assert(
      fc.property(fc.oneof(keyish, fc.string()), (raw) => {
        const state = parseKvKeysViewState(new URLSearchParams({ prefix: raw }));
        if (state.error === null) {
          expect(state.prefix).toBe(raw);
          expect(parseKvKeysViewState(new URLSearchParams(kvKeysViewStateToSearch(state).slice(1))).prefix).toBe(raw);
        } else {
          expect(state.prefix).toBe("");
          expect(state.error).toMatch(/^prefix: /);
        }
      }),
      RUNS,
    );
  });

  it("kv - a kept prefix gives a subject filter with whole tokens and a single trailing wildcard", () => {
    fc.assert(
      fc.property(keyish, (raw) => {
        const { prefix, error } = parseKvKeysViewState({ prefix: raw });
        if (error) return;
        const filter = kvKeyFilter("b", prefix);
        expect(filter.endsWith(".>")).toBe(true);
        const tokens = filter.split(".");
        expect(tokens.every((t) => t.length > 0)).toBe(true);
        expect(tokens.slice(0, -1).some((t) => t.includes("*") || t.includes(">"))).toBe(false);
        expect(`$KV.b.${prefix}`.startsWith(filter.slice(0, -1))).toBe(true);
      }),
      RUNS,
    );
  });

  it("kv - any rev parameter is a positive revision or none", () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const { rev } = parseKvKeyViewState({ rev: raw });
        expect(rev === null || (Number.isInteger(rev) && rev > 0)).toBe(true);
      }),
      RUNS,
    );
  });

  it("kv - object metadata parsing never throws on any bytes or JSON", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 256 }),
          fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
        ),
        (data) => {
          const meta = parseObjectMeta(data);
          if (meta) expect(typeof meta.name).toBe("string");
        },
      ),
      RUNS,
    );
  });
});
