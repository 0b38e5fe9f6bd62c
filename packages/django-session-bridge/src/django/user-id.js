// Python's int() accepts any Unicode decimal digit (category Nd), with single underscores between digits,
// an optional sign, and surrounding whitespace.
const PYTHON_INT = /^[+-]?\p{Nd}+(?:_\p{Nd}+)*$/u;
// str.isspace(): JavaScript's \s minus U+FEFF, plus the C0 separators U+001C–U+001F and U+0085.
const SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PYTHON_WHITESPACE = new RegExp(`^${SPACE}+|${SPACE}+$`, 'gu');
const DECIMAL_DIGIT = /\p{Nd}/u;
/** A Unicode decimal digit's value: Nd digits come in runs of ten starting at zero. */
function digitValue(char) {
    const code = char.codePointAt(0);
    let start = code;
    while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1)))
        start -= 1;
    return (code - start) % 10;
}
/**
 * The user's primary key as Django reads `_auth_user_id`: AutoField.to_python, i.e. Python's int().
 * Returns null where Django would raise ValidationError (and so never log the visitor in), and
 * 'none' for JSON null, which Django passes on and finds no user for.
 */
export function parseUserId(value) {
    if (value === null)
        return 'none';
    if (typeof value === 'boolean')
        return value ? 1n : 0n;
    if (typeof value === 'number')
        return Number.isFinite(value) ? BigInt(Math.trunc(value)) : null;
    if (typeof value !== 'string')
        return null;
    const text = value.replace(PYTHON_WHITESPACE, '');
    if (!PYTHON_INT.test(text))
        return null;
    let digits = '';
    for (const char of text) {
        if (char === '_')
            continue;
        digits += char === '+' || char === '-' ? char : String(digitValue(char));
    }
    return BigInt(digits);
}
//# sourceMappingURL=user-id.js.map