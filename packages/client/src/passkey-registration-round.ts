/**
 * The optional PASSKEY_REGISTRATION round, and what an answer that completes a factor leads to:
 * tokens, or this round when the app asked for it (ClientMetadata.registerPasskey).
 */
import { CLIENT_METADATA, SKIP_REGISTRATION_ANSWER } from "@cognito-passwordless/protocol";
import { UnexpectedResponseError } from "./errors.ts";
import { type FlowContext, call, challengeOf } from "./flow-context.ts";
import { runCeremony } from "./passkey-ceremony.ts";
import type { PasskeyRegistrationRound, SignInOutcome, SignedIn } from "./rounds.ts";
import type { Step } from "./transport.ts";
import { browserUserAgent } from "./webauthn.ts";

/** Tokens, or a registration round (its `attempt`-th offer); `userAgent` is what `register` sends by default. */
export function outcomeOf(flow: FlowContext, step: Step, userAgent: string | undefined, attempt = 1): SignInOutcome {
  if (step.kind === "signed-in") return { kind: "signed-in", tokens: step.tokens };
  const { parameters, respond } = challengeOf(step, ["PASSKEY_REGISTRATION"]);
  const round: PasskeyRegistrationRound = {
    kind: "passkey-registration",
    attempt,
    options: parameters.options,
    async register(options = {}) {
      flow.prompts.takeOver();
      const registration = await runCeremony("registration", () => flow.webauthn.startRegistration({ optionsJSON: parameters.options }));
      const agent = options.userAgent ?? userAgent ?? browserUserAgent();
      const metadata = agent === undefined ? undefined : { [CLIENT_METADATA.userAgent]: agent };
      // A refused registration comes back as this round (until the deployment's limit, then tokens).
      return outcomeOf(flow, await call(flow, () => respond(JSON.stringify(registration), metadata)), userAgent, attempt + 1);
    },
    async skip() {
      return signedIn(await call(flow, () => respond(SKIP_REGISTRATION_ANSWER)));
    },
  };
  return Object.freeze(round);
}

function signedIn(step: Step): SignedIn {
  if (step.kind !== "signed-in") throw new UnexpectedResponseError("Cognito posed another round after SKIP, where tokens were expected.");
  return { kind: "signed-in", tokens: step.tokens };
}
