/**
 * `items`, once there are at least `minimum` of them: a loop over golden vectors must never pass by running
 * nothing, as it would if a generator, a loader or a filter lost them. Throws naming what fell short.
 */
export function atLeast<T>(minimum: number, items: readonly T[], what: string): readonly T[] {
  if (items.length < minimum) throw new Error(`expected at least ${minimum} ${what}, found ${items.length}`);
  return items;
}
