import { wholeNumber } from "../../lib/config.js";
import { userError } from "../../lib/graphql/errors.js";
import type { PartnerFetch, PartnerResponse } from "./partner-fetch.js";

export interface FetchLimits {
  /** `REGISTRY_MAX_SDL_BYTES`: the largest SDL accepted, fetched or given. */
  maxBytes: number;
  /** `REGISTRY_FETCH_TIMEOUT_MS`: how long a subgraph has to answer `_service { sdl }`. */
  timeoutMs: number;
}

export function readFetchLimits(env: NodeJS.ProcessEnv = process.env): FetchLimits {
  return {
    maxBytes: wholeNumber(env, "REGISTRY_MAX_SDL_BYTES", 1_048_576),
    timeoutMs: wholeNumber(env, "REGISTRY_FETCH_TIMEOUT_MS", 5000),
  };
}

const failed = (message: string) => userError("SDL_FETCH_FAILED", message);

export function checkSdlSize(sdl: string, { maxBytes }: FetchLimits): string {
  if (Buffer.byteLength(sdl) > maxBytes)
    throw userError("SDL_TOO_LARGE", `Le schéma dépasse ${maxBytes} octets.`, { maxBytes });
  return sdl;
}

/** The longest a health probe waits: a list of subgraphs should not hang on one of them. */
const PROBE_TIMEOUT_MS = 2000;

/**
 * Sends a query to a subgraph as a gateway would, within a time (which also bounds reading the
 * body); redirects are not followed (they could lead anywhere).
 */
function postQuery(
  url: string | URL,
  query: string,
  timeoutMs: number,
  fetch: PartnerFetch,
): Promise<PartnerResponse> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query }),
    redirect: "error",
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** Whether a subgraph answers a trivial query now. */
export async function probeSubgraph(
  url: string,
  limits: FetchLimits,
  fetch: PartnerFetch,
): Promise<"HEALTHY" | "UNHEALTHY"> {
  try {
    const response = await postQuery(
      url,
      "{ __typename }",
      Math.min(limits.timeoutMs, PROBE_TIMEOUT_MS),
      fetch,
    );
    await response.body?.cancel();
    return response.ok ? "HEALTHY" : "UNHEALTHY";
  } catch {
    return "UNHEALTHY";
  }
}

/**
 * Asks a subgraph for its SDL (`_service { sdl }`) within a time and a size: the body is read
 * only up to the limit.
 */
export async function fetchSubgraphSdl(
  url: URL,
  limits: FetchLimits,
  fetch: PartnerFetch,
): Promise<string> {
  let response: PartnerResponse;
  try {
    response = await postQuery(url, "{ _service { sdl } }", limits.timeoutMs, fetch);
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw failed(
      timedOut
        ? `Le sous-graphe n'a pas répondu en ${limits.timeoutMs} ms.`
        : "Le sous-graphe ne répond pas à cette URL.",
    );
  }
  const body = await readBounded(response, limits);
  if (!response.ok)
    throw failed(`Le sous-graphe a répondu HTTP ${response.status} à _service { sdl }.`);
  let sdl: unknown;
  try {
    sdl = (JSON.parse(body) as { data?: { _service?: { sdl?: unknown } } }).data?._service?.sdl;
  } catch {
    sdl = undefined;
  }
  if (typeof sdl !== "string" || !sdl.trim())
    throw failed("La réponse ne contient pas _service { sdl } : est-ce un sous-graphe fédéré ?");
  return sdl;
}

async function readBounded(response: PartnerResponse, limits: FetchLimits): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) {
        await reader.cancel();
        throw userError("SDL_TOO_LARGE", `Le schéma dépasse ${limits.maxBytes} octets.`, {
          maxBytes: limits.maxBytes,
        });
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof Error && "extensions" in error) throw error;
    throw failed(
      error instanceof Error && error.name === "TimeoutError"
        ? `Le sous-graphe n'a pas répondu en ${limits.timeoutMs} ms.`
        : "La réponse du sous-graphe a été interrompue.",
    );
  }
  return Buffer.concat(chunks).toString("utf8");
}
