/**
 * The hosted-UI endpoints a federated sign-in uses, on the same port as the JSON API (Cognito serves
 * them from the pool's domain, `https://<prefix>.auth.<region>.amazoncognito.com`):
 * GET /oauth2/authorize, GET /oauth2/idpresponse, POST /oauth2/token. This file is only their HTTP
 * edge: it reads the request and writes the endpoint's answer (oauth-replies.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PoolServices } from "../pool-services.ts";
import { AuthorizationCodes } from "./authorization-codes.ts";
import { authorize } from "./authorize-endpoint.ts";
import type { HostedUiState } from "./hosted-ui-state.ts";
import { idpResponse } from "./idp-response-endpoint.ts";
import { type OAuthReply, errorPage, tokenError } from "./oauth-replies.ts";
import { OidcRelyingParty } from "./oidc-relying-party.ts";
import { PendingFederations } from "./pending-federations.ts";
import { token } from "./token-endpoint.ts";

/** A token request is a short form; anything larger is not one. */
const MAX_FORM_BYTES = 64 * 1024;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

async function readForm(request: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function write(response: ServerResponse, reply: OAuthReply, cors: Record<string, string>): void {
  switch (reply.kind) {
    case "redirect":
      response.writeHead(302, { location: reply.location, "cache-control": "no-store", "content-length": 0 });
      response.end();
      return;
    case "json": {
      const body = JSON.stringify(reply.body);
      // Apps redeem codes from the browser (fetch with PKCE), so the token endpoint answers any origin.
      response.writeHead(reply.status, {
        ...cors,
        "content-type": "application/json;charset=UTF-8",
        "cache-control": "no-store",
        pragma: "no-cache",
        "content-length": Buffer.byteLength(body),
      });
      response.end(body);
      return;
    }
    case "page": {
      const body = `<!doctype html><meta charset="utf-8"><title>Sign-in error</title><h1>${escapeHtml(reply.error)}</h1><p>${escapeHtml(reply.detail)}</p>\n`;
      response.writeHead(reply.status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
      response.end(body);
    }
  }
}

export class HostedUi {
  readonly #state: HostedUiState;

  constructor(services: PoolServices, endpointUrl: () => string) {
    this.#state = {
      services,
      codes: new AuthorizationCodes(services.now),
      pending: new PendingFederations(services.now),
      relyingParty: new OidcRelyingParty(),
      idpResponseUrl: () => `${endpointUrl()}/oauth2/idpresponse`,
    };
  }

  /** Answers a request under /oauth2/; false when the path is not one of its endpoints. */
  async handle(request: IncomingMessage, response: ServerResponse, cors: Record<string, string>): Promise<boolean> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const route = `${request.method ?? "GET"} ${url.pathname}`;
    let reply: OAuthReply;
    switch (route) {
      case "GET /oauth2/authorize":
        reply = await authorize(url.searchParams, this.#state);
        break;
      case "GET /oauth2/idpresponse":
        reply = await idpResponse(url.searchParams, this.#state);
        break;
      case "POST /oauth2/token": {
        const contentType = String(request.headers["content-type"] ?? "");
        const form = contentType.startsWith("application/x-www-form-urlencoded") ? await readForm(request) : undefined;
        reply =
          form === undefined
            ? tokenError("invalid_request", "Send an application/x-www-form-urlencoded body.")
            : await token(form, request.headers.authorization, this.#state);
        break;
      }
      default:
        if (!url.pathname.startsWith("/oauth2/")) return false;
        reply = errorPage("not_found", `The local pool has no ${route}.`, 404);
    }
    write(response, reply, cors);
    return true;
  }
}
