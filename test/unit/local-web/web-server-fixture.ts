/**
 * A web server on an ephemeral loopback port with a fresh outbox, for the tests in this folder,
 * and SES/SNS clients from the real SDK pointed at it the way the triggers are: through
 * AWS_ENDPOINT_URL_SES / AWS_ENDPOINT_URL_SNS, read by the SDK itself.
 */
import { SESClient } from "@aws-sdk/client-ses";
import { SNSClient } from "@aws-sdk/client-sns";
import { Outbox } from "@cognito-passwordless/local/outbox/outbox.ts";
import { type LocalConfig, type WebServer, startWebServer } from "@cognito-passwordless/local/web/server.ts";

export const TEST_CONFIG: LocalConfig = {
  region: "eu-west-1",
  userPoolId: "eu-west-1_LocalTest",
  clientId: "localtestclientid0000000000",
  cognitoEndpoint: "http://127.0.0.1:9229",
  issuer: "http://127.0.0.1:9229/eu-west-1_LocalTest",
  jwksUri: "http://127.0.0.1:9229/eu-west-1_LocalTest/.well-known/jwks.json",
  passkeyApiUrl: "http://127.0.0.1:9231",
};

export async function startTestWebServer(): Promise<{ server: WebServer; outbox: Outbox }> {
  const outbox = new Outbox();
  const server = await startWebServer({ host: "127.0.0.1", port: 0, outbox, config: TEST_CONFIG });
  return { server, outbox };
}

// Explicit dummy credentials: the default chain could otherwise go looking for real ones.
const clientOptions = {
  region: "eu-west-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  maxAttempts: 1,
};

export function sesClientFor(server: WebServer): SESClient {
  process.env.AWS_ENDPOINT_URL_SES = `${server.url}/aws/ses`;
  return new SESClient(clientOptions);
}

export function snsClientFor(server: WebServer): SNSClient {
  process.env.AWS_ENDPOINT_URL_SNS = `${server.url}/aws/sns`;
  return new SNSClient(clientOptions);
}
