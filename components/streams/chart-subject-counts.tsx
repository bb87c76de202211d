"use client";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount } from "@/lib/format";
import { TOOLTIP_STYLE } from "@/components/ui/chart-axes";

const axisTick = { fontSize: 11, fill: "var(--muted)" };

/** The top-N subjects by stored messages, as horizontal bars (subjects are long; they read better as rows). */
export function ChartSubjectCounts({ subjects }: { subjects: { subject: string; messages: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={subjects} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tickFormatter={(v) => formatCount(v)} tick={axisTick} />
        <YAxis type="category" dataKey="subject" width={190} tick={{ ...axisTick, fontFamily: "var(--mono)" }} interval={0} />
        <Tooltip formatter={(v) => formatCount(Number(v))} contentStyle={TOOLTIP_STYLE} cursor={{ fill: "var(--panel-2)" }} />
        <Bar dataKey="messages" name="messages" fill="var(--accent)" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
