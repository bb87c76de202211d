"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { LiveEvents } from "./live/use-live-events";

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser tab; created in state so a re-render never replaces the cache.
  const [client] = useState(() => {
    const qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 1 } } });
    // Live topics arrive as whole new objects many times a second: deep-comparing each with the last one
    // (React Query's structural sharing) only costs main-thread time (docs/benchmarks.md, Outcome view frames).
    qc.setQueryDefaults(["live"], { structuralSharing: false });
    return qc;
  });
  // Until the root hydrates, a server-rendered button has no handler and a click on it is lost: globals.css makes
  // buttons ignore the pointer until this mark is set (after it React replays clicks on boundaries still hydrating).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  return (
    <QueryClientProvider client={client}>
      <LiveEvents />
      {children}
    </QueryClientProvider>
  );
}
