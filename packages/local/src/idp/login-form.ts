/**
 * The local IdP's sign-in page: a plain HTML form (no script, so `fetch` with a cookie jar can fill
 * it in as well as a browser) where the person says who they are at this IdP. Fields, all optional
 * but one of email and subject:
 *   email, email_verified (checkbox), phone_number, phone_number_verified (checkbox), name, subject.
 * Without a subject the email address decides it, so the same address is the same IdP user again.
 */
import { type IdpProfile, subjectForEmail } from "./idp-accounts.ts";

const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** E.164, as Cognito stores phone numbers. */
const PHONE = /^\+[1-9][0-9]{6,14}$/;
/** OpenID Connect Core 1.0, section 2: a subject is at most 255 ASCII characters. */
const SUBJECT = /^[\x21-\x7e]{1,255}$/;

export type LoginFormResult = { readonly ok: true; readonly profile: IdpProfile } | { readonly ok: false; readonly problem: string };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** A checkbox counts as ticked when it is sent at all, except with the value "false". */
const ticked = (value: string | null) => value !== null && value !== "false";

function optional(form: URLSearchParams, field: string): string | undefined {
  const value = form.get(field)?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function readLoginForm(form: URLSearchParams): LoginFormResult {
  const email = optional(form, "email");
  const phoneNumber = optional(form, "phone_number");
  const typedSubject = optional(form, "subject");
  if (email !== undefined && !EMAIL.test(email)) return { ok: false, problem: `"${email}" is not an email address.` };
  if (phoneNumber !== undefined && !PHONE.test(phoneNumber)) {
    return { ok: false, problem: `"${phoneNumber}" is not a phone number in international format, such as +15550100001.` };
  }
  if (typedSubject !== undefined && !SUBJECT.test(typedSubject))
    return { ok: false, problem: "A subject is 1 to 255 printable ASCII characters, without spaces." };
  const subject = typedSubject ?? (email === undefined ? undefined : subjectForEmail(email));
  if (subject === undefined) return { ok: false, problem: "Type an email address or a subject: the IdP needs to know who you are." };
  return {
    ok: true,
    profile: {
      subject,
      email,
      emailVerified: email !== undefined && ticked(form.get("email_verified")),
      phoneNumber,
      phoneVerified: phoneNumber !== undefined && ticked(form.get("phone_number_verified")),
      name: optional(form, "name"),
    },
  };
}

export function renderLoginForm(options: { action: string; clientId: string; problem?: string | undefined; previous?: URLSearchParams | undefined }): string {
  const value = (field: string) => escapeHtml(options.previous?.get(field) ?? "");
  const checked = (field: string) => (ticked(options.previous?.get(field) ?? null) ? " checked" : "");
  const problem = options.problem === undefined ? "" : `<p class="problem" role="alert">${escapeHtml(options.problem)}</p>`;
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local IdP: sign in</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; }
  label { display: block; margin: .8rem 0 .2rem; }
  label.check { display: flex; gap: .4rem; align-items: center; margin-top: .3rem; }
  input[type=text], input[type=email], input[type=tel] { width: 100%; padding: .4rem; box-sizing: border-box; }
  button { margin-top: 1.2rem; padding: .5rem 1rem; }
  .problem { color: #b00020; }
  .note { color: #555; font-size: .9rem; }
</style>
<h1>Local IdP</h1>
<p class="note">A stand-in OpenID Connect provider for ${escapeHtml(options.clientId)}. Say who you are here: this IdP asserts exactly what you type.</p>
${problem}
<form method="post" action="${escapeHtml(options.action)}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" value="${value("email")}" autocomplete="off">
  <label class="check"><input name="email_verified" type="checkbox" value="true"${checked("email_verified")}> This IdP has verified the email</label>
  <label for="phone_number">Phone number</label>
  <input id="phone_number" name="phone_number" type="tel" value="${value("phone_number")}" placeholder="+15550100001" autocomplete="off">
  <label class="check"><input name="phone_number_verified" type="checkbox" value="true"${checked("phone_number_verified")}> This IdP has verified the phone number</label>
  <label for="name">Name</label>
  <input id="name" name="name" type="text" value="${value("name")}" autocomplete="off">
  <label for="subject">Subject (optional)</label>
  <input id="subject" name="subject" type="text" value="${value("subject")}" placeholder="derived from the email" autocomplete="off">
  <button type="submit">Sign in</button>
</form>
</html>
`;
}
