// Python's str.split(sep, maxsplit) and int() as the hashers' decode() use them, bounded: a stored hash is
// at most a varchar(128), and a parameter Python would accept but no encode() writes (signs, spaces,
// underscores, leading zeros) can never verify, so refusing it changes no verdict.

/** The column Django stores hashes in is varchar(128); anything longer is refused before any work. */
export const MAX_ENCODED_LENGTH = 1024;

/** str.split(sep, maxsplit): at most maxsplit + 1 pieces, the last one keeping further separators. */
export function splitMax(value: string, sep: string, maxsplit: number): string[] {
  const parts: string[] = [];
  let rest = value;
  while (parts.length < maxsplit) {
    const at = rest.indexOf(sep);
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + sep.length);
  }
  parts.push(rest);
  return parts;
}

/** A decimal parameter as "%d" writes it, within [min, max]; null for anything else. */
export function decimalParameter(text: string, min: number, max: number): number | null {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}
