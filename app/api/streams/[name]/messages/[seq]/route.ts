import { SeqParamSchema } from "@/lib/streams/queries";
import { decodeParam } from "@/server/http";
import { parseOr400, withStream } from "@/server/streams/api";
import { missingMessage, readMessage } from "@/server/streams/messages";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One stored message with its full payload; ?download=1 returns the raw bytes as an attachment. */
export async function GET(request: Request, ctx: { params: Promise<{ name: string; seq: string }> }) {
  return withStream(ctx.params, async (name, clients) => {
    const raw = decodeParam("seq", (await ctx.params).seq);
    if (!raw.ok) return raw.response;
    const seq = parseOr400(SeqParamSchema, raw.value, "seq");
    if (!seq.ok) return seq.response;
    const { nc, jsm, masker } = await clients();
    const msg = await readMessage(jsm, name, seq.data, masker, nc);
    if (!msg) return missingMessage(jsm, name, seq.data);
    if (new URL(request.url).searchParams.get("download") === "1") {
      return new Response(Buffer.from(msg.bytes), {
        headers: {
          "Content-Type": "application/octet-stream",
          "Content-Disposition": `attachment; filename="${downloadName(name, seq.data, msg.view.payload.kind)}"`,
        },
      });
    }
    return Response.json(msg.view);
  });
}

/** Stream names may hold quotes and non-ASCII; a header value must not. */
function downloadName(stream: string, seq: number, kind: string): string {
  const ext = kind === "json" ? "json" : kind === "text" ? "txt" : "bin";
  return `${stream.replace(/[^A-Za-z0-9_-]/g, "_")}-${seq}.${ext}`;
}
