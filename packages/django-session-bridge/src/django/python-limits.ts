/**
 * sys.int_info.default_max_str_digits (Python 3.11 and later): int() of a decimal string with more
 * digits raises ValueError, and so does json.loads of such an integer literal. Checking it before
 * converting also keeps BigInt's super-linear decimal parsing off long inputs.
 */
export const MAX_INT_STR_DIGITS = 4300;
