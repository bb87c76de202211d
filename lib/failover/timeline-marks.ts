/** How the Failover timeline draws holders and markers: a stable colour per holder, and which markers get a label. */

/** Stable per name, so a holder keeps its colour across cards, charts and reloads. */
export const HOLDER_PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f"];
export function holderColor(holder: string): string {
  let h = 0;
  for (let i = 0; i < holder.length; i++) h = (h * 31 + holder.charCodeAt(i)) >>> 0;
  return HOLDER_PALETTE[h % HOLDER_PALETTE.length]!;
}

/**
 * Which markers get a text label: walking in time order, a marker is labelled only when it sits at least
 * `minGap` (ms) after the last labelled one, so bursts (an election storm, a flapping lock) don't print on top
 * of each other. Unlabelled markers are still drawn; the table below names every one.
 */
export function spacedLabels(times: readonly number[], minGap: number): boolean[] {
  const order = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]);
  const out = times.map(() => false);
  let last = -Infinity;
  for (const [t, i] of order) {
    if (t - last >= minGap) {
      out[i] = true;
      last = t;
    }
  }
  return out;
}
