import { Suspense } from "react";
import { MessageBrowserView } from "@/components/streams/message-browser-view";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <Suspense>
      <MessageBrowserView stream={decodeURIComponent(name)} />
    </Suspense>
  );
}
