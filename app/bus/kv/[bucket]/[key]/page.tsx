import { KvKeyView } from "@/components/bus/kv-key-view";
import { KvKeyParamsSchema } from "@/lib/bus/kv";
import { pageParams } from "@/server/page-params";

export const dynamic = "force-dynamic";

/** One key's revision history (links.busKvKey); ?rev= selects the revision shown whole. */
export default async function Page({ params }: { params: Promise<{ bucket: string; key: string }> }) {
  const { bucket, key } = await pageParams(params, KvKeyParamsSchema);
  return <KvKeyView bucket={bucket} keyName={key} />;
}
