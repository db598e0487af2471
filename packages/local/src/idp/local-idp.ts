/**
 * A local OpenID Connect identity provider for the local user pool to federate with, built on
 * oidc-provider: discovery at `<issuer>/.well-known/openid-configuration`, authorization, token,
 * userinfo and JWKS endpoints, RS256 ID tokens. Its sign-in page asks who you are (login-form.ts)
 * and believes it. Its session cookie lets a second sign-in with the same browser (or cookie jar)
 * go straight back without the form, as a real IdP's does.
 *
 * The IdP has one client, the user pool, whose redirect URI (`<cognito endpoint>/oauth2/idpresponse`)
 * is known only once the pool's endpoint listens: the IdP starts first, so the pool can be told its
 * issuer, and is given the redirect URI afterwards (allowRedirectUri).
 */
/// <reference path="./oidc-provider.d.ts" />
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import type Provider from "oidc-provider";
import { IdpAccounts } from "./idp-accounts.ts";
import { loadOidcProvider } from "./load-oidc-provider.ts";
import { readLoginForm, renderLoginForm } from "./login-form.ts";
import { MemoryStore } from "./memory-adapter.ts";
import { IDP_SCOPES, providerConfiguration } from "./provider-configuration.ts";

export const DEFAULT_IDP_CLIENT_ID = "local-user-pool";

export interface LocalIdpOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly clientId?: string;
  /** Random unless given. */
  readonly clientSecret?: string;
  readonly redirectUris?: readonly string[];
}

export interface LocalIdp {
  /** `http://<host>:<port>`: the OIDC issuer, and where its discovery document lives. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Lets the client send people back to this URI (the pool's /oauth2/idpresponse). */
  allowRedirectUri(uri: string): Promise<void>;
  close(): Promise<void>;
}

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)$/;
const MAX_FORM_BYTES = 16 * 1024;

function sendText(response: ServerResponse, status: number, text: string, contentType = "text/plain; charset=utf-8"): void {
  response.writeHead(status, { "content-type": contentType, "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error("The sign-in form is too large.");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** The sign-in page (GET) and its submission (POST) for one interaction; the rest is oidc-provider's. */
async function answerInteraction(provider: Provider, accounts: IdpAccounts, uid: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let interaction: Awaited<ReturnType<Provider["interactionDetails"]>>;
  try {
    interaction = await provider.interactionDetails(request, response);
  } catch {
    return sendText(response, 400, "This sign-in has expired or was started in another browser. Start it again from the app.\n");
  }
  if (interaction.uid !== uid) return sendText(response, 400, "This sign-in page belongs to another sign-in.\n");
  const clientId = String(interaction.params["client_id"] ?? "");
  if (interaction.prompt.name !== "login") {
    // Only reached if a grant went missing: grant every scope, as the consent-free configuration does.
    const grant = new provider.Grant({ accountId: interaction.session?.accountId ?? "", clientId });
    grant.addOIDCScope(IDP_SCOPES.join(" "));
    return provider.interactionFinished(request, response, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }
  const action = `/interaction/${uid}`;
  if (request.method === "GET") return sendText(response, 200, renderLoginForm({ action, clientId }), "text/html; charset=utf-8");
  if (request.method !== "POST") return sendText(response, 405, "The sign-in page takes GET and POST.\n");
  const form = await readForm(request);
  const result = readLoginForm(form);
  if (!result.ok) return sendText(response, 400, renderLoginForm({ action, clientId, problem: result.problem, previous: form }), "text/html; charset=utf-8");
  accounts.save(result.profile);
  await provider.interactionFinished(request, response, { login: { accountId: result.profile.subject } }, { mergeWithLastSubmission: false });
}

export async function startLocalIdp(options: LocalIdpOptions): Promise<LocalIdp> {
  const Provider = await loadOidcProvider();
  const clientId = options.clientId ?? DEFAULT_IDP_CLIENT_ID;
  const clientSecret = options.clientSecret ?? randomBytes(24).toString("base64url");
  const accounts = new IdpAccounts();
  const store = new MemoryStore();
  const cookieKeys = [randomBytes(32).toString("base64url")];
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString("base64url"), alg: "RS256", use: "sig" };
  const redirectUris = new Set(options.redirectUris ?? []);

  let provider: Provider | undefined;
  let callback: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  let issuer = "";
  // oidc-provider fixes its clients when built, so a new redirect URI means a new Provider over the
  // same store, keys and cookie secrets: sessions, codes and tokens carry over.
  const build = () => {
    provider = new Provider(
      issuer,
      providerConfiguration({ client: { clientId, clientSecret, redirectUris: [...redirectUris] }, accounts, store, cookieKeys, signingKey }),
    );
    callback = provider.callback();
  };

  const server: Server = createServer((request, response) => {
    if (provider === undefined || callback === undefined) {
      sendText(response, 503, "The local IdP has no client yet: it is waiting for the user pool's redirect URI.\n");
      return;
    }
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    const interaction = INTERACTION_PATH.exec(path);
    if (interaction === null) {
      callback(request, response);
      return;
    }
    answerInteraction(provider, accounts, interaction[1]!, request, response).catch((error: unknown) => {
      console.error("[idp] the sign-in page failed:", error);
      if (!response.headersSent) sendText(response, 500, "The local IdP failed; see its log.\n");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  issuer = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
  if (redirectUris.size > 0) build();

  return {
    issuer,
    clientId,
    clientSecret,
    async allowRedirectUri(uri: string) {
      if (redirectUris.has(uri) && provider !== undefined) return;
      redirectUris.add(uri);
      build();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
