/**
 * What the sign-in flow needs from Cognito, whichever library reaches it: start a CUSTOM_AUTH
 * sign-in, and answer the round it returned. The AWS SDK transport carries the session in each
 * step; Amplify keeps it in its own store. Errors are thrown as the library raised them.
 */
import type { Tokens } from "./rounds.ts";

/** Answers the round a step holds, with ClientMetadata for the triggers. */
export type Respond = (answer: string, clientMetadata?: Readonly<Record<string, string>>) => Promise<Step>;

/** Where a call left the sign-in: a challenge to answer, or tokens. */
export type Step =
  | { readonly kind: "challenge"; readonly parameters: Readonly<Record<string, string>>; readonly respond: Respond }
  | { readonly kind: "signed-in"; readonly tokens: Tokens };

/** Starts sign-ins: InitiateAuth (AWS SDK) or signIn (Amplify) with the custom flow. */
export interface SignInTransport {
  start(username: string): Promise<Step>;
}
