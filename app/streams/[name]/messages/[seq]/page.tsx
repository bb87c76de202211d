import { notFound } from "next/navigation";
import { MessageDetailView } from "@/components/streams/message-detail-view";
import { SeqParamSchema } from "@/lib/stream-queries";

export const dynamic = "force-dynamic";

/** Permalink of one stored message (links.message): other views link here, so the shape must not change. */
export default async function Page({ params }: { params: Promise<{ name: string; seq: string }> }) {
  const { name, seq } = await params;
  const parsed = SeqParamSchema.safeParse(seq);
  if (!parsed.success) notFound();
  return <MessageDetailView stream={decodeURIComponent(name)} seq={parsed.data} />;
}
