/**
 * What sign-ins cost in the things AWS bills: DynamoDB requests and request units (from the counting
 * proxy), Lambda invocations by trigger (from the wrapped TriggerInvoker; the passkey API's function
 * counted as PASSKEY_API_FUNCTION, one per request the app sends it), the app's own HTTP requests
 * (each Cognito call of a watched SDK client, each passkey API request), and messages, emails
 * (passkey notices among them) and SMS parts (from the outbox as messages arrive in it). Counters only grow; a sign-in's usage is
 * the difference between two snapshots.
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { Outbox, OutboxMessage } from "@cognito-passwordless/local/outbox/outbox.ts";
import type { DynamoCounter } from "./dynamo-counter.ts";
import type { InvocationCounter } from "./invocation-counter.ts";

/** The passkey API's function among the invocations: each request to the API is one (and one API Gateway request). */
export const PASSKEY_API_FUNCTION = "PasskeysApi";

export interface Usage {
  /** HTTP requests the app made: Cognito calls and passkey API requests. */
  readonly appRequests: number;
  readonly dynamoReads: number;
  readonly dynamoWrites: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** By trigger name: DefineAuthChallenge, CreateAuthChallenge, … */
  readonly invocations: Readonly<Record<string, number>>;
  readonly lambdaInvocations: number;
  /** Every email: codes and notices alike, as SES bills them. */
  readonly emails: number;
  /** Of the emails, the notices of a new passkey (lib/notify/passkey-notice.ts), told apart by subject. */
  readonly passkeyNotices: number;
  readonly sms: number;
  /** Billable SMS parts: a long message is sent, and billed, in several. */
  readonly smsParts: number;
}

/** Counts what the app sends, as a bill would see it: the clients and the fetch of the measured sign-ins. */
export interface AppRequests {
  /** Counts every command this SDK client sends from now on. */
  watch(client: CognitoIdentityProviderClient): void;
  /** The platform's fetch, counting each request (the app's requests to the passkey API). */
  readonly fetch: (input: string, init?: RequestInit) => Promise<Response>;
}

export interface UsageMeter {
  snapshot(): Usage;
  readonly app: AppRequests;
  uninstall(): void;
}

/**
 * SMS parts of a text: 160 GSM-7 characters in one part, 153 per part when split (the rest of each
 * part is the concatenation header); 70 and 67 in UCS-2 when any character is outside GSM-7
 * (AWS End User Messaging SMS, "SMS character limits":
 * https://docs.aws.amazon.com/sms-voice/latest/userguide/sms-limitations-character.html).
 * GSM-7 is approximated by printable ASCII, counting its extension characters (^{}\[~]|) twice.
 */
export function smsParts(text: string): number {
  const gsm = /^[\n\r\x20-\x7E]*$/.test(text) && !/[`]/.test(text);
  const length = gsm ? text.length + (text.match(/[\^{}\\[\]~|]/g)?.length ?? 0) : text.length;
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return length <= single ? 1 : Math.ceil(length / multi);
}

/** The subject of the notice Verify sends when a passkey is added (buildPasskeyNoticeEmail, lib/notify/passkey-notice.ts). */
export const PASSKEY_NOTICE_SUBJECT = /^A passkey was added to your (.+ )?account$/;

/** Starts counting the outbox's messages, alongside the DynamoDB and invocation counters. */
export function meterUsage(dynamo: DynamoCounter, invocations: InvocationCounter, outbox: Outbox): UsageMeter {
  let cognitoRequests = 0;
  let apiRequests = 0;
  let emails = 0;
  let notices = 0;
  let sms = 0;
  let parts = 0;
  const add = outbox.add;
  outbox.add = function countedAdd(this: Outbox, message: OutboxMessage) {
    if (message.channel === "email") {
      emails += 1;
      if (PASSKEY_NOTICE_SUBJECT.test(message.subject ?? "")) notices += 1;
    } else {
      sms += 1;
      parts += smsParts(message.body);
    }
    return add.call(this, message);
  };
  const app: AppRequests = {
    watch(client) {
      client.middlewareStack.add(
        (next) => async (args) => {
          cognitoRequests += 1;
          return next(args);
        },
        { step: "initialize", name: "benchAppRequestCounter" },
      );
    },
    fetch: (input, init) => {
      apiRequests += 1;
      return globalThis.fetch(input, init);
    },
  };
  return {
    app,
    snapshot() {
      const database = dynamo.counts();
      const byTrigger: Record<string, number> = { ...invocations.counts(), ...(apiRequests === 0 ? {} : { [PASSKEY_API_FUNCTION]: apiRequests }) };
      return {
        appRequests: cognitoRequests + apiRequests,
        dynamoReads: database.reads,
        dynamoWrites: database.writes,
        readUnits: database.readUnits,
        writeUnits: database.writeUnits,
        invocations: byTrigger,
        lambdaInvocations: Object.values(byTrigger).reduce((sum, count) => sum + count, 0),
        emails,
        passkeyNotices: notices,
        sms,
        smsParts: parts,
      };
    },
    uninstall() {
      outbox.add = add;
    },
  };
}

/** What happened between two snapshots, divided by `per` (1 for one sign-in, n for an average). */
export function usageBetween(before: Usage, after: Usage, per = 1): Usage {
  const triggers = new Set([...Object.keys(before.invocations), ...Object.keys(after.invocations)]);
  const invocations: Record<string, number> = {};
  for (const trigger of [...triggers].sort()) {
    const count = ((after.invocations[trigger] ?? 0) - (before.invocations[trigger] ?? 0)) / per;
    if (count !== 0) invocations[trigger] = count;
  }
  return {
    appRequests: (after.appRequests - before.appRequests) / per,
    dynamoReads: (after.dynamoReads - before.dynamoReads) / per,
    dynamoWrites: (after.dynamoWrites - before.dynamoWrites) / per,
    readUnits: (after.readUnits - before.readUnits) / per,
    writeUnits: (after.writeUnits - before.writeUnits) / per,
    invocations,
    lambdaInvocations: (after.lambdaInvocations - before.lambdaInvocations) / per,
    emails: (after.emails - before.emails) / per,
    passkeyNotices: (after.passkeyNotices - before.passkeyNotices) / per,
    sms: (after.sms - before.sms) / per,
    smsParts: (after.smsParts - before.smsParts) / per,
  };
}

/** The parts of a sign-in's usage that must not vary from one sign-in to the next: request and message counts. */
export function countsSignature(usage: Usage): string {
  const { appRequests, dynamoReads, dynamoWrites, invocations, emails, passkeyNotices, sms } = usage;
  return JSON.stringify({ appRequests, dynamoReads, dynamoWrites, invocations, emails, passkeyNotices, sms });
}
