"use client";
import { useEffect, useState } from "react";
import { useLiveTopic, useSseStatus } from "@/components/live/use-live-events";
import { formatAgo, formatDuration } from "@/lib/format";

/** How long a browser-side SSE error may last before it is worth a banner (EventSource retries fast). */
const SSE_GRACE_MS = 1_000;

/**
 * Appears when the browser loses the server or the server loses NATS, and goes away by itself on recovery.
 * Reserved height: the page below never jumps when it shows.
 */
export function ConnectionBanner() {
  const sse = useSseStatus();
  const conn = useLiveTopic("connection").data;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);

  let message: string | null = null;
  if (sse && sse.state === "error" && now - sse.since >= SSE_GRACE_MS) {
    message = `Lost connection to the busdeck server ${formatAgo(now - sse.since)} — reconnecting… Figures below are frozen.`;
  } else if (conn && conn.status !== "connected" && conn.status !== "connecting") {
    message = `NATS ${conn.status} for ${formatDuration(now - Date.parse(conn.since))}${conn.last_error ? ` (${conn.last_error})` : ""} — busdeck retries by itself; figures below may be stale.`;
  } else if (conn?.status === "connecting") {
    message = "Connecting to NATS…";
  }
  return (
    <div className="banner-slot" aria-live="polite">
      {message && (
        <div className="banner banner-error" role="alert" data-testid="connection-banner">
          <strong>DISCONNECTED</strong> {message}
        </div>
      )}
    </div>
  );
}
