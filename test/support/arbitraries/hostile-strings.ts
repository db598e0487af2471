/**
 * Strings a broken client or an attacker can put wherever an event carries text: unicode that
 * naive code mishandles, lengths at and just past the limits the suite enforces, and strings of
 * a megabyte or more, which must be refused before anything expensive (a regex, a hash, a parse)
 * touches them.
 */
import fc from "fast-check";

/** Pieces that break naive text handling, each for its own reason. */
export const TRICKY_PIECES: readonly string[] = [
  // Lone surrogates: not text at all, and Buffer.from(…, "utf8") turns each into three bytes.
  "\uD800",
  "\uDBFF",
  "\uDC00",
  "\uDFFF",
  // Bidirectional overrides and marks: make a log line or a masked address read backwards.
  "\u202E",
  "\u202D",
  "\u200F",
  "\u2067",
  // Zero-width characters: make two different strings look the same.
  "\u200B",
  "\u200C",
  "\u200D",
  "\uFEFF",
  "\u2060",
  // Control characters, NUL first: C-string truncation and log injection.
  "\u0000",
  "\u0007",
  "\u001B[31m",
  "\n",
  "\r\n",
  "\t",
  // A combining mark and multi-code-point graphemes: split in the middle by naive slicing.
  "e\u0301",
  "\u0301",
  "👩‍👩‍👧",
  "🇬🇧",
  // Digits that are not ASCII digits: fullwidth, Arabic-Indic, Devanagari.
  "１２３４５６",
  "٠١٢٣٤٥",
  "१२३४५६",
  // Characters that change length or meaning when normalised or case-folded.
  "ﬀ",
  "İ",
  "ß",
  "Ω",
  // Quoting, escaping and template syntax.
  '"',
  "'",
  "\\",
  "\\u0000",
  "${7*7}",
  "{{7*7}}",
  "%00",
  "%2e%2e/",
  "</script>",
  "@",
  "+",
  ",",
  // Property names that must never reach an object as properties.
  "__proto__",
  "constructor",
  "prototype",
];

let tricky: fc.Arbitrary<string> | undefined;

/** Short strings made of tricky pieces and random text, in any unicode. Built once, and shared: arbitraries are immutable. */
export function trickyString(): fc.Arbitrary<string> {
  tricky ??= fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 24 }),
    // Any code point, lone surrogates included (fast-check's "binary" unit leaves those out, and costs a second to build).
    fc.string({ unit: fc.nat({ max: 0x10ffff }).map((codePoint) => String.fromCodePoint(codePoint)), maxLength: 24 }),
    fc.array(fc.oneof(fc.constantFrom(...TRICKY_PIECES), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join("")),
  );
  return tricky;
}

/** One mebibyte: "huge" means at least this many UTF-16 code units (and at least as many UTF-8 bytes). */
export const ONE_MEBIBYTE = 1 << 20;

/**
 * A string of at least 1 MiB, built by repeating a short generated unit: cheap to make, and
 * still the kind of text (digits, base64, JSON punctuation, surrogates) each check must refuse.
 */
export function hugeString(): fc.Arbitrary<string> {
  return fc
    .record({
      unit: fc.oneof(fc.constantFrom("9", "A", "[", "{", "a@", "+4", "\uD800", "\u200B", "é"), fc.string({ minLength: 1, maxLength: 8 })),
      size: fc.constantFrom(ONE_MEBIBYTE, ONE_MEBIBYTE + 1, 2 * ONE_MEBIBYTE),
    })
    .map(({ unit, size }) => unit.repeat(Math.ceil(size / unit.length)));
}

/**
 * Lengths the suite draws a line at, and one past each: event fields (128, 256, 2048), map values
 * (65 536), round metadata (2048), passkey answers (16 KiB), credential ids (1364).
 */
export const LIMIT_LENGTHS: readonly number[] = [128, 129, 256, 257, 1364, 1365, 2048, 2049, 16_384, 16_385, 65_536, 65_537];

/** A string exactly at or just past one of the suite's length limits. */
export function limitLengthString(): fc.Arbitrary<string> {
  return fc
    .record({ unit: fc.constantFrom("a", "7", "\u00e9", "\uD83D\uDE00"), length: fc.constantFrom(...LIMIT_LENGTHS) })
    .map(({ unit, length }) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
}

/**
 * Strings that make a backtracking regex work hard: long runs that almost match an address
 * pattern and fail at the very end. Kept under the 2048 characters an event field may hold, so
 * they reach the patterns instead of the length checks.
 */
export function regexBait(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(["a@", ".", " "], ["a@", ".a", "\n"], ["+", "1", "a"], ["", "a", "@@"], ["a@b", ".b", "."], ["", "a.", "@"]),
      fc.constantFrom(100, 1000, 2000),
    )
    .map(([[head, run, tail], length]) => head + run.repeat(Math.floor((length - head.length - tail.length) / run.length)) + tail);
}

/** Any hostile string: mostly short and tricky, sometimes at a limit, sometimes a megabyte. */
export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: trickyString(), weight: 6 },
    { arbitrary: limitLengthString(), weight: 2 },
    { arbitrary: regexBait(), weight: 1 },
    { arbitrary: hugeString(), weight: 1 },
  );
}
