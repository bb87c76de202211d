/** A count as a view shows it ("27,412", "1 234 msgs") read back as a number: its digits only. */
export const readCount = async (text: Promise<string | null>): Promise<number> => Number((await text)?.replace(/[^\d]/g, "") ?? NaN);
