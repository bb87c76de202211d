/** Starts the runtime with the server, so sampling begins before the first browser arrives, then warms the pages. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startRuntimeOrExit } = await import("./server/runtime");
  const runtime = await startRuntimeOrExit();
  const { warmUpInBackground } = await import("./server/warm-up");
  const { logLine } = await import("./server/log");
  warmUpInBackground(process.env, runtime?.hub, logLine);
}
