/**
 * Reading the API's answers in the browser. Every route that refuses a request says why in a JSON body's
 * `reason` (a 400 names the bad parameter): the views show that, not just a status code.
 */

/** The reason the API gave with an error response, if its body holds one. */
export async function apiReason(res: Response): Promise<string | null> {
  const body = (await res.json().catch(() => null)) as { reason?: unknown } | null;
  return typeof body?.reason === "string" ? body.reason : null;
}

/** An error response as an Error: the API's reason when it gave one, else `what: HTTP <status>`. */
export async function failure(res: Response, what: string): Promise<Error> {
  return new Error((await apiReason(res)) ?? `${what}: HTTP ${res.status}`);
}

/** GET a JSON document; an error response throws its failure(). */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw await failure(res, `GET ${url}`);
  return (await res.json()) as T;
}
