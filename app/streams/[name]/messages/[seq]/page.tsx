import { notFound } from "next/navigation";
import { MessageDetailView } from "@/components/streams/message-detail-view";
import { parseMessageContext, SeqParamSchema } from "@/lib/streams/queries";
import { decodeParam } from "@/server/http";

export const dynamic = "force-dynamic";

/** Permalink of one stored message (links.message): other views link here, so the shape must not change. */
export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ name: string; seq: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { name: rawName, seq } = await params;
  const name = decodeParam("name", rawName);
  const parsed = SeqParamSchema.safeParse(seq);
  if (!name.ok || !parsed.success) notFound();
  const context = parseMessageContext(await searchParams);
  return <MessageDetailView stream={name.value} seq={parsed.data} consumer={context.consumer} urlError={context.error} />;
}
