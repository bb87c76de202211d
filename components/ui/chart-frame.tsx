"use client";
import type { ComponentProps, ReactNode } from "react";
import { PanelPng } from "./panel-png";
import styles from "./chart-frame.module.css";

export interface ChartRangeButtons<R extends string> {
  options: readonly R[];
  /** The pressed range; null when the time range is a fixed one no button stands for. */
  selected: R | null;
  onSelect: (range: R) => void;
}

export interface ChartFrameProps<R extends string> {
  title: ReactNode;
  /** A muted line beside the title: where the figures come from. */
  note?: ReactNode;
  /** The heading's class where a view styles its panel titles its own way. */
  titleClassName?: string;
  png?: ComponentProps<typeof PanelPng>;
  ranges?: ChartRangeButtons<R>;
  /** Shown instead of the chart until there is something to draw. */
  empty: boolean;
  emptyText?: string;
  /** Test id and data attributes of the chart's box (tests read the latest figure from one). */
  chartProps?: { "data-testid"?: string } & Record<`data-${string}`, string | number | undefined>;
  children: ReactNode;
}

/** The panel around a time chart: title, PNG export, range buttons, and a fixed-height box with its empty state. */
export function ChartFrame<R extends string>({
  title,
  note,
  titleClassName,
  png,
  ranges,
  empty,
  emptyText = "Collecting samples…",
  chartProps,
  children,
}: ChartFrameProps<R>) {
  return (
    <section className="panel">
      <div className={styles.head}>
        <h2 className={titleClassName}>{title}</h2>
        {note && <span className="muted">{note}</span>}
        <div className={styles.tools}>
          {png && <PanelPng {...png} />}
          {ranges && <RangeButtons {...ranges} />}
        </div>
      </div>
      <div className={styles.chart} {...chartProps}>
        {empty ? <div className="empty">{emptyText}</div> : children}
      </div>
    </section>
  );
}

function RangeButtons<R extends string>({ options, selected, onSelect }: ChartRangeButtons<R>) {
  return (
    <div className="seg" role="group" aria-label="Range">
      {options.map((r) => (
        <button key={r} type="button" aria-pressed={r === selected} onClick={() => onSelect(r)}>
          {r}
        </button>
      ))}
    </div>
  );
}
