import { route } from "@/server/http";
import { DownloadQuerySchema, MessageParamsSchema, storedMessage } from "@/server/streams/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One stored message with its full payload; ?download=1 returns the raw bytes as an attachment. */
export const GET = route({ params: MessageParamsSchema, query: DownloadQuerySchema }, ({ params, query }) =>
  storedMessage(params.name, params.seq, query.download === "1"),
);
