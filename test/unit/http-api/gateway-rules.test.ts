/**
 * The pure rules of the local HTTP API, each as API Gateway states it: which route a request
 * reaches, how claims and bodies are handed to the function, how a function's answer is read, and
 * which origins a CorsConfiguration allows. The whole server, with a real pool and bundle, is in
 * test/fidelity/http-api.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CorsConfiguration, HttpApiRoute } from "@cognito-passwordless/local/http-api/api-definition.ts";
import { originAllowed } from "@cognito-passwordless/local/http-api/cors.ts";
import { tokenFrom } from "@cognito-passwordless/local/http-api/jwt-authorizer.ts";
import { claimText, isTextContent, requestTime, responseFromOutput } from "@cognito-passwordless/local/http-api/payload-v2.ts";
import { matchRoute } from "@cognito-passwordless/local/http-api/route-matching.ts";

const route = (method: string, path: string): HttpApiRoute => ({
  method,
  path,
  routeKey: `${method} ${path}`,
  functionId: "Fn",
  authorizer: undefined,
  authorizationScopes: [],
  throttle: undefined,
});

describe("which route a request reaches", () => {
  const routes = [
    route("GET", "/passkeys"),
    route("PATCH", "/passkeys/{id}"),
    route("POST", "/passkeys/registration-options"),
    route("POST", "/passkeys"),
    route("ANY", "/files/{proxy+}"),
    route("GET", "/files/{proxy+}"),
  ];
  const reached = (method: string, path: string) => matchRoute(routes, method, path);

  it("a full match by method and path, with its path variables decoded", () => {
    assert.equal(reached("GET", "/passkeys")?.route.routeKey, "GET /passkeys");
    assert.deepEqual(reached("PATCH", "/passkeys/a%2Fb")?.pathParameters, { id: "a/b" });
  });

  it("a literal segment before a path variable, an explicit method before ANY", () => {
    assert.equal(reached("POST", "/passkeys/registration-options")?.route.routeKey, "POST /passkeys/registration-options");
    assert.equal(reached("GET", "/files/a/b")?.route.routeKey, "GET /files/{proxy+}");
    assert.deepEqual(reached("DELETE", "/files/a/b")?.pathParameters, { proxy: "a/b" });
  });

  it("nothing for another method, a trailing slash, an empty or an extra segment", () => {
    for (const [method, path] of [
      ["DELETE", "/passkeys"],
      ["GET", "/passkeys/"],
      ["PATCH", "/passkeys/"],
      ["PATCH", "/passkeys/a/b"],
      ["GET", "/files"],
    ] as const) {
      assert.equal(reached(method, path), undefined, `${method} ${path}`);
    }
  });
});

describe("what the function is handed", () => {
  it("every claim as a string: numbers and booleans as text, lists as [a b]", () => {
    assert.equal(claimText(1733140000), "1733140000");
    assert.equal(claimText(true), "true");
    assert.equal(claimText(["admins", "users"]), "[admins users]");
    assert.equal(claimText("aws.cognito.signin.user.admin"), "aws.cognito.signin.user.admin");
  });

  it("a body as text for text types, else base64", () => {
    for (const type of ["application/json", "application/json; charset=utf-8", "text/plain", "application/problem+json", "application/xml"]) {
      assert.equal(isTextContent(type), true, type);
    }
    for (const type of [undefined, "application/octet-stream", "image/png", "application/x-www-form-urlencoded"]) {
      assert.equal(isTextContent(type), false, String(type));
    }
  });

  it("the request time in API Gateway's format", () => {
    assert.equal(requestTime(Date.UTC(2020, 2, 12, 19, 3, 58)), "12/Mar/2020:19:03:58 +0000");
  });

  it("the token from the identity source, with or without Bearer", () => {
    const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization }, query: new URLSearchParams() });
    assert.equal(tokenFrom("$request.header.Authorization", request("Bearer abc.def.ghi")), "abc.def.ghi");
    assert.equal(tokenFrom("$request.header.Authorization", request("abc.def.ghi")), "abc.def.ghi");
    assert.equal(tokenFrom("$request.header.Authorization", request("Bearer ")), undefined);
    assert.equal(tokenFrom("$request.header.Authorization", request()), undefined);
    assert.equal(tokenFrom("$request.querystring.token", { headers: {}, query: new URLSearchParams("token=abc") }), "abc");
  });
});

describe("how the function's answer is read", () => {
  it("statusCode, headers, cookies and a base64 body", () => {
    const answer = responseFromOutput(
      JSON.stringify({
        statusCode: 201,
        headers: { "Content-Type": "image/png" },
        cookies: ["a=1"],
        body: Buffer.from([1, 2]).toString("base64"),
        isBase64Encoded: true,
      }),
    );
    assert.deepEqual(answer, { statusCode: 201, headers: { "content-type": "image/png" }, cookies: ["a=1"], body: Buffer.from([1, 2]) });
  });

  it("valid JSON without a statusCode as a 200 application/json answer", () => {
    assert.deepEqual(responseFromOutput('{"passkeys":[]}'), {
      statusCode: 200,
      headers: { "content-type": "application/json" },
      cookies: [],
      body: Buffer.from('{"passkeys":[]}'),
    });
  });

  it("nothing API Gateway could send (its 500) for a bad status code or body", () => {
    assert.equal(responseFromOutput(JSON.stringify({ statusCode: "200" })), undefined);
    assert.equal(responseFromOutput(JSON.stringify({ statusCode: 200, body: { not: "a string" } })), undefined);
    assert.equal(responseFromOutput(JSON.stringify({ statusCode: 99 })), undefined);
  });
});

describe("which origins a CorsConfiguration allows", () => {
  const cors = (allowOrigins: string[]): CorsConfiguration => ({
    allowOrigins,
    allowMethods: [],
    allowHeaders: [],
    exposeHeaders: [],
    allowCredentials: false,
    maxAgeSeconds: undefined,
  });

  it("the origins it names, a pattern's subdomains, or any with *", () => {
    assert.equal(originAllowed(cors(["https://app.example"]), "https://app.example"), true);
    assert.equal(originAllowed(cors(["https://app.example"]), "https://app.example.evil.example"), false);
    assert.equal(originAllowed(cors(["https://app.example"]), "http://app.example"), false);
    assert.equal(originAllowed(cors(["https://*.app.example"]), "https://eu.app.example"), true);
    assert.equal(originAllowed(cors(["https://*.app.example"]), "https://evil.example/.app.example"), false);
    assert.equal(originAllowed(cors(["*"]), "https://anything.example"), true);
  });
});
