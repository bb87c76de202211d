"use client";
import Link from "@/components/ui/range-link";
import { usePathname } from "next/navigation";
import { links } from "@/lib/links";
import styles from "./bus.module.css";

const TABS = [
  { href: links.busServers(), label: "Servers" },
  { href: links.busConnections(), label: "Connections" },
  { href: links.busSubjects(), label: "Subjects" },
  { href: links.busKv(), label: "KV & objects" },
];

/** The tab of the page at `path`, or of a page below it (a bucket, a key). */
const isCurrent = (path: string, href: string) => path === href || path.startsWith(`${href}/`);

/** The Bus area's sub-navigation, above each of its pages. */
export function BusTabs() {
  const path = usePathname();
  return (
    <nav className={styles.tabs} aria-label="Bus" data-testid="bus-tabs">
      {TABS.map((t) => (
        <Link key={t.href} href={t.href} aria-current={isCurrent(path, t.href) ? "page" : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
