import "autocannon";

// autocannon's documented API for pooling runs, which its DefinitelyTyped types leave out.
declare module "autocannon" {
  /** A run made with `skipAggregateResult`: its histograms encoded, for `aggregateResult`. */
  interface UnaggregatedResult {
    /** Seconds the run lasted. */
    duration: number;
  }
  function aggregateResult(
    results: readonly UnaggregatedResult[],
    options: Pick<Options, "url">,
  ): Result;
}
