"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
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
  return (
    <QueryClientProvider client={client}>
      <LiveEvents />
      {children}
    </QueryClientProvider>
  );
}
