import { describe, expect, it } from "vitest";
import { hash52, RecentIds } from "./recent-ids";

describe("RecentIds", () => {
  it("remembers ids added and not others", () => {
    const ids = new RecentIds(1_000);
    for (let i = 0; i < 1_000; i++) ids.add(`msg-${i}`);
    for (let i = 0; i < 1_000; i++) expect(ids.has(`msg-${i}`)).toBe(true);
    for (let i = 1_000; i < 2_000; i++) expect(ids.has(`msg-${i}`)).toBe(false);
  });

  it("keeps the most recent ids and forgets the oldest generation once two are full", () => {
    const ids = new RecentIds(100);
    for (let i = 0; i < 350; i++) ids.add(`m${i}`);
    // Generations: 0–99 forgotten when 200 arrived, 100–199 when 300 did; 200–349 remembered.
    expect(ids.has("m0")).toBe(false);
    expect(ids.has("m199")).toBe(false);
    for (let i = 200; i < 350; i++) expect(ids.has(`m${i}`)).toBe(true);
  });

  it("adding an id twice does not take a second slot", () => {
    const ids = new RecentIds(2);
    ids.add("a");
    ids.add("a");
    ids.add("b");
    expect(ids.has("a") && ids.has("b")).toBe(true);
  });

  it("hashes distinct uuids to distinct non-zero 52-bit values", () => {
    const hashes = Array.from({ length: 200_000 }, (_, i) => hash52(`${i.toString(16).padStart(8, "0")}-4b1c-9d2e-8f00-${(i * 7919).toString(16).padStart(12, "0")}`));
    expect(hashes.filter((h) => !(h > 0 && h < 2 ** 52 && Number.isInteger(h)))).toEqual([]);
    expect(new Set(hashes).size).toBe(200_000);
  });
});
