import Link from "@/components/ui/range-link";

/** A named stream, consumer or snapshot that is not there: the reason, and the way on (never a dead end). */
export function MissingResource({ reason, next, testId }: { reason: string; next: { href: string; label: string }; testId?: string }) {
  return (
    <div className="panel empty" role="status" data-testid={testId}>
      {reason} — <Link href={next.href}>{next.label}</Link>
    </div>
  );
}
