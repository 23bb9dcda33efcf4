import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { userError } from "../../lib/graphql/errors.js";

export interface ChangeRateSettings {
  /** `REGISTRY_PUBLICATIONS_PER_MINUTE`: a partner's steady rate, one change every `60 / n` s. */
  publicationsPerMinute: number;
  /** `REGISTRY_PUBLICATION_BURST`: changes a partner may ask for at once, given back each minute. */
  publicationBurst: number;
}

/**
 * How often each partner may ask this process for a change (publish, check, rollback, remove):
 * each costs a check of a schema, up to a megabyte. A window of a minute would let a partner's
 * changes through all at once, taking the gateway's CPU from its pages for as long; they are spread
 * instead, a few at once and then one at the steady rate (rate-limiter-flexible's bursty limiter).
 */
export class PartnerChangeRate {
  private readonly limiter: BurstyRateLimiter;
  private readonly spacingSeconds: number;

  constructor(private readonly settings: ChangeRateSettings) {
    this.spacingSeconds = 60 / settings.publicationsPerMinute;
    this.limiter = new BurstyRateLimiter(
      new RateLimiterMemory({ keyPrefix: "change", points: 1, duration: this.spacingSeconds }),
      new RateLimiterMemory({
        keyPrefix: "change-burst",
        points: settings.publicationBurst - 1,
        duration: 60,
      }),
    );
  }

  /** Counts a change of this partner, or refuses it with `RATE_LIMITED` and when to try again. */
  async consume(partnerId: string): Promise<void> {
    try {
      await this.limiter.consume(partnerId);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      const spacing = Math.round(this.spacingSeconds * 10) / 10;
      throw userError(
        "RATE_LIMITED",
        `Au plus ${this.settings.publicationBurst} changements à la fois, puis un toutes les ${spacing} s ; réessayez dans ${retryAfterSeconds} s.`,
        { retryAfterSeconds },
      );
    }
  }
}
