import { z } from "zod";
import { KvKeysView } from "@/components/bus/kv-keys-view";
import { KvBucketNameSchema } from "@/lib/bus/kv";
import { pageParams } from "@/server/page-params";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ bucket: string }> }) {
  const { bucket } = await pageParams(params, z.object({ bucket: KvBucketNameSchema }));
  return <KvKeysView bucket={bucket} />;
}
