/** The signed-in step: who signed in and how, read from the tokens' claims, and the claims themselves. */
import type { Tokens } from "./cognito-calls.ts";
import { byId, make } from "./elements.ts";
import { claimsTable, decodeClaims } from "./token-claims.ts";
import { show } from "./views.ts";

/** The access token scope that lets an app call GetUser, GlobalSignOut and the like for the user. */
const ADMIN_SCOPE = "aws.cognito.signin.user.admin";

/** How the auth_methods claim's values read in a sentence. */
const CLAIM_NAMES: Record<string, string> = {
  email_otp: "an emailed code",
  sms: "a texted code",
  swk: "a synced passkey",
  hwk: "a device-bound passkey or security key",
};

/**
 * Whether these tokens may manage the account (GetUser, GlobalSignOut): tokens from the hosted UI
 * carry only the OAuth scopes the app client allows, which here exclude the admin scope.
 */
export function managesAccount(tokens: Tokens): boolean {
  return String(decodeClaims(tokens.accessToken).scope ?? "")
    .split(" ")
    .includes(ADMIN_SCOPE);
}

/** The provider of a hosted-UI sign-in, when the ID token says one (its identities claim). */
function identityProviderOf(id: Record<string, unknown>): string | undefined {
  const identities = Array.isArray(id.identities) ? (id.identities as { providerName?: unknown }[]) : [];
  const name = identities[0]?.providerName;
  return typeof name === "string" ? name : undefined;
}

export function showSignedIn(tokens: Tokens, typedUsername: string): void {
  const id = decodeClaims(tokens.idToken);
  const access = decodeClaims(tokens.accessToken);
  const methods = String(id.auth_methods ?? access.auth_methods ?? "")
    .split(" ")
    .filter((name) => name !== "");
  const provider = identityProviderOf(id);
  // No auth_methods and an identity: the sign-in went through the IdP, which proved nothing to the suite.
  const how = methods.length > 0 ? methods.map((name) => CLAIM_NAMES[name] ?? name).join(" and ") : provider === undefined ? "" : `your ${provider} identity`;
  byId("sign-out-everywhere", HTMLButtonElement).hidden = !managesAccount(tokens);
  byId("signed-in-summary", HTMLParagraphElement).replaceChildren(
    `Signed in as `,
    make("strong", { text: String(id.email ?? id.phone_number ?? (typedUsername || id["cognito:username"])) }),
    ` with ${how === "" ? "a verified factor" : how}. The suite's claims, `,
    make("code", { text: "auth_methods" }),
    " and ",
    make("code", { text: "auth_level" }),
    ", are highlighted below.",
  );
  byId("token-claims", HTMLDivElement).replaceChildren(claimsTable("ID token", id), claimsTable("Access token", access));
  show("view-signed-in");
}
