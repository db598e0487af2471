/**
 * The anchor's passkey (FIDO2) sign-in, as Cognito calls its triggers, for the chains beside ours
 * (bench/sign-in-chains.ts): Define, Create, Verify, Define, PreTokenGeneration, with the settings
 * its CDK construct gives a FIDO2 deployment by default (FIDO2_ENABLED, credential ids exposed,
 * user verification required) and its credentials table in the bench's DynamoDB server.
 *
 * The answer is a real assertion: a P-256 key made here signs the authenticator data and client
 * data over the challenge the anchor's own Create returned, and the table holds the matching
 * public key in the anchor's item shape (USER#<handle> / CREDENTIAL#<id>, read back by its Verify,
 * which checks the signature and updates the counter). Its Create and Verify load every AWS client
 * up front whatever the method, so this one chain is what each of our methods is set beside.
 */
import { createHash, createSign, generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { createEvent, defineEvent, preTokenEventV2, verifyEvent } from "@cognito-passwordless/test-kit/events.ts";
import type { ChainStep } from "../sign-in-chains.ts";

const RP_ID = "example.com";
const ORIGIN = "https://example.com";
const TABLE = "bench-anchor-authenticators";

export interface AnchorFixture {
  /** The anchor's functions' environment (beside AWS_REGION, credentials and the DynamoDB endpoint). */
  readonly environment: Readonly<Record<string, string>>;
  readonly steps: readonly ChainStep[];
}

/** Its table (pk, sk) and one user's passkey in it; the steps sign a fresh assertion each chain. */
export async function prepareAnchorChain(dynamoEndpoint: string, region: string): Promise<AnchorFixture> {
  const client = new DynamoDBClient({ endpoint: dynamoEndpoint, region, credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
    }),
  );
  // In a pool whose usernames are the user's sub, the anchor's user handle is the sub itself.
  const sub = randomUUID();
  const credentialId = randomBytes(16);
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  await DynamoDBDocumentClient.from(client).send(
    new PutCommand({
      TableName: TABLE,
      Item: {
        pk: `USER#${sub}`,
        sk: `CREDENTIAL#${credentialId.toString("base64url")}`,
        credentialId,
        jwk: publicKey.export({ format: "jwk" }),
        signCount: 0,
        flagBackupEligibility: 0,
        transports: ["internal"],
      },
    }),
  );
  client.destroy();

  const user = { userName: sub, userAttributes: { sub, email: `anchor-${sub.slice(0, 8)}@example.com`, email_verified: "true" } };
  const fido2 = { clientMetadata: { signInMethod: "FIDO2" } };
  const firstRound = { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "PROVIDE_AUTH_PARAMETERS" } as const;
  const assertion = (fido2options: string) => {
    const { challenge } = JSON.parse(fido2options) as { challenge: string };
    const clientData = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge, origin: ORIGIN }));
    // rpIdHash, flags user present + user verified, a counter of 0 (the anchor skips the counter check at 0).
    const authenticatorData = Buffer.concat([createHash("sha256").update(RP_ID).digest(), Buffer.from([0x05]), Buffer.alloc(4)]);
    const signed = Buffer.concat([authenticatorData, createHash("sha256").update(clientData).digest()]);
    return JSON.stringify({
      credentialIdB64: credentialId.toString("base64url"),
      authenticatorDataB64: authenticatorData.toString("base64url"),
      clientDataJSON_B64: clientData.toString("base64url"),
      signatureB64: createSign("sha256").update(signed).sign(privateKey).toString("base64url"),
      userHandleB64: Buffer.from(sub).toString("base64url"),
    });
  };
  const fido2optionsOf = (response: unknown): string => {
    const options = (response as { privateChallengeParameters?: { fido2options?: unknown } } | null)?.privateChallengeParameters?.fido2options;
    if (typeof options !== "string") throw new Error(`The anchor's Create returned no FIDO2 options: ${JSON.stringify(response)}`);
    return options;
  };

  const steps: ChainStep[] = [
    { fn: "define-auth-challenge", build: () => ({ label: "anchor: new sign-in", event: defineEvent([], user) }) },
    { fn: "create-auth-challenge", build: () => ({ label: "anchor: auth parameters and FIDO2 options", event: createEvent([], user) }) },
    {
      fn: "verify-auth-challenge-response",
      build: (earlier) => {
        const fido2options = fido2optionsOf(earlier[1]);
        const event = verifyEvent({ challenge: "PROVIDE_AUTH_PARAMETERS", fido2options }, assertion(fido2options), { ...user, ...fido2 });
        return { label: "anchor: FIDO2 assertion", event };
      },
    },
    { fn: "define-auth-challenge", build: () => ({ label: "anchor: assertion accepted", event: defineEvent([{ ...firstRound }], { ...user, ...fido2 }) }) },
    { fn: "pre-token-generation", build: () => ({ label: "anchor: tokens", event: preTokenEventV2("TokenGeneration_Authentication", user) }) },
  ];
  return {
    environment: {
      LOG_LEVEL: "INFO",
      FIDO2_ENABLED: "TRUE",
      DYNAMODB_AUTHENTICATORS_TABLE: TABLE,
      EXPOSE_USER_CREDENTIAL_IDS: "TRUE",
      USER_VERIFICATION: "required",
      ALLOWED_ORIGINS: ORIGIN,
      ALLOWED_APPLICATION_ORIGINS: "",
      ALLOWED_RELYING_PARTY_IDS: RP_ID,
      RELYING_PARTY_ID: RP_ID,
      STACK_ID: "arn:aws:cloudformation:us-east-1:000000000000:stack/bench-anchor/00000000-0000-0000-0000-000000000000",
      SIGN_IN_TIMEOUT: "120000",
    },
    steps,
  };
}

/** What each of the anchor's answers must be, so a chain that took a refusal path fails the run. */
export function checkAnchorResponse(label: string, response: unknown): string | undefined {
  const r = (response ?? {}) as Record<string, unknown>;
  const expect = (ok: boolean, what: string) => (ok ? undefined : `${label}: expected ${what}, got ${JSON.stringify(response)}`);
  switch (label) {
    case "anchor: new sign-in":
      return expect(r["challengeName"] === "CUSTOM_CHALLENGE", "a custom challenge");
    case "anchor: auth parameters and FIDO2 options": {
      const options = JSON.parse(String((r["publicChallengeParameters"] as Record<string, unknown> | undefined)?.["fido2options"] ?? "{}")) as {
        credentials?: unknown[];
      };
      return expect(options.credentials?.length === 1, "FIDO2 options naming the user's one credential");
    }
    case "anchor: FIDO2 assertion":
      return expect(r["answerCorrect"] === true, "the assertion to be accepted");
    case "anchor: assertion accepted":
      return expect(r["issueTokens"] === true, "tokens to be issued");
    case "anchor: tokens":
      return expect(typeof response === "object" && response !== null, "a response");
    default:
      return `${label}: no check is defined for this kind of event`;
  }
}
