const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** django.core.signing.b62_encode (baseconv.base62 before Django 4.0). */
export function b62Encode(value) {
    if (value === 0)
        return '0';
    const sign = value < 0 ? '-' : '';
    let rest = Math.abs(value);
    let encoded = '';
    while (rest > 0) {
        encoded = DIGITS[rest % 62] + encoded;
        rest = Math.floor(rest / 62);
    }
    return sign + encoded;
}
/** django.core.signing.b62_decode. Returns null where Django raises (a character outside the alphabet). */
export function b62Decode(text) {
    if (text === '')
        return null;
    if (text === '0')
        return 0;
    const negative = text.startsWith('-');
    const digits = negative ? text.slice(1) : text;
    let value = 0;
    for (const char of digits) {
        const digit = DIGITS.indexOf(char);
        if (digit < 0)
            return null;
        value = value * 62 + digit;
    }
    return negative ? -value : value;
}
//# sourceMappingURL=base62.js.map