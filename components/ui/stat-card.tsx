import Link from "@/components/ui/range-link";
import type { ComponentProps, CSSProperties, ReactNode } from "react";
import styles from "./stat-card.module.css";

export type StatCardSize = "large" | "compact" | "small";

export interface StatCardProps {
  label: ReactNode;
  value: ReactNode;
  /** A muted line under the value; a text one is also its title, since a compact card may cut it. */
  sub?: ReactNode;
  /** large: a page's headline figures; compact: a strip of many cards; small: long text such as subjects and times. */
  size?: StatCardSize;
  mono?: boolean;
  /** Test id of the value. */
  testId?: string;
  /** Test id of the whole card. */
  cardTestId?: string;
  /** Makes the whole card a link (to the view it summarises, or a filter). */
  link?: Omit<ComponentProps<typeof Link>, "children" | "className">;
  className?: string;
  labelStyle?: CSSProperties;
}

/** One figure with its label: the card every view's headline numbers use. */
export function StatCard({ label, value, sub, size = "large", mono, testId, cardTestId, link, className, labelStyle }: StatCardProps) {
  const body = (
    <>
      <div className={styles.label} style={labelStyle}>
        {label}
      </div>
      <div className={`${styles.value} ${styles[size]}${mono ? " mono" : ""}`} data-testid={testId}>
        {value}
      </div>
      {sub ? (
        <div className={styles.sub} title={typeof sub === "string" ? sub : undefined}>
          {sub}
        </div>
      ) : null}
    </>
  );
  const classes = `stat${className ? ` ${className}` : ""}`;
  if (link)
    return (
      <Link {...link} className={`${classes} ${styles.link}`} data-testid={cardTestId}>
        {body}
      </Link>
    );
  return (
    <div className={classes} data-testid={cardTestId}>
      {body}
    </div>
  );
}
