#!/usr/bin/env bash
# Proves the committed golden vectors came from real Django: regenerates them with the given Python's
# Django into a temporary file and fails on any byte of difference from test/fixtures/vectors/.
# Usage: scripts/django/check-vectors.sh [python]   (default /usr/bin/python3, Debian's python3-django)
set -euo pipefail
python=${1:-/usr/bin/python3}
here=$(cd "$(dirname "$0")/../.." && pwd)
version=$("$python" -c 'import django; print("%d.%d" % django.VERSION[:2])')
committed="$here/test/fixtures/vectors/django-$version.json"
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT

"$python" "$here/scripts/django/make_vectors.py" --output "$fresh"
if ! cmp -s "$committed" "$fresh"; then
  echo "check-vectors: ${committed#"$here"/} is not what Django $version writes (regenerate it with make_vectors.py):" >&2
  diff -u "$committed" "$fresh" | head -40 >&2
  exit 1
fi
echo "check-vectors: ${committed#"$here"/} is byte-identical to what Django $version writes"
