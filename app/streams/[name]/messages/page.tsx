import { notFound } from "next/navigation";
import { MessageBrowserView } from "@/components/streams/message-browser-view";
import { decodeParam } from "@/server/http";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ name: string }> }) {
  const name = decodeParam("name", (await params).name);
  if (!name.ok) notFound();
  // No Suspense boundary: see app/consumers/page.tsx (one hydration pass instead of two).
  return <MessageBrowserView stream={name.value} />;
}
