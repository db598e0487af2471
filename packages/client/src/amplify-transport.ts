/**
 * The sign-in's Cognito calls on Amplify v6: `signIn` with CUSTOM_WITHOUT_SRP, then
 * `confirmSignIn` with each answer and its ClientMetadata. Amplify keeps the session itself, one
 * sign-in at a time, so only the latest round can be answered: an older one (already answered,
 * or from a sign-in started since) is refused here, as Cognito refuses a used session.
 */
import type { ConfirmSignInInput, ConfirmSignInOutput, SignInInput, SignInOutput, fetchAuthSession } from "aws-amplify/auth";
import { SessionExpiredError, SessionInvalidError, UnexpectedResponseError } from "./errors.ts";
import type { Tokens } from "./rounds.ts";
import type { SignInTransport, Step } from "./transport.ts";

/** The three functions of `aws-amplify/auth` the client calls; the real ones by default. */
export interface AmplifyAuthFunctions {
  signIn(input: SignInInput): Promise<SignInOutput>;
  confirmSignIn(input: ConfirmSignInInput): Promise<ConfirmSignInOutput>;
  fetchAuthSession(): ReturnType<typeof fetchAuthSession>;
}

/**
 * Amplify's own error when it holds no sign-in session: its signInStore keeps the session in
 * memory, and in session storage for 3 minutes after each round, so a reload after that loses it.
 */
const AMPLIFY_SESSION_GONE = "SignInException";

export function amplifyTransport(auth: AmplifyAuthFunctions): SignInTransport {
  /** Counts the rounds Amplify has moved through; a round may answer only while it is the latest. */
  let latest = 0;

  const stepOf = async (output: SignInOutput): Promise<Step> => {
    if (output.isSignedIn) return { kind: "signed-in", tokens: await sessionTokens(auth) };
    const { nextStep } = output;
    if (nextStep.signInStep !== "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE") {
      throw new UnexpectedResponseError(`Amplify's next step is ${nextStep.signInStep}: the app client must run the suite's CUSTOM_AUTH triggers.`);
    }
    const round = ++latest;
    return {
      kind: "challenge",
      parameters: { ...nextStep.additionalInfo },
      respond: async (answer, clientMetadata) => {
        if (round !== latest) throw new SessionInvalidError();
        let answered: ConfirmSignInOutput;
        try {
          answered = await auth.confirmSignIn({
            challengeResponse: answer,
            ...(clientMetadata === undefined ? {} : { options: { clientMetadata: { ...clientMetadata } } }),
          });
        } catch (error) {
          if (error instanceof Error && error.name === AMPLIFY_SESSION_GONE) throw new SessionExpiredError({ cause: error });
          throw error;
        }
        return stepOf(answered);
      },
    };
  };

  return {
    async start(username) {
      // A new sign-in replaces whatever Amplify held: every earlier round is stale from now on.
      latest++;
      return stepOf(await auth.signIn({ username, options: { authFlowType: "CUSTOM_WITHOUT_SRP" } }));
    },
  };
}

/** The tokens Amplify stored; it keeps the refresh token to itself. */
async function sessionTokens(auth: AmplifyAuthFunctions): Promise<Tokens> {
  const { tokens } = await auth.fetchAuthSession();
  const idToken = tokens?.idToken;
  const accessToken = tokens?.accessToken;
  if (idToken === undefined || accessToken === undefined) throw new UnexpectedResponseError("Amplify reports a sign-in but holds no ID or access token.");
  const { exp, iat } = accessToken.payload;
  return {
    idToken: idToken.toString(),
    accessToken: accessToken.toString(),
    expiresIn: typeof exp === "number" && typeof iat === "number" ? exp - iat : 0,
  };
}
