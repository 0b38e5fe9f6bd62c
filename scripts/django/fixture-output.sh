# Sourced by the shell generators in scripts/django/: the same --check as fixture_output.py's.
# finish_fixture FRESH COMMITTED GENERATOR VERSION CHECK: with CHECK=1, compares the regenerated FRESH with the
# committed file byte for byte, prints one line, and exits non-zero naming the file on a difference; otherwise
# moves FRESH into place.
finish_fixture() {
  local fresh=$1 committed=$2 generator=$3 version=$4 check=$5
  local repo where
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  where=${committed#"$repo"/}
  if [ "$check" != 1 ]; then
    cat "$fresh" > "$committed"
    echo "wrote $where" >&2
    return
  fi
  if [ ! -f "$committed" ]; then
    echo "check-fixtures: FAIL $where is missing: Django $version writes it (run $generator)" >&2
    exit 1
  fi
  if ! cmp -s "$committed" "$fresh"; then
    diff -u "$committed" "$fresh" | head -40 >&2
    echo "check-fixtures: FAIL $where differs from what Django $version writes (regenerate it with $generator)" >&2
    exit 1
  fi
  echo "check-fixtures: ok $where is byte-identical to what Django $version writes"
}
