import { SnapshotsList } from "@/components/snapshots/snapshots-list";
import { formatCount } from "@/lib/format";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

export default async function Page() {
  let list;
  try {
    list = await (await getRuntime()).snapshots.list();
  } catch (err) {
    return (
      <p className="error-text" role="alert">
        The snapshot store is unavailable: {(err as Error).message}
      </p>
    );
  }
  return (
    <>
      <div className="page-head">
        <h1>Snapshots</h1>
        <span className="sub">
          {formatCount(list.length)} frozen views — each permalink shows exactly what its view showed when it was taken
        </span>
      </div>
      <SnapshotsList snapshots={list} />
    </>
  );
}
