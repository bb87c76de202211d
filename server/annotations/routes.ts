/**
 * The annotations API's request handling: validate (400 naming the field), check the role (403 with the
 * reason), map NATS failures to 503. Route files stay one line each.
 */
import "server-only";
import { NewAnnotationSchema } from "../../lib/review/annotations";
import { RandomIdSchema } from "../../lib/wire/ids";
import { requireOperator } from "../auth/identity";
import { badRequest, describeIssues, notFound, unavailable } from "../http";
import { getRuntime } from "../runtime";

const natsDown = (err: unknown) => unavailable(`annotation store unavailable: ${(err as Error)?.message ?? err}`);

export async function listAnnotations(): Promise<Response> {
  return Response.json({ annotations: (await getRuntime()).annotations.list() });
}

export async function createAnnotation(request: Request): Promise<Response> {
  const identity = requireOperator(request);
  if (identity instanceof Response) return identity;
  const body = await request.json().catch(() => undefined);
  const parsed = NewAnnotationSchema.safeParse(body);
  if (!parsed.success) return badRequest(describeIssues(parsed.error, "body"));
  try {
    return Response.json(await (await getRuntime()).annotations.add(parsed.data, identity.user), { status: 201 });
  } catch (err) {
    return natsDown(err);
  }
}

export async function deleteAnnotation(request: Request, rawId: string): Promise<Response> {
  const identity = requireOperator(request);
  if (identity instanceof Response) return identity;
  const id = RandomIdSchema.safeParse(rawId);
  if (!id.success) return badRequest(describeIssues(id.error, "id"));
  try {
    return (await (await getRuntime()).annotations.remove(id.data))
      ? new Response(null, { status: 204 })
      : notFound(`no annotation ${id.data}`);
  } catch (err) {
    return natsDown(err);
  }
}
