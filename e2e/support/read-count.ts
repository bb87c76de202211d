import { expect } from "@playwright/test";

/** A count as a view shows it ("27,412", "1 234 msgs") read back as a number: its digits only. */
export const readCount = async (text: Promise<string | null>): Promise<number> => Number((await text)?.replace(/[^\d]/g, "") ?? NaN);

/** A "shown of total" count, e.g. "4 of 8" (reading its digits as one number made that 48). */
export const readShownOfTotal = async (text: Promise<string | null>): Promise<{ shown: number; total: number }> => {
  const m = /^([\d,]+) of ([\d,]+)$/.exec((await text)?.trim() ?? "");
  expect(m, "the count reads 'N of M'").not.toBeNull();
  return { shown: Number(m![1]!.replace(/,/g, "")), total: Number(m![2]!.replace(/,/g, "")) };
};
