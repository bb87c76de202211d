"use client";
import Link from "@/components/ui/range-link";
import { IgnoredParam } from "@/components/ui/ignored-param";
import { useId, useState } from "react";
import { useUrlState } from "@/components/ui/use-url-state";
import { formatCount } from "@/lib/format";
import { links } from "@/lib/links";
import { describeClampedSeq } from "@/lib/streams/messages";
import {
  PAGE_SIZES,
  SeqParamSchema,
  browsePageStateToSearch,
  parseBrowsePageState,
  type BrowseQuery,
  type SearchUrlState,
} from "@/lib/streams/queries";
import { MessageTable } from "./message-table";
import { LiveTail } from "./live-tail";
import { PayloadSearch } from "./payload-search";
import styles from "./streams.module.css";
import { useMessagePage } from "./use-stream-queries";

/** Message browser of one stream: one page at a time, positioned by sequence, time or subject filter. */
export function MessageBrowserView({ stream }: { stream: string }) {
  const [state, setState] = useUrlState(parseBrowsePageState, browsePageStateToSearch);
  const { query, error: urlError } = state;
  const page = useMessagePage(stream, query);
  const go = (patch: Partial<BrowseQuery>) => setState({ query: { ...query, ...patch }, error: null });
  const runSearch = (search: SearchUrlState) => setState({ search });
  const data = page.data;
  const clamped = data ? describeClampedSeq(query.seq, data) : null;

  return (
    <>
      <div className="muted" style={{ marginBottom: 4 }}>
        <Link href={links.streams()}>Streams</Link> / <Link href={links.stream(stream)}>{stream}</Link> / messages
      </div>
      <div className="page-head">
        <h1>Messages in {stream}</h1>
        {data && (
          <span className="sub tabular" data-testid="browse-bounds">
            sequences {formatCount(data.first_seq)} – {formatCount(data.last_seq)}
          </span>
        )}
      </div>
      <Toolbar query={query} go={go} />
      {urlError && <IgnoredParam problem={urlError} testId="browse-url-error" />}
      {clamped && (
        <div className="muted" role="status" data-testid="browse-clamped">
          {clamped}.
        </div>
      )}
      <div className={styles.pager}>
        <button
          type="button"
          className="btn"
          disabled={!data?.older_seq}
          onClick={() => go({ seq: data!.older_seq!, start_time: undefined, dir: "backward" })}
          data-testid="page-older"
        >
          ← Older
        </button>
        <button
          type="button"
          className="btn"
          disabled={!data?.newer_seq}
          onClick={() => go({ seq: data!.newer_seq!, start_time: undefined, dir: "forward" })}
          data-testid="page-newer"
        >
          Newer →
        </button>
        <span className={styles.info} data-testid="page-info">
          {data && data.messages.length > 0
            ? `#${formatCount(data.messages[0]!.seq)} – #${formatCount(data.messages.at(-1)!.seq)} · ${data.messages.length} shown${query.subject ? ` on ${query.subject}` : ""}`
            : ""}
          {page.isFetching ? " · loading…" : ""}
          {data?.scan_capped ? " · stopped looking further back (sparse subject); page older to continue" : ""}
        </span>
      </div>
      {page.isError ? (
        <div className="panel empty bad-text" data-testid="browse-error">
          {(page.error as Error).message}
        </div>
      ) : (
        <MessageTable
          messages={data?.messages ?? []}
          empty={page.isPending ? "Loading…" : "No messages at this position."}
          current={state.highlight}
        />
      )}
      <div style={{ height: 12 }} />
      <PayloadSearch
        stream={stream}
        subject={query.subject}
        initial={{ ...state.search, from_seq: state.search.from_seq ?? query.seq ?? null }}
        onRun={runSearch}
      />
      <LiveTail stream={stream} subject={query.subject} />
    </>
  );
}

function Toolbar({ query, go }: { query: BrowseQuery; go: (p: Partial<BrowseQuery>) => void }) {
  const [seq, setSeq] = useState(query.seq ? String(query.seq) : "");
  const [seqError, setSeqError] = useState<string | null>(null);
  const seqErrorId = useId();
  const [time, setTime] = useState(query.start_time ?? "");
  const [subject, setSubject] = useState(query.subject ?? "");
  return (
    <div className={`panel ${styles.browserBar}`}>
      <button
        type="button"
        className="btn"
        onClick={() => go({ seq: undefined, start_time: undefined, dir: "forward" })}
        data-testid="browse-first"
      >
        ⇤ First
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => go({ seq: undefined, start_time: undefined, dir: "backward" })}
        data-testid="browse-last"
      >
        Last ⇥
      </button>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          // the API's own rule, so the box refuses exactly what the URL would
          const r = SeqParamSchema.safeParse(seq.trim());
          setSeqError(r.success ? null : seq.trim() ? `seq ${r.error.issues[0]!.message}` : "enter a sequence number");
          if (r.success) go({ seq: r.data, start_time: undefined, dir: "forward" });
        }}
        style={{ display: "contents" }}
      >
        <label>
          seq{" "}
          <input
            type="number"
            min={1}
            value={seq}
            onChange={(e) => setSeq(e.target.value)}
            aria-label="Jump to sequence"
            aria-invalid={seqError !== null}
            aria-describedby={seqError ? seqErrorId : undefined}
            data-testid="jump-seq"
          />
        </label>
        <button type="submit" className="btn" data-testid="jump-go">
          Go
        </button>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (time.trim()) go({ start_time: time.trim(), seq: undefined, dir: "forward" });
        }}
        style={{ display: "contents" }}
      >
        <label>
          from time{" "}
          <input
            value={time}
            onChange={(e) => setTime(e.target.value)}
            placeholder="2026-11-23T13:05:00Z"
            style={{ width: 190 }}
            aria-label="Start time (UTC, ISO 8601)"
            data-testid="jump-time"
          />
        </label>
        <button type="submit" className="btn">
          Go
        </button>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          go({ subject: subject.trim() || undefined });
        }}
        style={{ display: "contents" }}
      >
        <label>
          subject{" "}
          <input
            className={styles.subjectInput}
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
            placeholder="e.g. routing.*.decided or llm.>"
            aria-label="Subject filter"
            data-testid="browse-subject"
          />
        </label>
        <button type="submit" className="btn">
          Filter
        </button>
      </form>
      <label>
        direction
        <select value={query.dir} onChange={(e) => go({ dir: e.target.value as BrowseQuery["dir"] })} data-testid="browse-dir">
          <option value="forward">forward</option>
          <option value="backward">backward</option>
        </select>
      </label>
      <label>
        page
        <select value={query.size} onChange={(e) => go({ size: Number(e.target.value) })} data-testid="browse-size">
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      {/* a row of its own under the controls: beside the box it would rewrap them */}
      {seqError && (
        <p id={seqErrorId} className={`bad-text ${styles.fieldError}`} role="alert" data-testid="jump-seq-error">
          {seqError}
        </p>
      )}
    </div>
  );
}
