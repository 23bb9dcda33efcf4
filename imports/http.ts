import pRetry, { AbortError } from "p-retry";

export interface FetchOptions {
  /** A request that takes longer is abandoned and retried. */
  timeoutMs: number;
  /** Retries after the first attempt, with exponential backoff from `backoffMs`. */
  retries: number;
  backoffMs: number;
  onRetry?(message: string): void;
}

export const DEFAULT_FETCH: FetchOptions = { timeoutMs: 30_000, retries: 4, backoffMs: 1_000 };

/** A wrong answer worth naming in a report (a 4xx, a body that is not JSON): the URL and what was wrong. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    /** The HTTP status of the answer, when it was one. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * The source could not be read, its retries spent: no connection, no answer in time, HTTP 429 or
 * 5xx. An outage, never bad data: it fails the batch it happened in, never one record.
 */
export class SourceUnavailable extends Error {}

/**
 * GETs a JSON document. Timeouts, network errors, HTTP 429 and 5xx are retried with backoff, then
 * throw `SourceUnavailable`; other statuses and bodies that are not JSON throw `UpstreamError` at
 * once: asking again would not change them.
 */
export async function fetchJson(
  url: string,
  options: FetchOptions,
  accept = "application/ld+json",
): Promise<unknown> {
  let attempts = 0;
  return pRetry(
    async () => {
      attempts += 1;
      // The timeout covers the body too: one that stalls or is cut off is retried like a request that failed.
      const failed = (error: unknown, what: string) =>
        new SourceUnavailable(
          `GET ${url}: ${error instanceof DOMException && error.name === "TimeoutError" ? `no answer within ${options.timeoutMs} ms` : what}`,
        );
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { accept },
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        throw failed(error, "network error");
      }
      if (response.status === 429 || response.status >= 500) {
        await response.body?.cancel();
        throw new SourceUnavailable(`GET ${url}: HTTP ${response.status}`);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new AbortError(
          new UpstreamError(`GET ${url}: HTTP ${response.status}`, response.status),
        );
      }
      let body: string;
      try {
        body = await response.text();
      } catch (error) {
        throw failed(error, "the answer was cut off");
      }
      try {
        return JSON.parse(body) as unknown;
      } catch {
        throw new AbortError(new UpstreamError(`GET ${url}: the body is not JSON`));
      }
    },
    {
      retries: options.retries,
      minTimeout: options.backoffMs,
      factor: 2,
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft > 0)
          options.onRetry?.(`${error.message} (attempt ${attemptNumber}, retrying)`);
      },
    },
  ).catch((error: unknown) => {
    if (error instanceof SourceUnavailable && attempts > 1)
      throw new SourceUnavailable(`${error.message} (${attempts} attempts)`);
    throw error;
  });
}
