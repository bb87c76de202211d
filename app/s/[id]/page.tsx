import { notFound } from "next/navigation";
import { FrozenSnapshotPage } from "@/components/snapshots/frozen-snapshot-page";
import { SnapshotIdSchema } from "@/lib/review/snapshots";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** A frozen snapshot's permalink: the same view, read-only, with the data it showed when it was taken. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!SnapshotIdSchema.safeParse(id).success) notFound();
  let storedBytes: number;
  try {
    const summary = await (await getRuntime()).snapshots.summary(id);
    if (!summary) notFound();
    storedBytes = summary.stored_bytes;
  } catch (err) {
    if ((err as { digest?: string })?.digest?.startsWith("NEXT_")) throw err;
    return (
      <p className="error-text" role="alert">
        The snapshot store is unavailable: {(err as Error).message}
      </p>
    );
  }
  return <FrozenSnapshotPage id={id} storedBytes={storedBytes} />;
}
