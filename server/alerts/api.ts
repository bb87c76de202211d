/** The alerts routes' service: the runtime's AlertService, with silence-store failures a 503 naming the store. */
import "server-only";
import type { NewSilence, Silence } from "../../lib/alerts/silences";
import { NotFoundError, unavailableOnFailure } from "../errors";
import { getRuntime } from "../runtime";

const STORE = "silence store unavailable";

export async function alertsState() {
  return (await getRuntime()).alerts.state();
}

export async function addSilence(input: NewSilence, author: string): Promise<Silence> {
  return unavailableOnFailure(STORE, async () => (await getRuntime()).alerts.addSilence(input, author));
}

/** Ends the silence now (it stays listed); a NotFoundError when there is none with this id. */
export async function expireSilence(id: string): Promise<Silence> {
  const ended = await unavailableOnFailure(STORE, async () => (await getRuntime()).alerts.expireSilence(id));
  if (!ended) throw new NotFoundError(`no silence ${id}`);
  return ended;
}
