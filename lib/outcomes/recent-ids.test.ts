import { describe, expect, it } from "vitest";
import { hash52, idHash, idHashOfBytes, RecentIds } from "./recent-ids";

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
    const hashes = Array.from({ length: 200_000 }, (_, i) =>
      hash52(`${i.toString(16).padStart(8, "0")}-4b1c-9d2e-8f00-${(i * 7919).toString(16).padStart(12, "0")}`),
    );
    expect(hashes.filter((h) => !(h > 0 && h < 2 ** 52 && Number.isInteger(h)))).toEqual([]);
    expect(new Set(hashes).size).toBe(200_000);
  });

  it("an id hashes as its UTF-8 bytes: read from a header's bytes or as a string, the same id is the same hash", () => {
    const enc = new TextEncoder();
    for (const id of ["o-1", "8de729c3-68f7-4db0-928a-cfdadd957ea5", "grüße", "\u{1f600}-id"]) {
      const bytes = enc.encode(`xx${id}yy`);
      expect(idHashOfBytes(bytes, 2, bytes.length - 2), id).toBe(idHash(id));
    }
    expect(idHash("abc")).toBe(hash52("abc"));
    expect(idHash("grüße")).not.toBe(hash52("grüße"));
    const ids = new RecentIds(10);
    const gruesse = enc.encode("grüße");
    ids.addHash(idHashOfBytes(gruesse, 0, gruesse.length));
    expect(ids.has("grüße")).toBe(true);
  });
});
