"use client";
import Link from "@/components/ui/range-link";
import { StatusPill } from "@/components/ui/status-pill";
import { useDisplayZone } from "@/components/ui/display-zone";
import { useUrlState } from "@/components/ui/use-url-state";
import { PayloadView } from "@/components/streams/payload-view";
import { formatBytes, formatCount, formatUtc, type DisplayZone } from "@/lib/format";
import { cappedNote, kvKeyViewStateToSearch, parseKvKeyViewState, type KvRevision } from "@/lib/bus/kv";
import { links } from "@/lib/links";
import { BusTabs } from "./bus-tabs";
import { OPERATION_TONE } from "./kv-operation";
import { useKvKey } from "./use-kv";
import styles from "./kv.module.css";

/** One key's revisions, newest first, values masked; the selected one (?rev=, else the newest) shown whole: /bus/kv/<bucket>/<key>. */
export function KvKeyView({ bucket, keyName }: { bucket: string; keyName: string }) {
  const zone = useDisplayZone();
  const [{ rev }] = useUrlState(parseKvKeyViewState, kvKeyViewStateToSearch);
  const q = useKvKey(bucket, keyName, rev);
  const h = q.data;
  const selected = h?.selected ?? null;
  const note = h ? cappedNote("revisions", h.capped, h.limit) : null;
  return (
    <>
      <BusTabs />
      <div className={`muted ${styles.crumbs}`}>
        <Link href={links.busKv()}>KV buckets</Link> / <Link href={links.busKvBucket(bucket)}>{bucket}</Link> /{" "}
        <span className="mono">{keyName}</span>
      </div>
      <div className="page-head">
        <h1 className={styles.monoTitle} data-testid="kv-key-title">
          {keyName}
        </h1>
        <span className="sub tabular" data-testid="kv-history-summary">
          {h ? `${note ?? `${formatCount(h.revisions.length)} revision${h.revisions.length === 1 ? "" : "s"} kept`} · newest first` : ""}
        </span>
        {h?.locks && (
          <span style={{ marginLeft: "auto" }}>
            <Link className="btn" href={links.singleton(keyName)} data-testid="kv-failover-link">
              Failover card
            </Link>
          </span>
        )}
      </div>
      {q.isError && (
        <div className="panel empty" role="status" data-testid="kv-error">
          {q.error.message}
          {rev !== null && (
            <>
              {" · "}
              <Link href={links.busKvKey(bucket, keyName)}>show the newest revision</Link>
            </>
          )}
        </div>
      )}
      {h && (
        <section className="panel">
          <h2>Revisions</h2>
          <table className="data" data-testid="kv-revisions">
            <thead>
              <tr>
                <th className="num">Revision</th>
                <th>Operation</th>
                <th>Written</th>
                <th className="num">Size</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {h.revisions.map((r) => (
                <RevisionRow
                  key={r.revision}
                  r={r}
                  href={links.busKvKey(bucket, keyName, { rev: r.revision })}
                  selected={selected?.revision === r.revision}
                  zone={zone}
                />
              ))}
            </tbody>
          </table>
        </section>
      )}
      {selected && <SelectedRevision bucket={bucket} keyName={keyName} r={selected} zone={zone} />}
    </>
  );
}

function RevisionRow({ r, href, selected, zone }: { r: KvRevision; href: string; selected: boolean; zone: DisplayZone }) {
  return (
    <tr
      className={selected ? styles.selectedRow : undefined}
      data-testid="kv-revision-row"
      data-revision={r.revision}
      aria-current={selected || undefined}
    >
      <td className="num tabular">
        <Link href={href} data-testid="kv-revision-link">
          #{formatCount(r.revision)}
        </Link>
      </td>
      <td>
        <StatusPill tone={OPERATION_TONE[r.operation]} label={r.operation} testId="kv-operation" />
      </td>
      <td className="tabular">{formatUtc(r.time, zone, true)}</td>
      <td className="num tabular">{formatBytes(r.size)}</td>
      <td className={`mono ${styles.valueCell}`} title={r.value?.text}>
        {r.value ? r.value.text || <span className="muted">empty</span> : <span className="muted">no value ({r.operation})</span>}
      </td>
    </tr>
  );
}

/** The selected revision whole: when, what, and its value masked (with the raw-display warning when there is one). */
function SelectedRevision({ bucket, keyName, r, zone }: { bucket: string; keyName: string; r: KvRevision; zone: DisplayZone }) {
  return (
    <section data-testid="kv-selected">
      <p className={`muted ${styles.note}`}>
        Revision #{formatCount(r.revision)}, {r.operation}, written {formatUtc(r.time, zone, true)}
        {r.redacted ? (
          <span data-testid="kv-redacted">
            {" "}
            · {formatCount(r.redacted)} sensitive {r.redacted === 1 ? "value" : "values"} masked by busdeck before display and download
          </span>
        ) : null}
      </p>
      {r.value ? (
        <PayloadView payload={r.value} downloadUrl={links.api.kvKey(bucket, keyName, { rev: r.revision, download: 1 })} title="Value" />
      ) : (
        <div className="panel empty">A {r.operation} marker: this revision has no value.</div>
      )}
    </section>
  );
}
