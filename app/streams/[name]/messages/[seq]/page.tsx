import { z } from "zod";
import { MessageDetailView } from "@/components/streams/message-detail-view";
import { parseMessageContext, SeqParamSchema } from "@/lib/streams/queries";
import { pageParams } from "@/server/page-params";

export const dynamic = "force-dynamic";

/** Permalink of one stored message (links.message): other views link here, so the shape must not change. */
export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ name: string; seq: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { name, seq } = await pageParams(params, z.object({ name: z.string(), seq: SeqParamSchema }));
  const context = parseMessageContext(await searchParams);
  return <MessageDetailView stream={name} seq={seq} consumer={context.consumer} urlError={context.error} />;
}
