/**
 * Small named pieces that DynamoDB condition expressions are built from, so a rule reads in
 * one line (`allOf(notYetRecorded("#round"), underLimit("#sent", ":max"))`) and each piece is
 * tested once. Arguments are expression placeholders (`#name`, `:value`), never raw values.
 */

/** The attribute has never been written on this item. */
export function notYetRecorded(name: string): string {
  return `attribute_not_exists(${name})`;
}

/** A counter that is absent (nothing counted yet) or still below its limit. */
export function underLimit(counter: string, limit: string): string {
  return `(attribute_not_exists(${counter}) OR ${counter} < ${limit})`;
}

/** Every piece must hold. */
export function allOf(...pieces: readonly string[]): string {
  return pieces.join(" AND ");
}
