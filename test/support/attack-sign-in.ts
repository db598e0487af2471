/**
 * What an attacker (or a fault test) does with the real AWS SDK against the local stack: sign up,
 * start a CUSTOM_AUTH sign-in, answer rounds with any answer and any client metadata, and read
 * the codes the outbox received, as the owner of the mailbox or phone would.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandOutput,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { OutboxMessage } from "@cognito-passwordless/local/outbox/outbox.ts";
import { type LocalStack, cognitoClient } from "./local-stack.ts";

export type CodeMethod = "EMAIL_OTP" | "SMS_OTP";
export type Round = InitiateAuthCommandOutput | RespondToAuthChallengeCommandOutput;

/** A random password of the pool's policy: the passwordless app sends one and forgets it. */
const randomPassword = () => `Aa1!${randomBytes(24).toString("base64url")}`;

export interface SignInDriver {
  readonly client: CognitoIdentityProviderClient;
  /** Signs up an email user (with a phone number when given); returns the internal username. */
  signUp(email: string, phoneNumber?: string): Promise<string>;
  deleteUser(userName: string): Promise<void>;
  /** The user's attributes as the pool holds them. */
  attributesOf(userName: string): Promise<Record<string, string>>;
  start(login: string, clientMetadata?: Record<string, string>): Promise<InitiateAuthCommandOutput>;
  answer(round: Round, login: string, answer: string, clientMetadata?: Record<string, string>): Promise<RespondToAuthChallengeCommandOutput>;
  /** SELECT_METHOD answered with a code method and ClientMetadata.login, as the README's app does: the code round. */
  codeRound(login: string, method: CodeMethod, clientMetadata?: Record<string, string>): Promise<RespondToAuthChallengeCommandOutput>;
  /** Messages the outbox holds for this email address or phone number, oldest first. */
  messagesTo(address: string): OutboxMessage[];
  /** The code in the newest message to this address. */
  latestCode(address: string): string;
  /** A six-digit code (the length the local stack sends) that is certainly not the one sent last to this address. */
  wrongCode(address: string, seed?: number): string;
  destroy(): void;
}

export function signInDriver(stack: LocalStack): SignInDriver {
  const client = cognitoClient(stack.config);
  const { clientId, userPoolId } = stack.config;

  const answer: SignInDriver["answer"] = (round, login, value, clientMetadata) =>
    client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: round.Session,
        ChallengeResponses: { USERNAME: login, ANSWER: value },
        ...(clientMetadata === undefined ? {} : { ClientMetadata: clientMetadata }),
      }),
    );
  const start: SignInDriver["start"] = (login, clientMetadata) =>
    client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: login },
        ...(clientMetadata === undefined ? {} : { ClientMetadata: clientMetadata }),
      }),
    );
  const messagesTo = (address: string) => stack.outbox.list().filter((message) => message.to === address);
  const latestCode = (address: string) => {
    const body = messagesTo(address).at(-1)?.body ?? "";
    const code = /\b(\d{6,10})\b/.exec(body)?.[1];
    assert.ok(code, `the outbox holds a code for ${address}`);
    return code;
  };

  return {
    client,
    async signUp(email, phoneNumber) {
      const result = await client.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: email,
          Password: randomPassword(),
          UserAttributes: [{ Name: "email", Value: email }, ...(phoneNumber === undefined ? [] : [{ Name: "phone_number", Value: phoneNumber }])],
        }),
      );
      assert.ok(result.UserSub);
      return result.UserSub;
    },
    async deleteUser(userName) {
      await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: userName }));
    },
    async attributesOf(userName) {
      const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: userName }));
      return Object.fromEntries((user.UserAttributes ?? []).map((attribute) => [attribute.Name ?? "", attribute.Value ?? ""]));
    },
    start,
    answer,
    async codeRound(login, method, clientMetadata = {}) {
      const started = await start(login);
      // As README asks of apps: what the person typed goes along as ClientMetadata.login.
      return answer(started, login, method, { signInMethod: method, login, ...clientMetadata });
    },
    messagesTo,
    latestCode,
    wrongCode(address, seed = 0) {
      const sent = messagesTo(address).length > 0 ? latestCode(address) : "";
      for (let candidate = seed; ; candidate++) {
        const code = String(candidate % 1_000_000).padStart(6, "0");
        if (code !== sent) return code;
      }
    },
    destroy: () => client.destroy(),
  };
}

/** The public parameters of a round, without Cognito's USERNAME. */
export function parametersOf(round: Round): Record<string, string> {
  const { USERNAME: _userName, ...rest } = round.ChallengeParameters ?? {};
  return rest;
}

/** Milliseconds a call took, with what it returned or the error it threw. */
export async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; result?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const result = await call();
    return { ms: performance.now() - started, result };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}
