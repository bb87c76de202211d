"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useRef, useState } from "react";
import { useLiveTopic } from "@/components/live/use-live-events";
import { captionLines, viewName, type PanelEntity } from "@/lib/review/caption";
import { clusterLabel } from "@/lib/wire/connection";
import { panelFileName } from "@/lib/review/export/csv";
import { withPngText } from "@/lib/review/export/png-text";
import { isXmlSafe, xmlSafeText } from "@/lib/review/export/xml-safe";
import { rangeIso, resolveTimeRange, TIME_RANGE_KEYS, TIME_ZONE_KEY } from "@/lib/time/range";
import { downloadBlob } from "./export-menu";
import { useTimeRange } from "./use-time-range";

/** Light, print-like colours for the caption, whatever the theme: the PNG ends up in documents. */
const STRIP = {
  background: "#f0f2f5",
  border: "#d9dde3",
  text: "#1b1f24",
  font: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
};

/**
 * Controls left out of the picture: range buttons, segmented toggles, export menus, form fields — the same set
 * the print stylesheet hides — plus anything marked `data-no-export`.
 */
const CONTROLS = '[data-no-export], [role="group"], .seg, .btn, .export-menu, select, input';

/** Breaks a caption line at its " · " separators so it fits `width` pixels. */
function wrap(ctx: CanvasRenderingContext2D, line: string, width: number): string[] {
  const parts = line.split(" · ");
  const out: string[] = [];
  let cur = "";
  for (const p of parts) {
    const next = cur ? `${cur} · ${p}` : p;
    if (cur && ctx.measureText(next).width > width) {
      out.push(cur);
      cur = p;
    } else cur = next;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Makes every text and attribute under `root` safe to serialise as XML (the image is drawn from SVG) and returns
 * what puts the originals back: only where the page has not rewritten them since.
 */
function makeXmlSafe(root: HTMLElement): () => void {
  const undo: (() => void)[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let n: Node | null = walker.currentNode; n; n = walker.nextNode()) {
    if (n instanceof Text && !isXmlSafe(n.data)) {
      const [text, original, safe] = [n, n.data, xmlSafeText(n.data)];
      text.data = safe;
      undo.push(() => text.data === safe && (text.data = original));
    } else if (n instanceof Element)
      for (const attr of [...n.attributes].filter((a) => !isXmlSafe(a.value))) {
        const [el, original, safe] = [n, attr.value, xmlSafeText(attr.value)];
        el.setAttribute(attr.name, safe);
        undo.push(() => el.getAttribute(attr.name) === safe && el.setAttribute(attr.name, original));
      }
  }
  return () => undo.forEach((u) => u());
}

/** The element as a PNG at the screen's pixel ratio, with the caption strip drawn under it. */
export async function renderPanelPng(node: HTMLElement, caption: readonly string[]): Promise<Blob> {
  // Loaded on the first export, not with every page that offers one: its code is compiled before the page's
  // first render otherwise (on the consumer view, while 10,000 rows wait).
  const { toCanvas } = await import("html-to-image");
  const panelBg = getComputedStyle(node).backgroundColor;
  const restore = makeXmlSafe(node);
  const shot = await toCanvas(node, {
    pixelRatio: window.devicePixelRatio || 1,
    backgroundColor: panelBg && panelBg !== "rgba(0, 0, 0, 0)" ? panelBg : getComputedStyle(document.body).backgroundColor,
    filter: (n) => !(n instanceof HTMLElement && n.matches(CONTROLS)),
  })
    .catch((err: unknown) => {
      // The browser rejects an image it cannot draw with an Event, which has no message.
      throw err instanceof Error ? err : new Error("the browser could not draw this panel as an image");
    })
    .finally(restore);
  const ratio = shot.width / Math.max(1, node.offsetWidth);
  const pad = 8 * ratio;
  const lineHeight = 16 * ratio;
  const out = document.createElement("canvas");
  const ctx = out.getContext("2d")!;
  ctx.font = `${12 * ratio}px ${STRIP.font}`;
  const lines = caption.flatMap((l) => wrap(ctx, l, shot.width - 2 * pad));
  out.width = shot.width;
  out.height = shot.height + lines.length * lineHeight + 2 * pad;
  ctx.drawImage(shot, 0, 0);
  ctx.fillStyle = STRIP.background;
  ctx.fillRect(0, shot.height, out.width, out.height - shot.height);
  ctx.fillStyle = STRIP.border;
  ctx.fillRect(0, shot.height, out.width, Math.max(1, ratio));
  ctx.fillStyle = STRIP.text;
  ctx.font = `${12 * ratio}px ${STRIP.font}`; // resizing the canvas reset it
  ctx.textBaseline = "top";
  lines.forEach((l, i) => ctx.fillText(l, pad, shot.height + pad + i * lineHeight + 2 * ratio));
  const drawn = await new Promise<Blob>((resolve, reject) =>
    out.toBlob((b) => (b ? resolve(b) : reject(new Error("the browser produced no PNG"))), "image/png"),
  );
  // The caption travels as text in the file too, for tools that read PNG metadata.
  const bytes = withPngText(new Uint8Array(await drawn.arrayBuffer()), "Description", caption.join("\n"));
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "image/png" });
}

/**
 * "PNG" on a panel: the panel (the closest `section`/`.panel`, or `selector`) as an image with a caption strip
 * naming the view, the `entity` the chart is about, filters, UTC range, cluster and server, and when it was generated.
 */
export function PanelPng({
  panel,
  entity,
  selector,
  defaultWindowMs = 3600_000,
  liveFrom,
  testId,
}: {
  panel: string;
  entity?: PanelEntity;
  selector?: string;
  defaultWindowMs?: number;
  /** Where the panel's live data starts, when not at now − window (see CaptionInput.liveFrom). */
  liveFrom?: number;
  testId?: string;
}) {
  const ref = useRef<HTMLButtonElement>(null);
  const pathname = usePathname() ?? "/";
  const params = useSearchParams();
  const { range } = useTimeRange();
  const conn = useLiveTopic("connection").data;
  const [state, setState] = useState<"idle" | "busy" | string>("idle");
  const run = async () => {
    const node = (selector ? document.querySelector(selector) : ref.current?.closest("section, .panel")) as HTMLElement | null;
    if (!node) return setState("nothing to export");
    setState("busy");
    try {
      const now = Date.now();
      const view = viewName(pathname);
      const search = new URLSearchParams(params.toString());
      const caption = captionLines({
        view,
        panel,
        entity,
        params: search,
        range,
        defaultWindowMs,
        liveFrom,
        cluster: clusterLabel(conn),
        server: conn?.server_name ?? conn?.server ?? null,
        version: conn?.version ?? null,
        generatedAt: now,
      });
      const filters = Object.fromEntries([...search].filter(([k]) => !([...TIME_RANGE_KEYS, TIME_ZONE_KEY] as string[]).includes(k)));
      const resolved = resolveTimeRange(range, now, defaultWindowMs);
      const dataRange = resolved.live && liveFrom !== undefined ? { ...resolved, from: liveFrom } : resolved;
      const name = panelFileName({ view, panel, entity, filters, range: rangeIso(dataRange) });
      downloadBlob(await renderPanelPng(node, caption), name);
      setState("idle");
    } catch (err) {
      setState(`PNG failed: ${(err as Error).message}`);
    }
  };
  return (
    <>
      <button
        ref={ref}
        type="button"
        className="btn btn-png"
        onClick={run}
        disabled={state === "busy"}
        data-no-export=""
        data-testid={testId}
        title="Download this panel as a PNG with a caption (view, filters, UTC range, cluster, time)"
      >
        {state === "busy" ? "PNG…" : "PNG"}
      </button>
      {state !== "idle" && state !== "busy" && (
        <span className="warn-text" data-no-export="">
          {state}
        </span>
      )}
    </>
  );
}
