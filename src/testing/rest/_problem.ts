/** The reason phrases of the statuses the management API answers with. */
const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * An RFC 9457 problem answer, as the management API sends for every error:
 * `{title, status, detail, errors?}` with `content-type: application/problem+json`.
 */
export function problem(
  status: number,
  detail: string,
  options: { errors?: string[]; headers?: Record<string, string> } = {},
): Response {
  const body: Record<string, unknown> = { title: TITLES[status] ?? "Error", status, detail };
  if (options.errors) body.errors = options.errors;
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", ...options.headers },
  });
}

/** A JSON answer of the management API. */
export function ok(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** A 204 answer without a body. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** A 404 for an id that names nothing. */
export function notFound(kind: string, id: string): Response {
  return problem(404, `${kind} '${id}' not found`);
}
