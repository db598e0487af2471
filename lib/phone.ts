/**
 * Phone numbers in E.164 form, the only form Cognito stores in `phone_number` and SNS accepts
 * in `PhoneNumber`. We only need two answers here: "is this a well-formed international
 * number?" and "which country calling code does it start with?" (to enforce
 * SMS_ALLOWED_COUNTRY_CODES, the guard against SMS toll fraud to expensive destinations).
 *
 * Why no libphonenumber: it weighs megabytes of per-country metadata and answers questions
 * (number types, formatting, carriers) the suite never asks. The country calling code only
 * needs the short list of assigned codes below, which changes a few times a decade.
 */

export interface E164Number {
  /** Digits, no "+": "1", "44", "354". */
  readonly countryCallingCode: string;
  /** The national significant number: the digits after the country calling code. */
  readonly nationalNumber: string;
}

/**
 * Country calling codes assigned by ITU-T, from "List of ITU-T Recommendation E.164 assigned
 * country codes" (the annex to ITU Operational Bulletin). Geographic areas plus the global
 * services and networks (800, 808, 870, 881–883, 888, 979, 991). Spare and reserved codes are
 * left out, so a number that starts with one does not parse.
 * The codes are prefix-free by construction (zone digit, then the rest), so the longest match
 * is the only match. "1" is the whole North American Numbering Plan (US, Canada, most of the
 * Caribbean); "7" is shared by Russia and Kazakhstan: neither is a single country.
 */
const ONE_DIGIT = ["1", "7"];
const TWO_DIGIT = [
  "20",
  "27",
  "30",
  "31",
  "32",
  "33",
  "34",
  "36",
  "39",
  "40",
  "41",
  "43",
  "44",
  "45",
  "46",
  "47",
  "48",
  "49",
  "51",
  "52",
  "53",
  "54",
  "55",
  "56",
  "57",
  "58",
  "60",
  "61",
  "62",
  "63",
  "64",
  "65",
  "66",
  "81",
  "82",
  "84",
  "86",
  "90",
  "91",
  "92",
  "93",
  "94",
  "95",
  "98",
];
/** Three-digit codes grouped by their first two digits: "21" + "1,2,3,6,8" = 211, 212, 213, 216, 218. */
const THREE_DIGIT_BY_PREFIX: Record<string, string> = {
  "21": "12368",
  "22": "0123456789",
  "23": "0123456789",
  "24": "0123456789",
  "25": "012345678",
  "26": "0123456789",
  "29": "01789",
  "35": "0123456789",
  "37": "0123456789",
  "38": "01235679",
  "42": "013",
  "50": "0123456789",
  "59": "0123456789",
  "67": "023456789",
  "68": "012356789",
  "69": "012",
  "80": "08",
  "85": "02356",
  "87": "0",
  "88": "012368",
  "96": "012345678",
  "97": "012345679",
  "99": "1234568",
};

const ASSIGNED: ReadonlySet<string> = new Set<string>([
  ...ONE_DIGIT,
  ...TWO_DIGIT,
  ...Object.entries(THREE_DIGIT_BY_PREFIX).flatMap(([prefix, thirds]) => [...thirds].map((third) => prefix + third)),
]);

/** Whether ITU-T has assigned this country calling code (digits, no "+"). */
export function isAssignedCountryCallingCode(code: string): boolean {
  return ASSIGNED.has(code);
}

/**
 * Codes whose national numbers all have one length: NANP and Russia/Kazakhstan use ten digits.
 * Checking it catches the commonest typos (a digit missing or doubled) for a large share of users.
 */
const NATIONAL_LENGTH: Readonly<Record<string, number>> = { "1": 10, "7": 10 };

/**
 * "+" then 8 to 15 digits, the first not 0. E.164 caps a number at 15 digits; 8 is the shortest
 * mobile number in use that we accept (e.g. the Falkland Islands' +500 plus five digits).
 * No spaces, dashes or brackets: Cognito and SNS take the bare form, and accepting decorated
 * input here would let two spellings of one number count as two destinations.
 */
const E164_PATTERN = /^\+[1-9]\d{7,14}$/;

/** Parses a strict E.164 number; undefined when it is not one or its country code is not assigned. */
export function parseE164(value: string): E164Number | undefined {
  if (typeof value !== "string" || !E164_PATTERN.test(value)) return undefined;
  const digits = value.slice(1);
  for (const length of [1, 2, 3]) {
    const countryCallingCode = digits.slice(0, length);
    if (!ASSIGNED.has(countryCallingCode)) continue;
    const nationalNumber = digits.slice(length);
    const expected = NATIONAL_LENGTH[countryCallingCode];
    if (expected !== undefined && nationalNumber.length !== expected) return undefined;
    // A NANP area code never starts with 0 or 1 (NANPA, "NPA codes").
    if (countryCallingCode === "1" && /^[01]/.test(nationalNumber)) return undefined;
    return { countryCallingCode, nationalNumber };
  }
  return undefined;
}

/**
 * Whether an SMS may go to this number: it must be valid E.164 and its country calling code
 * must be one the deployment allows (digits, no "+"). Allowing "1" allows every NANP country;
 * a finer split would need area-code tables, which is what libphonenumber is for.
 */
export function isSmsAllowed(phone: string, allowedCountryCodes: readonly string[]): boolean {
  const parsed = parseE164(phone);
  return parsed !== undefined && allowedCountryCodes.includes(parsed.countryCallingCode);
}
