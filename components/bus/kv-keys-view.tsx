"use client";
import { useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "@/components/ui/range-link";
import { IgnoredParam } from "@/components/ui/ignored-param";
import { useDisplayZone } from "@/components/ui/display-zone";
import { useUrlState } from "@/components/ui/use-url-state";
import { formatBytes, formatCount, formatUtc } from "@/lib/format";
import { cappedNote, kvKeysViewStateToSearch, parseKvKeysViewState, type KvKeyRow } from "@/lib/bus/kv";
import { links } from "@/lib/links";
import { BusTabs } from "./bus-tabs";
import { useKvKeys } from "./use-kv";
import { useKvWatch } from "./use-kv-watch";
import { KvWatchPanel } from "./kv-watch-panel";
import styles from "./kv.module.css";
import { EmptyRow } from "@/components/ui/empty-row";

/** One row's fixed height: the list is virtualised. */
const KEY_ROW_HEIGHT = 30;
const COLUMNS = 5;

/** One bucket's keys, filtered by a prefix kept in the URL, virtualised: /bus/kv/<bucket>. */
export function KvKeysView({ bucket }: { bucket: string }) {
  const zone = useDisplayZone();
  const [state, setState] = useUrlState(parseKvKeysViewState, kvKeysViewStateToSearch);
  const q = useKvKeys(bucket, state.prefix);
  const watch = useKvWatch(bucket, state.prefix);
  const page = q.data;
  const rows = page?.keys ?? [];
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => KEY_ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtual.getTotalSize() - items[items.length - 1]!.end : 0;
  const note = page ? cappedNote("keys", page.capped, page.limit) : null;
  return (
    <>
      <BusTabs />
      <div className={`muted ${styles.crumbs}`}>
        <Link href={links.busKv()}>KV buckets</Link> / <span className="mono">{bucket}</span>
      </div>
      <div className="page-head">
        <h1 className={styles.monoTitle}>{bucket}</h1>
        <span className="sub tabular" data-testid="kv-keys-summary">
          {page
            ? `${note ?? `${formatCount(rows.length)} key${rows.length === 1 ? "" : "s"}`}${state.prefix ? ` starting with “${state.prefix}”` : ""}`
            : ""}
        </span>
      </div>
      {state.error && <IgnoredParam problem={state.error} testId="kv-url-error" />}
      {page?.locks && (
        <p className={`muted ${styles.note}`} data-testid="kv-locks-note">
          A lock bucket: each key is a singleton, decoded on the <Link href={links.failover()}>Failover</Link> view.
        </p>
      )}
      <div className="toolbar">
        <input
          type="search"
          placeholder="Key prefix, e.g. orders.eu."
          value={state.prefix}
          onChange={(e) => setState({ prefix: e.target.value })}
          aria-label="Filter keys by prefix"
          data-testid="kv-prefix"
          style={{ width: 300 }}
        />
        <button
          type="button"
          className="btn"
          aria-pressed={watch.state === "live"}
          onClick={watch.state === "live" ? watch.stop : watch.start}
          data-testid="kv-watch-toggle"
        >
          {watch.state === "live" ? "Stop watching" : "Watch live"}
        </button>
      </div>
      {(watch.state !== "off" || watch.changes.length > 0) && (
        <KvWatchPanel bucket={bucket} state={watch.state} changes={watch.changes} note={watch.note} zone={zone} />
      )}
      {q.isError ? (
        <div className="panel empty" role="status" data-testid="kv-error">
          {q.error.message}
        </div>
      ) : (
        <div className={styles.keyScroller} ref={scroller} tabIndex={0} role="region" aria-label="Keys table">
          <table className="data" data-testid="kv-keys">
            <thead>
              <tr>
                <th>Key</th>
                <th className="num">Revision</th>
                <th>Updated</th>
                <th className="num">Size</th>
                <th>Failover</th>
              </tr>
            </thead>
            <tbody>
              {padTop > 0 && <tr style={{ height: padTop }} aria-hidden />}
              {items.map((vi) => (
                <KeyRow key={rows[vi.index]!.key} bucket={bucket} row={rows[vi.index]!} locks={page?.locks ?? false} zone={zone} />
              ))}
              {padBottom > 0 && <tr style={{ height: padBottom }} aria-hidden />}
              {rows.length === 0 && (
                <EmptyRow columns={COLUMNS}>{page ? (state.prefix ? "No key starts with this prefix." : "No keys.") : "Loading…"}</EmptyRow>
              )}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function KeyRow({ bucket, row, locks, zone }: { bucket: string; row: KvKeyRow; locks: boolean; zone: ReturnType<typeof useDisplayZone> }) {
  return (
    <tr className={styles.keyRow} style={{ height: KEY_ROW_HEIGHT }} data-testid="kv-key-row" data-key={row.key}>
      <td className="mono" title={row.key}>
        <Link href={links.busKvKey(bucket, row.key)}>{row.key}</Link>
      </td>
      <td className="num tabular">{formatCount(row.revision)}</td>
      <td className="tabular">{formatUtc(row.time, zone)}</td>
      <td className="num tabular">{formatBytes(row.size)}</td>
      <td>{locks ? <Link href={links.singleton(row.key)}>singleton card</Link> : <span className="muted">—</span>}</td>
    </tr>
  );
}
