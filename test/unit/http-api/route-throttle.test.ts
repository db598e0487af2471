/**
 * Route throttling as API Gateway does it for an HTTP API (token bucket per route: capacity the
 * burst limit, refilled at the rate limit per second; "Throttle requests to your HTTP APIs",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html), on a
 * clock the test moves: no sleeping, no timing.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACCOUNT_THROTTLE_LIMITS, RouteThrottle, routeThrottleLimits } from "@cognito-passwordless/local/http-api/route-throttle.ts";

/** A throttle on a clock that stands still until the test moves it. */
function throttleOnTestClock() {
  let now = Date.UTC(2026, 11, 3, 8, 0, 0);
  return {
    throttle: new RouteThrottle(() => now),
    advance: (milliseconds: number) => {
      now += milliseconds;
    },
  };
}

/** How many of `count` requests at the same instant the route admits. */
const admittedOf = (throttle: RouteThrottle, routeKey: string, limits: { burstLimit: number; rateLimit: number }, count: number) =>
  Array.from({ length: count }, () => throttle.admit(routeKey, limits)).filter(Boolean).length;

describe("a route's token bucket", () => {
  const limits = { burstLimit: 20, rateLimit: 10 };

  it("admits a burst of burst-limit requests at once, then refuses the next", () => {
    const { throttle } = throttleOnTestClock();
    assert.equal(admittedOf(throttle, "POST /passkeys/challenge", limits, 20), 20);
    assert.equal(throttle.admit("POST /passkeys/challenge", limits), false);
    assert.equal(throttle.admit("POST /passkeys/challenge", limits), false, "a refused request takes no token and gives none back");
  });

  it("refills at the rate limit per second, never above the burst limit", () => {
    const { throttle, advance } = throttleOnTestClock();
    admittedOf(throttle, "POST /passkeys/challenge", limits, 20);
    advance(99);
    assert.equal(throttle.admit("POST /passkeys/challenge", limits), false, "0.99 of a token is no token");
    advance(1);
    assert.equal(throttle.admit("POST /passkeys/challenge", limits), true, "100 ms at 10/s is one token");
    assert.equal(throttle.admit("POST /passkeys/challenge", limits), false);
    advance(500);
    assert.equal(admittedOf(throttle, "POST /passkeys/challenge", limits, 10), 5, "500 ms at 10/s is five tokens");
    advance(60_000);
    assert.equal(admittedOf(throttle, "POST /passkeys/challenge", limits, 30), 20, "a minute's rest fills the bucket to its capacity only");
  });

  it("keeps each route's bucket apart", () => {
    const { throttle } = throttleOnTestClock();
    const small = { burstLimit: 2, rateLimit: 1 };
    assert.equal(admittedOf(throttle, "POST /passkeys/challenge", small, 5), 2);
    assert.equal(admittedOf(throttle, "GET /passkeys", small, 5), 2, "another route still has its whole burst");
    assert.equal(throttle.admit("POST /passkeys/challenge", small), false);
  });

  it("refuses every request with a burst limit of 0", () => {
    const { throttle, advance } = throttleOnTestClock();
    const closed = { burstLimit: 0, rateLimit: 100 };
    assert.equal(throttle.admit("GET /passkeys", closed), false);
    advance(10_000);
    assert.equal(throttle.admit("GET /passkeys", closed), false);
  });

  it("refills nothing when the clock goes back, and counts no time twice when it comes forward again", () => {
    const { throttle, advance } = throttleOnTestClock();
    const slow = { burstLimit: 1, rateLimit: 1 };
    assert.equal(throttle.admit("GET /passkeys", slow), true);
    advance(-5000);
    assert.equal(throttle.admit("GET /passkeys", slow), false);
    advance(5999);
    assert.equal(throttle.admit("GET /passkeys", slow), false, "999 ms after the last request");
    advance(1);
    assert.equal(throttle.admit("GET /passkeys", slow), true);
  });

  it("starts full again once the buckets are cleared (a newly served API)", () => {
    const { throttle } = throttleOnTestClock();
    admittedOf(throttle, "GET /passkeys", { burstLimit: 3, rateLimit: 1 }, 3);
    throttle.clear();
    assert.equal(admittedOf(throttle, "GET /passkeys", { burstLimit: 3, rateLimit: 1 }, 5), 3);
  });
});

describe("a route's limits from its settings and the API's defaults", () => {
  it("the route's own field wins over the default, field by field", () => {
    assert.deepEqual(routeThrottleLimits({ burstLimit: 50, rateLimit: 20 }, { burstLimit: 20, rateLimit: 10 }), { burstLimit: 20, rateLimit: 10 });
    assert.deepEqual(routeThrottleLimits({ burstLimit: 50, rateLimit: 20 }, { burstLimit: 5 }), { burstLimit: 5, rateLimit: 20 });
    assert.deepEqual(routeThrottleLimits({ burstLimit: 50, rateLimit: 20 }, { rateLimit: 1 }), { burstLimit: 50, rateLimit: 1 });
    assert.deepEqual(routeThrottleLimits({ burstLimit: 50, rateLimit: 20 }, {}), { burstLimit: 50, rateLimit: 20 });
  });

  it("a field neither sets is the account's default quota", () => {
    assert.deepEqual(routeThrottleLimits({}, { burstLimit: 3 }), { burstLimit: 3, rateLimit: ACCOUNT_THROTTLE_LIMITS.rateLimit });
    assert.deepEqual(routeThrottleLimits({ rateLimit: 2 }, {}), { burstLimit: ACCOUNT_THROTTLE_LIMITS.burstLimit, rateLimit: 2 });
  });

  it("no limit at all for a route without settings on an API without defaults", () => {
    assert.equal(routeThrottleLimits({}, {}), undefined);
  });

  it("a route's 0 is a limit, not an absent field", () => {
    assert.deepEqual(routeThrottleLimits({ burstLimit: 50, rateLimit: 20 }, { burstLimit: 0, rateLimit: 0 }), { burstLimit: 0, rateLimit: 0 });
  });
});
