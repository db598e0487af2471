/**
 * Round 1, SELECT_METHOD: the app states its choice with its first answer (InitiateAuth's
 * ClientMetadata never reaches the triggers). Choosing a code is not proving (that answer is
 * never "correct"; the code round follows); a passkey assertion signs in at once.
 */
import { CLIENT_METADATA, type CodeMethod, type SignInMethod, isCodeMethod } from "@cognito-passwordless/protocol";
import { MethodNotOfferedError } from "./errors.ts";
import { codeRound } from "./code-round.ts";
import { type FlowContext, call, challengeOf } from "./flow-context.ts";
import { runCeremony } from "./passkey-ceremony.ts";
import { outcomeOf } from "./passkey-registration-round.ts";
import type { SelectMethodRound } from "./rounds.ts";
import type { SignInTransport } from "./transport.ts";

/** Checked against the protocol's SignInMethod, so a renamed method fails the build here. */
const PASSKEY = "PASSKEY" satisfies SignInMethod;

/** InitiateAuth (or Amplify's signIn) with the custom flow: the SELECT_METHOD round. */
export async function startSignIn(flow: FlowContext, transport: SignInTransport, username: string, login: string = username): Promise<SelectMethodRound> {
  if (typeof username !== "string" || username === "") throw new TypeError("signIn(username): the username must be a non-empty string.");
  const started = await call(flow, () => transport.start(username));
  const { parameters, respond } = challengeOf(started, ["SELECT_METHOD"]);
  const { methods, passkeyOptions } = parameters;
  const passkeyOffered = methods.includes(PASSKEY) && passkeyOptions !== undefined;

  const round: SelectMethodRound = {
    kind: "select-method",
    username,
    methods: Object.freeze([...methods]),
    passkeyOffered,
    async chooseCode(method: CodeMethod, options = {}) {
      if (!isCodeMethod(method)) throw new TypeError(`chooseCode(method): ${String(method)} is not a code method; use signInWithPasskey for PASSKEY.`);
      if (!methods.includes(method)) throw new MethodNotOfferedError(method, methods);
      // The ANSWER is the method's name again; ClientMetadata is what Define and Create read.
      const metadata = { [CLIENT_METADATA.signInMethod]: method, [CLIENT_METADATA.login]: options.login ?? login };
      return codeRound(flow, await call(flow, () => respond(method, metadata)), method, 1);
    },
    async signInWithPasskey(options = {}) {
      if (!passkeyOffered || passkeyOptions === undefined) throw new MethodNotOfferedError(PASSKEY, methods);
      flow.prompts.takeOver();
      const assertion = await runCeremony("authentication", () => flow.webauthn.startAuthentication({ optionsJSON: passkeyOptions }));
      const metadata: Record<string, string> = { [CLIENT_METADATA.signInMethod]: PASSKEY };
      if (options.registerPasskey === true) metadata[CLIENT_METADATA.registerPasskey] = "true";
      return outcomeOf(flow, await call(flow, () => respond(JSON.stringify(assertion), metadata)), options.userAgent);
    },
  };
  return Object.freeze(round);
}
