/** When a page's content hydrates: for benches that open views in Chromium (the page must run WATCH_HYDRATION first). */
import type { Page } from "@playwright/test";

/**
 * Runs in the page before its scripts: records the first frame in which main's first child has React's props.
 * A string: a function passed to addInitScript is sent as its source, and tsx's compiled source calls helpers the
 * page does not have.
 */
export const WATCH_HYDRATION = `(() => {
  const check = () => {
    const el = document.querySelector("main > *");
    if (el && Object.keys(el).some((k) => k.startsWith("__reactProps$"))) window.__hydratedAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

export async function hydratedAt(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: "commit" });
  try {
    await page.waitForFunction(() => (window as unknown as { __hydratedAt?: number }).__hydratedAt !== undefined, null, {
      timeout: 20_000,
    });
  } catch (err) {
    const seen = await page.evaluate(() =>
      Array.from(document.querySelectorAll("main > *")).map((e) => `${e.tagName}.${e.className}: ${Object.keys(e).join(" ")}`),
    );
    throw new Error(`${url}: no hydrated content after 20 s; main holds ${JSON.stringify(seen)}`, { cause: err });
  }
  return page.evaluate(() => (window as unknown as { __hydratedAt: number }).__hydratedAt);
}
