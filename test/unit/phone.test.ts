import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isAssignedCountryCallingCode, isSmsAllowed, parseE164 } from "../../lib/phone.ts";

describe("reading an E.164 phone number", () => {
  const valid: ReadonlyArray<readonly [input: string, countryCallingCode: string, nationalNumber: string]> = [
    ["+14155550123", "1", "4155550123"], // United States (NANP)
    ["+16135550123", "1", "6135550123"], // Canada (NANP)
    ["+18765550123", "1", "8765550123"], // Jamaica (NANP)
    ["+447700900123", "44", "7700900123"], // United Kingdom
    ["+4915123456789", "49", "15123456789"], // Germany
    ["+33612345678", "33", "612345678"], // France
    ["+3545551234", "354", "5551234"], // Iceland
    ["+353851234567", "353", "851234567"], // Ireland
    ["+2348031234567", "234", "8031234567"], // Nigeria
    ["+79161234567", "7", "9161234567"], // Russia
    ["+77012345678", "7", "7012345678"], // Kazakhstan
    ["+61412345678", "61", "412345678"], // Australia
    ["+8613812345678", "86", "13812345678"], // China
    ["+919876543210", "91", "9876543210"], // India
    ["+390612345678", "39", "0612345678"], // Italy keeps the leading 0 of its numbers
    ["+50051234", "500", "51234"], // Falkland Islands: 8 digits, the shortest accepted
    ["+383441234567", "383", "441234567"], // Kosovo
    ["+882123456789012", "882", "123456789012"], // international networks: 15 digits
  ];
  for (const [input, countryCallingCode, nationalNumber] of valid) {
    test(`${input} has country calling code +${countryCallingCode}`, () => {
      assert.deepEqual(parseE164(input), { countryCallingCode, nationalNumber });
    });
  }

  const invalid: ReadonlyArray<readonly [input: string, why: string]> = [
    ["", "empty"],
    ["+", "a plus alone"],
    ["14155550123", "no leading plus"],
    ["+1415555012", "NANP with nine national digits"],
    ["+141555501234", "NANP with eleven national digits"],
    ["+10155550123", "a NANP area code starting with 0"],
    ["+11155550123", "a NANP area code starting with 1"],
    ["+7916123456", "Russia with nine national digits"],
    ["+4412345", "seven digits: too short"],
    ["+4477009001234567", "sixteen digits: too long"],
    ["+04477009001", "a country code starting with 0"],
    ["+0014155550123", "an international dialling prefix kept"],
    ["+44 7700 900123", "spaces"],
    ["+44-7700-900123", "dashes"],
    ["+1 (415) 555-0123", "brackets"],
    ["+44770090012a", "a letter"],
    ["+4477OO900123", "letters O for zeros"],
    ["+٤٤٧٧٠٠٩٠٠١٢٣", "Arabic-Indic digits"],
    ["＋447700900123", "a full-width plus"],
    [" +447700900123", "leading space"],
    ["+447700900123\n", "trailing newline"],
    ["+2101234567", "the spare code 210"],
    ["+2591234567", "the spare code 259"],
    ["+8011234567", "the spare code 801"],
    ["+9781234567", "the spare code 978"],
    ["+6711234567", "671, Guam's old code, now in NANP"],
  ];
  for (const [input, why] of invalid) {
    test(`${JSON.stringify(input)} is not E.164 (${why})`, () => {
      assert.equal(parseE164(input), undefined);
    });
  }

  test("a value that is not a string is not E.164", () => {
    assert.equal(parseE164(4155550123 as unknown as string), undefined);
    assert.equal(parseE164(undefined as unknown as string), undefined);
  });
});

describe("assigned country calling codes", () => {
  test("no assigned code is the start of another, so the longest match is the only match", () => {
    const assigned: string[] = [];
    for (let code = 1; code <= 999; code++) {
      if (isAssignedCountryCallingCode(String(code))) assigned.push(String(code));
    }
    for (const code of assigned) {
      const longer = assigned.filter((other) => other !== code && other.startsWith(code));
      assert.deepEqual(longer, [], `+${code} is a prefix of ${longer.join(", ")}`);
    }
  });

  test("well-known codes are assigned and spare ones are not", () => {
    for (const code of ["1", "7", "20", "27", "44", "49", "86", "91", "212", "354", "380", "386", "852", "886", "971", "998"]) {
      assert.equal(isAssignedCountryCallingCode(code), true, `+${code}`);
    }
    for (const code of ["0", "10", "28", "42", "80", "210", "384", "422", "693", "801", "969", "978", "999"]) {
      assert.equal(isAssignedCountryCallingCode(code), false, `+${code}`);
    }
  });
});

describe("whether an SMS may be sent to a number", () => {
  test("a number in an allowed country may be texted", () => {
    assert.equal(isSmsAllowed("+447700900123", ["1", "44"]), true);
  });

  test("allowing +1 allows every NANP number, Canada included", () => {
    assert.equal(isSmsAllowed("+16135550123", ["1"]), true);
  });

  test("a number outside the allowed countries may not be texted", () => {
    assert.equal(isSmsAllowed("+3545551234", ["1", "44"]), false);
  });

  test("allowing +35 does not allow +354: codes match whole, never by prefix", () => {
    assert.equal(isSmsAllowed("+3545551234", ["35"]), false);
  });

  test("allowing +3 does not allow +33", () => {
    assert.equal(isSmsAllowed("+33612345678", ["3"]), false);
  });

  test("a malformed number may not be texted, whatever is allowed", () => {
    assert.equal(isSmsAllowed("+44 7700 900123", ["44"]), false);
    assert.equal(isSmsAllowed("447700900123", ["44"]), false);
  });

  test("nothing may be texted when no country is allowed", () => {
    assert.equal(isSmsAllowed("+14155550123", []), false);
  });
});
