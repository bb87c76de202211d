"use client";
/** Running a bulk redrive: its JSON lines as they arrive (validated), and a cancel that closes the response. */
import { useRef, useState } from "react";
import { BulkRedriveEventSchema, type BulkRedriveEvent } from "@/lib/redrive/bulk";
import { links } from "@/lib/links";
import { failure } from "@/components/ui/api-response";

export interface BulkRedriveBody {
  from_seq: number;
  to_seq: number;
  n: number;
  per_second: number;
}

export function useBulkRedrive(stream: string, consumer: string) {
  const [events, setEvents] = useState<BulkRedriveEvent[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const abort = useRef<AbortController | null>(null);

  const start = async (body: BulkRedriveBody) => {
    const controller = new AbortController();
    abort.current = controller;
    setEvents([]);
    setError(null);
    setRunning(true);
    try {
      const url = links.api.consumerRedrive(stream, consumer);
      const res = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      if (!res.ok) throw await failure(res, `POST ${url}`);
      await readLines(res.body!, (e) => setEvents((prev) => [...prev, e]));
    } catch (err) {
      if (!controller.signal.aborted) setError(err as Error);
    } finally {
      setRunning(false);
    }
  };
  const cancel = () => abort.current?.abort();
  return { events, running, error, start, cancel };
}

async function readLines(body: ReadableStream<Uint8Array>, onEvent: (e: BulkRedriveEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) if (line) onEvent(BulkRedriveEventSchema.parse(JSON.parse(line)));
  }
}
