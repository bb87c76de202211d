import { Suspense } from "react";
import { StreamDetailView } from "@/components/streams/stream-detail-view";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <Suspense>
      <StreamDetailView name={decodeURIComponent(name)} />
    </Suspense>
  );
}
