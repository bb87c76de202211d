/**
 * Reading the API's answers in the browser. Every route that refuses a request says why in a JSON body's
 * `reason` (a 400 names the bad parameter): the views show that, not just a status code.
 */

type ErrorBody = { reason?: unknown } & Record<string, unknown>;

const errorBody = async (res: Response) => (await res.json().catch(() => null)) as ErrorBody | null;
const reasonOf = (body: ErrorBody | null) => (typeof body?.reason === "string" ? body.reason : null);

/** The reason the API gave with an error response, if its body holds one. */
export async function apiReason(res: Response): Promise<string | null> {
  return reasonOf(await errorBody(res));
}

/** An error response: its status (a view may treat a 404 apart), a message to show, and the body's other fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** An error response as an ApiError: the API's reason when it gave one, else `what: HTTP <status>`. */
export async function failure(res: Response, what: string): Promise<ApiError> {
  const body = await errorBody(res);
  return new ApiError(res.status, reasonOf(body) ?? `${what}: HTTP ${res.status}`, body);
}

/** GET a JSON document; an error response throws its failure(). */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw await failure(res, `GET ${url}`);
  return (await res.json()) as T;
}

/** getJson, with null for a 404 (a consumer or stream gone since the page listed it). */
export async function getJsonOrNull<T>(url: string): Promise<T | null> {
  try {
    return await getJson<T>(url);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}
