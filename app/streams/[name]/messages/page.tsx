import { MessageBrowserView } from "@/components/streams/message-browser-view";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  // No Suspense boundary: see app/consumers/page.tsx (one hydration pass instead of two).
  return <MessageBrowserView stream={decodeURIComponent(name)} />;
}
