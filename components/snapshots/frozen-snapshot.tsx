"use client";
/**
 * Renders a stored snapshot with the same view components as the live pages: a fresh query client seeded with
 * the stored cache entries (never the live SSE cache), the frozen URL's filters and the frozen clock.
 */
import { QueryClientProvider } from "@tanstack/react-query";
import Link from "next/link";
import { Suspense, useState } from "react";
import { ConsumerDetailView } from "@/components/consumers/consumer-detail-view";
import { ConsumersView } from "@/components/consumers/consumers-view";
import { FailoverView } from "@/components/failover/failover-view";
import { OutcomeDetailView } from "@/components/outcomes/outcome-detail-view";
import { ErrorGroupView } from "@/components/outcomes/error-group-view";
import { HandlerView } from "@/components/outcomes/handler-view";
import { MessageDetailView } from "@/components/streams/message-detail-view";
import { parseMessageContext } from "@/lib/streams/queries";
import { OutcomesView } from "@/components/outcomes/outcomes-view";
import { StreamDetailView } from "@/components/streams/stream-detail-view";
import { StreamsView } from "@/components/streams/streams-view";
import { formatBytes } from "@/lib/format";
import { parseTimeRangeLenient, viewDefaultWindow } from "@/lib/time/range";
import { frozenBannerText, frozenRangeText, viewOfPath, type FrozenViewRef, type SnapshotDocument } from "@/lib/review/snapshots";
import { FrozenViewProvider } from "./frozen-context";
import { frozenQueryClient } from "./frozen-query-client";
import styles from "./snapshots.module.css";

function ViewFor({ view, search }: { view: FrozenViewRef; search: URLSearchParams }) {
  switch (view.kind) {
    case "streams":
      return <StreamsView />;
    case "stream":
      return <StreamDetailView name={view.name} />;
    case "consumers":
      return <ConsumersView />;
    case "consumer":
      return <ConsumerDetailView stream={view.stream} name={view.name} />;
    case "outcomes":
      return <OutcomesView />;
    case "outcome":
      return <OutcomeDetailView id={view.id} />;
    case "error_group":
      return <ErrorGroupView handler={view.handler} id={view.id} />;
    case "handler":
      return <HandlerView handler={view.handler} />;
    case "message": {
      const context = parseMessageContext(Object.fromEntries(search));
      return <MessageDetailView stream={view.stream} seq={view.seq} consumer={context.consumer} urlError={context.error} />;
    }
    case "failover":
      return <FailoverView />;
  }
}

export function FrozenBanner({ doc, storedBytes }: { doc: SnapshotDocument; storedBytes?: number }) {
  const url = new URL(doc.url, "http://frozen.invalid");
  const range = frozenRangeText(parseTimeRangeLenient(url.searchParams).range, doc.view_now, viewDefaultWindow(url.pathname));
  const nats = [doc.nats.cluster && `cluster ${doc.nats.cluster}`, doc.nats.server_name && `server ${doc.nats.server_name}`]
    .filter(Boolean)
    .join(" · ");
  return (
    <div className={styles.banner} role="status" data-testid="frozen-banner">
      <span className="pill pill-info">frozen</span>
      <strong>{frozenBannerText(doc)}</strong>
      <Link href={doc.url} className={styles.liveLink} data-testid="frozen-live-link">
        live view ↗
      </Link>
      <span className={`muted tabular ${styles.bannerDetails}`}>
        {doc.title} · <span data-testid="frozen-range">data {range}</span> · busdeck v{doc.server_version}
        {nats ? ` · ${nats}` : ""}
        {storedBytes !== undefined ? ` · ${formatBytes(storedBytes)} stored` : ""}
      </span>
    </div>
  );
}

export function FrozenSnapshot({ doc, storedBytes }: { doc: SnapshotDocument; storedBytes?: number }) {
  const [client] = useState(() => frozenQueryClient(doc.queries));
  const view = viewOfPath(doc.url);
  const search = new URL(doc.url, "http://frozen.invalid").search;
  return (
    <>
      <FrozenBanner doc={doc} storedBytes={storedBytes} />
      <FrozenViewProvider search={search.replace(/^\?/, "")} now={doc.view_now}>
        <QueryClientProvider client={client}>
          <div data-testid="frozen-view" data-view={doc.view}>
            <Suspense>{view && <ViewFor view={view} search={new URLSearchParams(search)} />}</Suspense>
          </div>
        </QueryClientProvider>
      </FrozenViewProvider>
    </>
  );
}
