import { apiKey } from "../api-key.js";

/** Beside the page, whether it is served at /console or behind a path prefix. */
const ENDPOINT = `${window.location.pathname.replace(/console\/?$/, "").replace(/\/?$/, "/")}admin/graphql`;

/** An error of the admin API, with its code (FORBIDDEN, BREAKING_CHANGE…) when it gave one. */
export class AdminError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

/**
 * Sends an operation to the registry's admin API with the key kept in this browser: the console
 * does nothing the admin API would not let the same key do.
 */
export async function admin<Data>(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Data> {
  const key = apiKey.get();
  let response: Response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new AdminError("Le hub ne répond pas.", null);
  }
  let body: { data?: Data; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await response.json();
  } catch {
    throw new AdminError(`Réponse illisible du hub (HTTP ${response.status}).`, null);
  }
  const error = body.errors?.[0];
  if (error) throw new AdminError(error.message, error.extensions?.code ?? null);
  return body.data as Data;
}

export const formatDate = (value: string | null | undefined): string =>
  value
    ? new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "short" }).format(
        new Date(value),
      )
    : "—";
