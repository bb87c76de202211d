"use client";
import { PanelPng } from "@/components/ui/panel-png";
import { StatCard } from "@/components/ui/stat-card";
import Link from "@/components/ui/range-link";
import { IgnoredParam } from "@/components/ui/ignored-param";
import { formatBytes, formatCount, formatUtc } from "@/lib/format";
import { links } from "@/lib/links";
import { PayloadView } from "./payload-view";
import styles from "./streams.module.css";
import { ApiError } from "@/components/ui/api-response";
import { MessageConsumerPanel } from "./message-consumer-panel";
import { messageDownloadUrl, useMessage } from "./use-stream-queries";
import { useDisplayZone } from "@/components/ui/display-zone";
import { CopyCommand } from "@/components/ui/copy-command";
import { RedriveButton } from "@/components/redrive/redrive-dialog";
import { streamGetCommand } from "@/lib/redrive/cli";

/**
 * The permalink page of one stored message: /streams/<stream>/messages/<seq>. Reached from a consumer
 * (?consumer=), it also says where the message stands for that consumer and leads back to it.
 */
export function MessageDetailView({
  stream,
  seq,
  consumer = null,
  urlError = null,
}: {
  stream: string;
  seq: number;
  consumer?: string | null;
  urlError?: string | null;
}) {
  const zone = useDisplayZone();
  const q = useMessage(stream, seq);
  const m = q.data;
  // A missing message offers its own next step (MissingMessage); stepping by one from #99,999,999 leads nowhere.
  const missing = q.isError && q.error instanceof ApiError && q.error.status === 404;
  return (
    <div data-testid="message-detail">
      <div className="muted" style={{ marginBottom: 4 }} data-testid="message-crumbs">
        {consumer ? (
          <>
            <Link href={links.consumers()}>Consumers</Link> / <Link href={links.consumers({ stream })}>{stream}</Link> /{" "}
            <Link href={links.consumer(stream, consumer)}>{consumer}</Link>
          </>
        ) : (
          <>
            <Link href={links.streams()}>Streams</Link> / <Link href={links.stream(stream)}>{stream}</Link> /{" "}
            <Link href={links.browse(stream, { seq })}>messages</Link>
          </>
        )}{" "}
        / #{formatCount(seq)}
      </div>
      <div className="page-head">
        <h1 data-testid="message-title">
          {stream} #{formatCount(seq)}
        </h1>
        {/* an inline display would override the hidden attribute: leave the buttons out instead */}
        {!missing && (
          <span style={{ marginLeft: "auto", display: "flex", gap: 6 }}>
            <PanelPng
              panel="Payload and headers"
              entity={{ kind: "stream", parts: [stream, `#${seq}`] }}
              selector="[data-testid=message-detail]"
              testId="png-message"
            />
            {seq > 1 && (
              <Link className="btn" href={links.message(stream, seq - 1)} data-testid="message-prev">
                ← #{formatCount(seq - 1)}
              </Link>
            )}
            <Link className="btn" href={links.message(stream, seq + 1)} data-testid="message-next">
              #{formatCount(seq + 1)} →
            </Link>
            <Link className="btn" href={links.browse(stream, { seq, highlight: seq })} data-testid="message-show-in-browser">
              Show in browser
            </Link>
            <RedriveButton stream={stream} seq={seq} />
          </span>
        )}
      </div>
      {urlError && <IgnoredParam problem={urlError} testId="message-url-error" />}
      {consumer && <MessageConsumerPanel stream={stream} seq={seq} consumer={consumer} />}
      {q.isPending && <div className="panel empty">Loading…</div>}
      {q.isError && (
        <div className="panel empty" data-testid="message-error">
          {q.error instanceof ApiError && q.error.status === 404 ? (
            <MissingMessage stream={stream} error={q.error} />
          ) : (
            `Could not load the message: ${(q.error as Error).message}`
          )}
        </div>
      )}
      {m && (
        <>
          <div className={styles.msgHead}>
            <StatCard label="Sequence" value={formatCount(m.seq)} testId="message-seq" />
            <StatCard
              label="Subject"
              value={m.subject}
              size="small"
              mono
              testId="message-subject"
              sub={
                <Link href={links.busSubjects(m.subject)} data-testid="message-subject-route">
                  where does it go?
                </Link>
              }
            />
            <StatCard label="Stored" value={formatUtc(m.time, zone, true)} size="small" testId="message-time" />
            <StatCard label="Size" value={formatBytes(m.size)} />
          </div>
          {m.redacted ? (
            <div className="muted" role="status" data-testid="message-redacted" style={{ marginBottom: 8 }}>
              {formatCount(m.redacted)} sensitive {m.redacted === 1 ? "value" : "values"} masked by busdeck before display and download
              (payload fields and headers named like token, password, secret…).
            </div>
          ) : null}
          <div className="panel">
            <h2>Headers</h2>
            {m.headers ? (
              <table className={`data ${styles.headersTable}`} data-testid="message-headers">
                <tbody>
                  {Object.entries(m.headers).flatMap(([k, vs]) =>
                    vs.map((v, i) => (
                      <tr key={`${k}-${i}`}>
                        <td>{k}</td>
                        <td>{v}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            ) : (
              <div className="muted" data-testid="message-headers">
                No headers.
              </div>
            )}
          </div>
          <PayloadView payload={m.payload} downloadUrl={messageDownloadUrl(stream, m.seq)} />
          <section className="panel">
            <h2>With the nats CLI</h2>
            <CopyCommand command={streamGetCommand(stream, m.seq)} label="nats stream get command" testId="message-cli" />
          </section>
        </>
      )}
    </div>
  );
}

/** A 404 says why (past the end, expired, deleted) and offers the nearest message the stream still holds. */
function MissingMessage({ stream, error }: { stream: string; error: ApiError }) {
  const next = error.body?.next as { seq: number; label: string } | null | undefined;
  return (
    <>
      <p style={{ margin: 0 }}>{error.message}</p>
      <p style={{ margin: "6px 0 0" }}>
        {next && (
          <Link href={links.message(stream, next.seq)} data-testid="message-next-step">
            {next.label} (#{formatCount(next.seq)})
          </Link>
        )}
        {next && " · "}
        <Link href={links.browse(stream)}>browse {stream}</Link>
      </p>
    </>
  );
}
