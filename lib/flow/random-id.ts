import { randomBytes } from "node:crypto";

/** 128 random bits, base64url: round nonces and code ids. */
export function randomId(): string {
  return randomBytes(16).toString("base64url");
}
