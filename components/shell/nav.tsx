"use client";
import Link from "@/components/ui/range-link";
import { usePathname } from "next/navigation";
import { useLiveTopic } from "@/components/live/use-live-events";
import { useReadOnly } from "./role";
import { ThemeToggle } from "./theme-toggle";

/** `area`: the paths the entry stands for, when more than its own (the Bus pages share one entry). */
const LINKS: { href: string; label: string; area?: string }[] = [
  { href: "/streams", label: "Streams" },
  { href: "/consumers", label: "Consumers" },
  { href: "/outcomes", label: "Reflex outcomes" },
  { href: "/failover", label: "Failover" },
  { href: "/bus/servers", label: "Bus", area: "/bus" },
  { href: "/alerts", label: "Alerts" },
  { href: "/snapshots", label: "Snapshots" },
  { href: "/annotations", label: "Notes" },
  { href: "/audit", label: "Audit" },
];

export function Nav() {
  const path = usePathname();
  const conn = useLiveTopic("connection").data;
  const ok = conn?.status === "connected";
  const readOnly = useReadOnly();
  const serverLine = [
    conn?.server_name ?? conn?.server ?? "",
    conn?.version && `v${conn.version}`,
    conn?.rtt_ms != null && `rtt ${conn.rtt_ms}ms`,
    conn?.mode === "embedded" && "embedded",
    conn?.demo && "demo",
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        busdeck
      </Link>
      <nav>
        {LINKS.map((l) => {
          const active = path?.startsWith(l.area ?? l.href) ?? false;
          return (
            <Link key={l.href} href={l.href} className={active ? "active" : undefined} aria-current={active ? "page" : undefined}>
              {l.label}
            </Link>
          );
        })}
      </nav>
      <div className="topbar-right">
        <span className={`pill ${ok ? "pill-ok" : "pill-bad"}`} data-testid="nats-status" title={conn?.last_error ?? undefined}>
          NATS {conn?.status ?? "…"}
        </span>
        <span className="muted tabular topbar-server" data-testid="nats-server" title={serverLine || undefined}>
          {serverLine}
        </span>
        {readOnly && (
          <span className="pill pill-info" data-testid="read-only" title="BUSDECK_READ_ONLY: this dashboard refuses every write">
            read-only
          </span>
        )}
        <ThemeToggle />
      </div>
    </header>
  );
}
