/**
 * path without its trailing '/' characters. A loop from the end: /\/+$/ retries from every slash and
 * rescans the run, quadratic in the length of a header such as X-Forwarded-Prefix.
 */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end -= 1;
  return path.slice(0, end);
}
