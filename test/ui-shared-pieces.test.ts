/** The UI pieces written once in components/ui stay the only copies: a view uses them rather than its own markup. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");

function componentSources(): { path: string; text: string }[] {
  const dir = join(root, "components");
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".tsx") || f.endsWith(".ts"))
    .map((f) => ({ path: relative(root, join(dir, f)), text: readFileSync(join(dir, f), "utf8") }));
}

/** Files other than `owner` whose source matches `pattern`. */
function writtenOutside(owner: string, pattern: RegExp): string[] {
  return componentSources()
    .filter((f) => f.path !== owner && pattern.test(f.text))
    .map((f) => f.path);
}

describe("ui shared pieces", () => {
  it("ui - a stat card is StatCard: no view writes the card's label/value markup itself", () => {
    expect(writtenOutside("components/ui/stat-card.tsx", /className=["{`]+stat\b/)).toEqual([]);
  });

  it("ui - a definition list is KeyValueList", () => {
    expect(writtenOutside("components/ui/key-value-list.tsx", /<dl\b/)).toEqual([]);
  });

  it("ui - a chart's range buttons and empty state come from ChartFrame", () => {
    expect(writtenOutside("components/ui/chart-frame.tsx", /aria-label="Range"/)).toEqual([]);
    expect(writtenOutside("components/ui/chart-frame.tsx", /Collecting samples…/)).toEqual([]);
  });

  it("ui - time axes and tooltips take their setup from chart-axes", () => {
    expect(writtenOutside("components/ui/chart-axes.tsx", /scale="time"/)).toEqual([]);
    expect(writtenOutside("components/ui/chart-axes.tsx", /contentStyle=\{\{/)).toEqual([]);
  });

  it("ui - a line chart over time is TimeLineChart: grid, time axis, legend and drag range written once", () => {
    expect(writtenOutside("components/ui/time-line-chart.tsx", /<LineChart\b/)).toEqual([]);
  });

  it("ui - a row's delete button is DeleteCell's", () => {
    const asking = componentSources().filter((f) => f.path.endsWith(".tsx") && /confirm\.ask\(/.test(f.text));
    expect(asking.length).toBeGreaterThan(0);
    expect(asking.filter((f) => !/<DeleteCell\b/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it("ui - the warning banner's style is written once", () => {
    const css = readdirSync(join(root, "components"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".module.css"));
    const banners = css.filter((f) =>
      /background: var\(--warn-bg\);\s*color: var\(--warn\);\s*border: 1px solid var\(--warn\);/.test(
        readFileSync(join(root, "components", f), "utf8"),
      ),
    );
    expect(banners).toEqual(["ui/warning-banner.module.css"]);
  });

  it("ui - a stream's page is split by concern: no file in components/streams is over 250 lines", () => {
    const long = componentSources()
      .filter((f) => f.path.startsWith("components/streams/") && f.text.split("\n").length > 250)
      .map((f) => f.path);
    expect(long).toEqual([]);
  });
});
