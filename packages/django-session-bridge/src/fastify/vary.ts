/** A Vary header value that includes Cookie, keeping what was there. */
export function varyCookie(current: unknown): string {
  const text = Array.isArray(current) ? current.join(', ') : typeof current === 'string' || typeof current === 'number' ? String(current) : '';
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.some((name) => name === '*' || name.toLowerCase() === 'cookie')) return names.join(', ');
  return [...names, 'Cookie'].join(', ');
}
