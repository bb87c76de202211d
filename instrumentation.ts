/** Starts the runtime with the server, so sampling begins before the first browser arrives. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startRuntimeOrExit } = await import("./server/runtime");
  await startRuntimeOrExit();
}
