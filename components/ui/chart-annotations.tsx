"use client";
import { ReferenceLine } from "recharts";
import { useLiveTopic } from "@/components/live/use-live-events";
import { annotationLabel, bucketOf } from "@/lib/review/annotations";

/**
 * Operators' notes as labelled vertical lines on a time chart; drop it inside any recharts chart whose x axis
 * is time in ms. Bar charts with one category per bucket pass `buckets` (their bucket starts) and each note
 * snaps to the bucket it falls in. Charts with named y axes pass one of them. Notes outside the visible range
 * are left out by recharts (`ifOverflow="discard"`). Labels sit left of their line: the newest notes are at the
 * right edge, where a label to the right would be cut off.
 */
export function ChartAnnotations({ buckets, yAxisId, labels = true }: { buckets?: readonly number[]; yAxisId?: string; labels?: boolean }) {
  const notes = useLiveTopic("annotations").data ?? [];
  return notes.map((a) => {
    const t = Date.parse(a.at);
    const x = buckets ? bucketOf(t, buckets) : t;
    if (x === null) return null;
    return (
      <ReferenceLine
        key={a.id}
        x={x}
        {...(yAxisId ? { yAxisId } : {})}
        stroke="var(--accent)"
        strokeDasharray="4 3"
        strokeWidth={1.5}
        ifOverflow="discard"
        className="chart-annotation"
        label={
          labels ? { value: `✎ ${annotationLabel(a.text)}`, position: "insideTopRight", fontSize: 11, fill: "var(--accent)" } : undefined
        }
      />
    );
  });
}
