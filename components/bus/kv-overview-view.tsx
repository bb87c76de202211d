"use client";
import Link from "@/components/ui/range-link";
import { StatusPill } from "@/components/ui/status-pill";
import { useDisplayZone } from "@/components/ui/display-zone";
import { useUrlState } from "@/components/ui/use-url-state";
import { formatBytes, formatCount, formatDuration, formatUtc } from "@/lib/format";
import { cappedNote, kvOverviewStateToSearch, parseKvOverviewState, type KvBucketRow, type ObjectStoreRow } from "@/lib/bus/kv";
import { links } from "@/lib/links";
import { BusTabs } from "./bus-tabs";
import { useKvOverview, useObjects } from "./use-kv";
import styles from "./kv.module.css";
import { EmptyRow } from "@/components/ui/empty-row";

/** Every KV bucket and object store with its size and limits; one store's objects below: /bus/kv. */
export function KvOverviewView() {
  const q = useKvOverview();
  const [state, setState] = useUrlState(parseKvOverviewState, kvOverviewStateToSearch);
  const data = q.data;
  return (
    <>
      <BusTabs />
      <div className="page-head">
        <h1>KV buckets and object stores</h1>
        {data && (
          <span className="sub tabular" data-testid="kv-summary">
            {formatCount(data.kv.length)} KV bucket{data.kv.length === 1 ? "" : "s"} · {formatCount(data.objects.length)} object store
            {data.objects.length === 1 ? "" : "s"}
          </span>
        )}
      </div>
      {q.isError && (
        <div className="panel empty" role="status" data-testid="kv-error">
          Could not list the buckets: {q.error.message}
        </div>
      )}
      <div className={styles.tables}>
        <section className="panel">
          <h2>KV buckets</h2>
          <table className="data" data-testid="kv-buckets">
            <thead>
              <tr>
                <th>Bucket</th>
                <th className="num">Values</th>
                <th className="num">Size</th>
                <th className="num">History</th>
                <th className="num">TTL</th>
                <th className="num">Replicas</th>
                <th>Storage</th>
              </tr>
            </thead>
            <tbody>
              {data?.kv.map((b) => (
                <BucketRow key={b.bucket} b={b} />
              ))}
              {data?.kv.length === 0 && <EmptyRow columns={7}>No KV buckets.</EmptyRow>}
              {!data && !q.isError && <EmptyRow columns={7}>Loading…</EmptyRow>}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2>Object stores</h2>
          <table className="data" data-testid="object-stores">
            <thead>
              <tr>
                <th>Store</th>
                <th className="num">Size</th>
                <th className="num">TTL</th>
                <th className="num">Replicas</th>
                <th>Storage</th>
              </tr>
            </thead>
            <tbody>
              {data?.objects.map((s) => (
                <StoreRow
                  key={s.bucket}
                  s={s}
                  open={state.objects === s.bucket}
                  onOpen={(open) => setState({ objects: open ? s.bucket : null })}
                />
              ))}
              {data?.objects.length === 0 && <EmptyRow columns={5}>No object stores.</EmptyRow>}
            </tbody>
          </table>
        </section>
        {state.objects && <ObjectsPanel bucket={state.objects} />}
      </div>
    </>
  );
}

/** Labels beside a bucket's name: busdeck's own, and a lock bucket decoded on the Failover view. */
function BucketLabels({ internal, locks }: { internal: boolean; locks?: boolean }) {
  return (
    <>
      {internal && <StatusPill tone="neutral" label="internal" title="one of busdeck's own buckets" testId="kv-internal" />}
      {locks && <StatusPill tone="info" label="locks" title="its keys are singletons on the Failover view" testId="kv-locks" />}
    </>
  );
}

function BucketRow({ b }: { b: KvBucketRow }) {
  return (
    <tr data-testid="kv-bucket-row" data-bucket={b.bucket}>
      <td>
        <span className={styles.nameCell}>
          <Link href={links.busKvBucket(b.bucket)} className="mono">
            {b.bucket}
          </Link>
          <BucketLabels internal={b.internal} locks={b.locks} />
        </span>
      </td>
      <td className="num tabular">{formatCount(b.values)}</td>
      <td className="num tabular">{formatBytes(b.bytes)}</td>
      <td className="num tabular">{formatCount(b.history)}</td>
      <td className="num tabular">{b.ttl_ms > 0 ? formatDuration(b.ttl_ms) : "none"}</td>
      <td className="num tabular">{b.replicas}</td>
      <td>{b.storage}</td>
    </tr>
  );
}

function StoreRow({ s, open, onOpen }: { s: ObjectStoreRow; open: boolean; onOpen: (open: boolean) => void }) {
  return (
    <tr data-testid="object-store-row" data-bucket={s.bucket}>
      <td>
        <span className={styles.nameCell}>
          <button type="button" className="btn mono" aria-expanded={open} onClick={() => onOpen(!open)} data-testid="object-store-open">
            {s.bucket}
          </button>
          <BucketLabels internal={s.internal} />
          {s.sealed && <StatusPill tone="neutral" label="sealed" />}
        </span>
      </td>
      <td className="num tabular">{formatBytes(s.bytes)}</td>
      <td className="num tabular">{s.ttl_ms > 0 ? formatDuration(s.ttl_ms) : "none"}</td>
      <td className="num tabular">{s.replicas}</td>
      <td>{s.storage}</td>
    </tr>
  );
}

/** One store's objects: name, size, chunks and when each was last modified. */
function ObjectsPanel({ bucket }: { bucket: string }) {
  const zone = useDisplayZone();
  const q = useObjects(bucket);
  const note = q.data ? cappedNote("objects", q.data.capped, q.data.limit) : null;
  return (
    <section className="panel" data-testid="objects-panel">
      <h2>
        Objects in <span className="mono">{bucket}</span>
        {note && <span className="muted"> · {note}</span>}
      </h2>
      {q.isError ? (
        <div className="empty">Could not list the objects: {q.error.message}</div>
      ) : (
        <table className="data" data-testid="objects-table">
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Size</th>
              <th className="num">Chunks</th>
              <th>Modified</th>
            </tr>
          </thead>
          <tbody>
            {q.data?.objects.map((o) => (
              <tr key={o.name} data-testid="object-row">
                <td className="mono" title={o.description ?? undefined}>
                  {o.name}
                </td>
                <td className="num tabular">{formatBytes(o.size)}</td>
                <td className="num tabular">{formatCount(o.chunks)}</td>
                <td className="tabular">{formatUtc(o.modified, zone)}</td>
              </tr>
            ))}
            {q.data?.objects.length === 0 && <EmptyRow columns={4}>No objects.</EmptyRow>}
          </tbody>
        </table>
      )}
    </section>
  );
}
