/**
 * Route throttling as API Gateway applies it to an HTTP API: a token bucket per route, where a
 * request takes one token, the bucket holds at most the burst limit and refills at the rate limit
 * per second; a request that finds no whole token is refused with 429 Too Many Requests ("Throttle
 * requests to your HTTP APIs", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html).
 * A route's own RouteSettings win over the stage's DefaultRouteSettings field by field; a field
 * neither sets is the account's default quota. Pure but for the clock, which is injected, so the
 * tests move time instead of waiting for it.
 */

/** What a route, or the API's default route settings, says; undefined where it says nothing. */
export interface ThrottleSettings {
  readonly burstLimit?: number | undefined;
  readonly rateLimit?: number | undefined;
}

/** The limits a throttled route's bucket has. */
export interface ThrottleLimits {
  /** The bucket's capacity: how many requests may come at once. */
  readonly burstLimit: number;
  /** Tokens added per second. */
  readonly rateLimit: number;
}

/**
 * API Gateway's default throttle quota per account and Region: 10,000 requests per second with a
 * bucket of 5,000 ("Amazon API Gateway quotas", https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
 * A route that sets only one of its two limits gets the other from here, as a deployment would.
 */
export const ACCOUNT_THROTTLE_LIMITS: ThrottleLimits = Object.freeze({ burstLimit: 5000, rateLimit: 10_000 });

/**
 * The limits of a route from the API's defaults and its own settings, the route's winning field by
 * field; undefined when neither sets a limit, for a route the local stack does not throttle (a
 * deployment still holds it to the account's quota, which no local test comes near).
 */
export function routeThrottleLimits(defaults: ThrottleSettings, own: ThrottleSettings): ThrottleLimits | undefined {
  const burstLimit = own.burstLimit ?? defaults.burstLimit;
  const rateLimit = own.rateLimit ?? defaults.rateLimit;
  if (burstLimit === undefined && rateLimit === undefined) return undefined;
  return Object.freeze({ burstLimit: burstLimit ?? ACCOUNT_THROTTLE_LIMITS.burstLimit, rateLimit: rateLimit ?? ACCOUNT_THROTTLE_LIMITS.rateLimit });
}

/** One route's bucket: the tokens it held at `at` (milliseconds of the clock). */
export interface Bucket {
  readonly tokens: number;
  readonly at: number;
}

/**
 * Whether a request at `now` gets a token, and the bucket after it. A new bucket starts full. A
 * clock that went back refills nothing (and keeps the later time, so no refill is counted twice).
 */
export function takeToken(bucket: Bucket | undefined, limits: ThrottleLimits, now: number): { readonly admitted: boolean; readonly bucket: Bucket } {
  const last = bucket ?? { tokens: limits.burstLimit, at: now };
  const elapsedSeconds = Math.max(0, now - last.at) / 1000;
  const tokens = Math.min(limits.burstLimit, last.tokens + elapsedSeconds * limits.rateLimit);
  const at = Math.max(now, last.at);
  // A whole token, give or take what adding fractions of one in floating point loses.
  if (tokens < 1 - 1e-9) return { admitted: false, bucket: { tokens, at } };
  return { admitted: true, bucket: { tokens: Math.max(0, tokens - 1), at } };
}

/** The buckets of one served API, one per route key, on an injected clock (milliseconds). */
export class RouteThrottle {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Takes a token from the route's bucket: true when the request may go on, false for API Gateway's 429. */
  admit(routeKey: string, limits: ThrottleLimits): boolean {
    const { admitted, bucket } = takeToken(this.#buckets.get(routeKey), limits, this.#now());
    this.#buckets.set(routeKey, bucket);
    return admitted;
  }

  /** Forgets every bucket: a newly served API starts with full ones, as a new deployment does. */
  clear(): void {
    this.#buckets.clear();
  }
}
