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

/** A deadline (epoch milliseconds) still ahead of `now`; an item without one has none ahead. */
export function notExpired(expiresAt: string, now: string): string {
  return `${expiresAt} > ${now}`;
}

/** The attribute holds exactly this value (an absent attribute holds none). */
export function holds(name: string, value: string): string {
  return `${name} = ${value}`;
}
