/**
 * Which throttle limits each route of a template's HttpApi gets: the API's DefaultRouteSettings,
 * its RouteSettings keyed by route key, and the RouteSettings of a function's HttpApi event, which
 * SAM merges into the API's entry for that route, the event's fields winning
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-httpapi.html,
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-httpapi.html).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type HttpApiDefinition, httpApisFromTemplate } from "@cognito-passwordless/local/http-api/api-definition.ts";
import { TemplateResolutionError } from "@cognito-passwordless/test-kit/function-environment.ts";
import { parseTemplate } from "@cognito-passwordless/test-kit/read-template.ts";

interface FixtureOptions {
  /** YAML lines of the API's properties (indented under Properties). */
  readonly apiProperties?: readonly string[];
  /** YAML lines under the challenge event's Properties, after Path and Method. */
  readonly challengeEvent?: readonly string[];
  readonly globals?: readonly string[];
}

/** A template with one HttpApi and two routes to one function, as the passkey API has. */
function fixtureTemplate(options: FixtureOptions = {}) {
  const indent = (lines: readonly string[] | undefined, spaces: number) => (lines ?? []).map((line) => `${" ".repeat(spaces)}${line}`).join("\n");
  return parseTemplate(
    [
      "Transform: AWS::Serverless-2016-10-31",
      "Parameters:",
      "  ChallengeBurst:",
      "    Type: String",
      '    Default: "7"',
      ...(options.globals === undefined ? [] : ["Globals:", "  HttpApi:", indent(options.globals, 4)]),
      "Resources:",
      "  PasskeysApi:",
      "    Type: AWS::Serverless::HttpApi",
      "    Properties:",
      "      StageName: $default",
      indent(options.apiProperties, 6),
      "  PasskeysApiFunction:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      CodeUri: dist/passkeys-api/",
      "      Handler: index.handler",
      "      Events:",
      "        List:",
      "          Type: HttpApi",
      "          Properties:",
      "            ApiId: !Ref PasskeysApi",
      "            Path: /passkeys",
      "            Method: GET",
      "        Challenge:",
      "          Type: HttpApi",
      "          Properties:",
      "            ApiId: !Ref PasskeysApi",
      "            Path: /passkeys/challenge",
      "            Method: POST",
      indent(options.challengeEvent, 12),
    ].join("\n"),
  );
}

const throttleOf = (api: HttpApiDefinition | undefined, routeKey: string) => api?.routes.find((route) => route.routeKey === routeKey)?.throttle;
const readApi = (options: FixtureOptions) => httpApisFromTemplate(fixtureTemplate(options))[0];

describe("a route's throttle limits, as the template sets them", () => {
  it("no limits for any route when nothing sets them", () => {
    const api = readApi({});
    assert.equal(throttleOf(api, "GET /passkeys"), undefined);
    assert.equal(throttleOf(api, "POST /passkeys/challenge"), undefined);
  });

  it("the API's DefaultRouteSettings for every route", () => {
    const api = readApi({ apiProperties: ["DefaultRouteSettings:", "  ThrottlingBurstLimit: 50", "  ThrottlingRateLimit: 20"] });
    assert.deepEqual(throttleOf(api, "GET /passkeys"), { burstLimit: 50, rateLimit: 20 });
    assert.deepEqual(throttleOf(api, "POST /passkeys/challenge"), { burstLimit: 50, rateLimit: 20 });
  });

  it("Globals.HttpApi's DefaultRouteSettings when the API sets none", () => {
    const api = readApi({ globals: ["DefaultRouteSettings:", "  ThrottlingBurstLimit: 40", "  ThrottlingRateLimit: 4"] });
    assert.deepEqual(throttleOf(api, "GET /passkeys"), { burstLimit: 40, rateLimit: 4 });
  });

  it("the API's RouteSettings for its route key, over the defaults field by field; other routes keep the defaults", () => {
    const api = readApi({
      apiProperties: [
        "DefaultRouteSettings:",
        "  ThrottlingBurstLimit: 50",
        "  ThrottlingRateLimit: 20",
        "RouteSettings:",
        '  "POST /passkeys/challenge":',
        "    ThrottlingBurstLimit: 20",
      ],
    });
    assert.deepEqual(throttleOf(api, "POST /passkeys/challenge"), { burstLimit: 20, rateLimit: 20 });
    assert.deepEqual(throttleOf(api, "GET /passkeys"), { burstLimit: 50, rateLimit: 20 });
  });

  it("the event's RouteSettings, over the API's entry for the route field by field, and over the defaults", () => {
    const api = readApi({
      apiProperties: [
        "DefaultRouteSettings:",
        "  ThrottlingBurstLimit: 50",
        "  ThrottlingRateLimit: 20",
        "RouteSettings:",
        '  "POST /passkeys/challenge":',
        "    ThrottlingBurstLimit: 30",
        "    ThrottlingRateLimit: 15",
      ],
      challengeEvent: ["RouteSettings:", "  ThrottlingRateLimit: 10"],
    });
    assert.deepEqual(throttleOf(api, "POST /passkeys/challenge"), { burstLimit: 30, rateLimit: 10 });
    assert.deepEqual(throttleOf(api, "GET /passkeys"), { burstLimit: 50, rateLimit: 20 });
  });

  it("the event's RouteSettings alone throttle that route only, with the account's quota for a field it leaves out", () => {
    const api = readApi({ challengeEvent: ["RouteSettings:", "  ThrottlingBurstLimit: !Ref ChallengeBurst"] });
    assert.deepEqual(throttleOf(api, "POST /passkeys/challenge"), { burstLimit: 7, rateLimit: 10_000 }, "a parameter's text read as a number");
    assert.equal(throttleOf(api, "GET /passkeys"), undefined);
  });

  it("refuses a limit that is not a number of 0 or more, naming where", () => {
    for (const value of ["-1", "many", "2.5"]) {
      assert.throws(
        () => readApi({ challengeEvent: ["RouteSettings:", `  ThrottlingBurstLimit: "${value}"`] }),
        (error: unknown) => error instanceof TemplateResolutionError && /Events\.Challenge RouteSettings\.ThrottlingBurstLimit/.test(error.message),
        value,
      );
    }
    assert.deepEqual(
      throttleOf(readApi({ challengeEvent: ["RouteSettings:", "  ThrottlingRateLimit: 0.5"] }), "POST /passkeys/challenge")?.rateLimit,
      0.5,
      "a rate may be a fraction",
    );
  });

  it("refuses API RouteSettings for a route key the API does not have (a typo would leave the route unthrottled)", () => {
    assert.throws(
      () => readApi({ apiProperties: ["RouteSettings:", '  "POST /passkey/challenge":', "    ThrottlingBurstLimit: 20"] }),
      (error: unknown) => error instanceof TemplateResolutionError && error.message.includes("POST /passkey/challenge"),
    );
  });
});
