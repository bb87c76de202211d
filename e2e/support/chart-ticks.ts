import type { Locator } from "@playwright/test";

/**
 * The axis tick labels of the recharts chart inside `chart` that cross its svg's edges or take more than one
 * line, as "label: what is wrong"; [] when every label reads whole on one line.
 */
export function axisTickProblems(chart: Locator): Promise<string[]> {
  return chart
    .locator(".recharts-wrapper > svg")
    .first()
    .evaluate((svg) => {
      const frame = svg.getBoundingClientRect();
      return [...svg.querySelectorAll<SVGTextElement>(".recharts-cartesian-axis-tick-value")].flatMap((tick) => {
        const box = tick.getBoundingClientRect();
        const lineHeight = parseFloat(getComputedStyle(tick).fontSize) * 1.5;
        const label = tick.textContent ?? "";
        const problems = [];
        if (box.left < frame.left - 0.5) problems.push(`${label}: ${Math.round(frame.left - box.left)} px left of the chart`);
        if (box.right > frame.right + 0.5) problems.push(`${label}: ${Math.round(box.right - frame.right)} px right of the chart`);
        if (box.height > lineHeight || tick.querySelectorAll("tspan").length > 1)
          problems.push(`${label}: wraps to ${tick.querySelectorAll("tspan").length} lines`);
        return problems;
      });
    });
}
