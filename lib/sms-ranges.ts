/**
 * Number ranges no SMS ever goes to, inside the countries SMS_ALLOWED_COUNTRY_CODES allows. SMS
 * pumping (toll fraud) signs up or types numbers whose termination fees the fraudster shares in:
 * premium-rate and personal-number ranges, and, inside "+1", the Caribbean countries that share
 * the North American Numbering Plan with the US and Canada but are international destinations
 * with their own, much higher, rates. A sign-in code has no business going to any of them.
 *
 * Sources:
 * - United Kingdom (+44): Ofcom, "National Telephone Numbering Plan" — 070 personal numbering,
 *   076 radiopaging (07624 is the Isle of Man's mobile range and stays allowed), 08 non-geographic
 *   (freephone 080, 084 and 087 service and revenue-sharing), 09 premium rate, 118 directory
 *   enquiries. https://www.ofcom.org.uk/phones-and-broadband/phone-numbers/numbering
 * - North American Numbering Plan (+1): NANPA — area code 900 (premium services), exchange 976
 *   (premium services in every area code), and the area codes of NANP members other than the US
 *   and Canada, listed below. https://www.nanpa.com/ (NPA codes by geographic region)
 * Other allowed countries get no list here: add one before allowing a country, or rely on the
 * country and deployment budgets alone (lib/store/sms-budget.ts).
 */
import { parseE164 } from "./phone.ts";

/** NANP area codes of Caribbean members that are not US territories (NANPA). */
const NANP_CARIBBEAN_AREA_CODES: readonly string[] = [
  "242", // Bahamas
  "246", // Barbados
  "264", // Anguilla
  "268", // Antigua and Barbuda
  "284", // British Virgin Islands
  "345", // Cayman Islands
  "441", // Bermuda
  "473", // Grenada
  "649", // Turks and Caicos Islands
  "658", // Jamaica
  "664", // Montserrat
  "721", // Sint Maarten
  "758", // Saint Lucia
  "767", // Dominica
  "784", // Saint Vincent and the Grenadines
  "809", // Dominican Republic
  "829", // Dominican Republic
  "849", // Dominican Republic
  "868", // Trinidad and Tobago
  "869", // Saint Kitts and Nevis
  "876", // Jamaica
];

export type NeverSendRange = "uk-personal-number" | "uk-pager" | "uk-non-geographic" | "uk-premium-rate" | "uk-directory" | "nanp-premium" | "nanp-caribbean";

/** The range this number is in when no SMS may go there, else undefined. */
export function neverSendRange(phone: string): NeverSendRange | undefined {
  const parsed = parseE164(phone);
  if (parsed === undefined) return undefined;
  const { countryCallingCode, nationalNumber: national } = parsed;
  if (countryCallingCode === "44") {
    if (national.startsWith("70")) return "uk-personal-number";
    if (national.startsWith("76") && !national.startsWith("7624")) return "uk-pager";
    if (national.startsWith("8")) return "uk-non-geographic";
    if (national.startsWith("9")) return "uk-premium-rate";
    if (national.startsWith("118")) return "uk-directory";
    return undefined;
  }
  if (countryCallingCode === "1") {
    const areaCode = national.slice(0, 3);
    if (areaCode === "900" || national.slice(3, 6) === "976") return "nanp-premium";
    if (NANP_CARIBBEAN_AREA_CODES.includes(areaCode)) return "nanp-caribbean";
  }
  return undefined;
}
