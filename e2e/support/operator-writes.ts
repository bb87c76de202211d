import { expect, type APIRequestContext } from "@playwright/test";

/** The smallest Freeze busdeck accepts: the streams view with one cached query. */
export const minimalFreeze = () => ({
  url: "/streams",
  view_now: Date.now(),
  queries: [{ key: ["live", "connection"], data: { status: "connected" } }],
});

type Caller = { headers: Record<string, string>; user: string };

/**
 * A viewer's Freeze and note are refused with the reason; an operator's are made and carry the operator's name.
 * Returns the operator's snapshot id.
 */
export async function expectWritesNeedOperator(request: APIRequestContext, baseUrl: string, viewer: Caller, operator: Caller) {
  const refused = await request.post(`${baseUrl}/api/snapshots`, { headers: viewer.headers, data: minimalFreeze() });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).reason).toBe(`this needs role operator; user "${viewer.user}" has role viewer`);
  expect((await request.post(`${baseUrl}/api/annotations`, { headers: viewer.headers, data: { text: "nope" } })).status()).toBe(403);

  const made = await request.post(`${baseUrl}/api/snapshots`, { headers: operator.headers, data: minimalFreeze() });
  expect(made.status()).toBe(201);
  const note = await request.post(`${baseUrl}/api/annotations`, { headers: operator.headers, data: { text: `${operator.user} was here` } });
  expect(((await note.json()) as { author: string }).author).toBe(operator.user);
  return ((await made.json()) as { id: string }).id;
}
