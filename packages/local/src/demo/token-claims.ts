/**
 * The claims of the ID and access tokens, shown as tables. The page only decodes them to show
 * what is inside: an app's back end verifies the signature (e.g. aws-jwt-verify against the
 * jwksUri in /config.json) before trusting any claim.
 */
import { make } from "./elements.ts";

export type Claims = Record<string, unknown>;

/** The claims the suite adds (PROTOCOL, "Tokens"); highlighted in the tables. */
const SUITE_CLAIMS: Record<string, string> = {
  auth_methods: "what this sign-in verified, in Cognito's AMR vocabulary",
  auth_level: "the assurance level: loa:2 after a code, loa:3 after a passkey",
};

const TIME_CLAIMS = new Set(["iat", "exp", "auth_time", "nbf"]);

export function decodeClaims(jwt: string): Claims {
  const payload = jwt.split(".")[1];
  if (payload === undefined) throw new Error("The token is not a JWT.");
  const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
  const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof claims !== "object" || claims === null) throw new Error("The token's payload is not a JSON object.");
  return claims as Claims;
}

export function claimsTable(title: string, claims: Claims): HTMLElement {
  const rows = Object.entries(claims).map(([name, value]) => {
    const note = SUITE_CLAIMS[name];
    const valueCell = make("td", {}, make("code", { text: formatValue(name, value) }));
    if (note !== undefined) valueCell.append(make("span", { className: "claim-note", text: note }));
    return make("tr", note === undefined ? {} : { className: "suite-claim" }, make("th", { text: name }), valueCell);
  });
  const table = make(
    "table",
    { className: "claims" },
    make("caption", { text: title }),
    make("thead", {}, make("tr", {}, make("th", { text: "Claim" }), make("th", { text: "Value" }))),
    make("tbody", {}, ...rows),
  );
  for (const cell of table.querySelectorAll("thead th")) cell.setAttribute("scope", "col");
  for (const cell of table.querySelectorAll("tbody th")) cell.setAttribute("scope", "row");
  return table;
}

function formatValue(name: string, value: unknown): string {
  if (TIME_CLAIMS.has(name) && typeof value === "number") {
    return `${value} (${new Date(value * 1000).toLocaleString()})`;
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}
