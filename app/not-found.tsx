import Link from "next/link";
import { links } from "@/lib/links";

/** Any path busdeck has no page for (and every notFound()): say so, and offer the way on instead of a dead end. */
export default function NotFound() {
  return (
    <div className="panel" style={{ padding: 16, maxWidth: 640 }} data-testid="not-found">
      <h1 style={{ marginTop: 0 }}>Not found</h1>
      <p>
        busdeck has no page at this address: the link may be mistyped, or point at a stream, consumer, message or snapshot that is gone.
      </p>
      <p>
        Go to <Link href="/">the overview</Link>, <Link href={links.streams()}>Streams</Link>, <Link href="/consumers">Consumer lag</Link>,{" "}
        <Link href={links.outcomes()}>Reflex outcomes</Link>, <Link href={links.failover()}>Failover</Link> or{" "}
        <Link href="/snapshots">Snapshots</Link>.
      </p>
    </div>
  );
}
