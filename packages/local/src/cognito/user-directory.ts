/**
 * The pool's users: attributes, status and linked identities, held in memory and, with a data
 * directory, written to users.json after every change so users survive a restart.
 *
 * In a pool with UsernameAttributes the internal username is a UUID equal to `sub`, and the
 * email or phone number is what users sign in with (developer guide, "User pool attributes",
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-usernames).
 */
import { randomUUID } from "node:crypto";
import type { UsernameAttribute } from "./pool-config.ts";
import { readJsonFile, writeJsonFile } from "./json-file.ts";

export type UserStatus = "UNCONFIRMED" | "CONFIRMED" | "FORCE_CHANGE_PASSWORD" | "EXTERNAL_PROVIDER";

/**
 * One IdP identity of a user; becomes an entry of the `identities` claim. A native user holds the
 * identities linked to it; a federated user holds its own, marked primary.
 */
export interface LinkedIdentity {
  readonly providerName: string;
  readonly providerType: string;
  readonly userId: string;
  /** Epoch milliseconds. */
  readonly dateCreated: number;
  /** The identity the user was created from (a federated user's own); absent on linked ones. */
  readonly primary?: boolean;
}

export interface UserRecord {
  readonly username: string;
  /** Every value a string, as Cognito hands them to triggers (`email_verified: "true"`). */
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  modifiedAt: number;
  identities: LinkedIdentity[];
}

export class UserDirectory {
  readonly #users = new Map<string, UserRecord>();

  constructor(
    private readonly usernameAttributes: readonly UsernameAttribute[],
    private readonly file?: string,
  ) {
    const saved = file === undefined ? undefined : (readJsonFile(file) as { users?: UserRecord[] } | undefined);
    for (const user of saved?.users ?? []) this.#users.set(user.username, user);
  }

  /** Pools with UsernameAttributes give every user a UUID username; others use what the user chose. */
  get aliasPool(): boolean {
    return this.usernameAttributes.length > 0;
  }

  newUsername(chosen: string): string {
    return this.aliasPool ? randomUUID() : chosen;
  }

  get(username: string): UserRecord | undefined {
    return this.#users.get(username);
  }

  /**
   * The user a sign-in name designates: the username itself, or in an alias pool the email or
   * phone number (case-insensitive for email, as Cognito compares them). A federated user's email
   * or phone number is no sign-in alias: only its username finds it.
   */
  find(login: string): UserRecord | undefined {
    const direct = this.#users.get(login);
    if (direct !== undefined) return direct;
    for (const attribute of this.usernameAttributes) {
      const match = this.findByAttribute(attribute, login);
      if (match !== undefined) return match;
    }
    return undefined;
  }

  /** The native user whose sign-in attribute holds this value (federated users hold no aliases). */
  findByAttribute(attribute: string, value: string): UserRecord | undefined {
    const wanted = attribute === "email" ? value.toLowerCase() : value;
    for (const user of this.#users.values()) {
      if (user.status === "EXTERNAL_PROVIDER") continue;
      const held = user.attributes[attribute];
      if (held !== undefined && (attribute === "email" ? held.toLowerCase() : held) === wanted) return user;
    }
    return undefined;
  }

  /** The sign-in attribute another user already holds, if any (they must stay unique in an alias pool). */
  conflictingAlias(attributes: Readonly<Record<string, string>>, except?: string): UsernameAttribute | undefined {
    for (const attribute of this.usernameAttributes) {
      const value = attributes[attribute];
      if (value === undefined || value === "") continue;
      const holder = this.findByAttribute(attribute, value);
      if (holder !== undefined && holder.username !== except) return attribute;
    }
    return undefined;
  }

  /** The user holding this IdP identity: a native user it is linked to, or the federated user made from it. */
  findByIdentity(providerName: string, userId: string): UserRecord | undefined {
    for (const user of this.#users.values()) {
      if (user.identities.some((identity) => identity.providerName === providerName && identity.userId === userId)) return user;
    }
    return undefined;
  }

  list(): UserRecord[] {
    return [...this.#users.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  add(user: UserRecord): void {
    this.#users.set(user.username, user);
    this.save();
  }

  remove(username: string): boolean {
    const removed = this.#users.delete(username);
    if (removed) this.save();
    return removed;
  }

  /** Call after changing a record in place. */
  touch(user: UserRecord, now: number): void {
    user.modifiedAt = now;
    this.save();
  }

  private save(): void {
    if (this.file !== undefined) writeJsonFile(this.file, { users: this.list() });
  }
}
