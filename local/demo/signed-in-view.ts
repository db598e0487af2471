/** The signed-in step: who signed in and how, read from the tokens' claims, and the claims themselves. */
import type { Tokens } from "./cognito-calls.ts";
import { byId, make } from "./elements.ts";
import { claimsTable, decodeClaims } from "./token-claims.ts";
import { show } from "./views.ts";

/** How the auth_methods claim's values read in a sentence. */
const CLAIM_NAMES: Record<string, string> = { email_otp: "an emailed code", sms: "a texted code", swk: "a passkey", hwk: "a security key" };

export function showSignedIn(tokens: Tokens, typedUsername: string): void {
  const id = decodeClaims(tokens.idToken);
  const access = decodeClaims(tokens.accessToken);
  const methods = String(id.auth_methods ?? access.auth_methods ?? "").split(" ").filter((name) => name !== "");
  const how = methods.map((name) => CLAIM_NAMES[name] ?? name).join(" and ");
  byId("signed-in-summary", HTMLParagraphElement).replaceChildren(
    `Signed in as `, make("strong", { text: String(id.email ?? id.phone_number ?? typedUsername) }),
    ` with ${how === "" ? "a verified factor" : how}. The suite's claims, `,
    make("code", { text: "auth_methods" }), " and ", make("code", { text: "auth_level" }),
    ", are highlighted below.",
  );
  byId("token-claims", HTMLDivElement).replaceChildren(claimsTable("ID token", id), claimsTable("Access token", access));
  show("view-signed-in");
}
