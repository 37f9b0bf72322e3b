#!/usr/bin/env bash
# samebytes.sh REV: build examples/ndrexplain at the git revision REV and
# from the working tree, run both with -json and with -json -lang ja over
# every file under testdata/bounces and, when present, ../shared/corpus
# and its newline variants, and fail when the outputs differ by a byte.
# It guards changes that must not alter any explanation (restructuring,
# speed work).
set -euo pipefail
cd "$(dirname "$0")/.."

rev=${1:?usage: scripts/samebytes.sh REV}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/src"
git archive "$rev" | tar -x -C "$tmp/src"
(cd "$tmp/src" && go build -o "$tmp/before" ./examples/ndrexplain)
go build -o "$tmp/after" ./examples/ndrexplain

inputs=()
while IFS= read -r f; do inputs+=("$f"); done < <(find testdata/bounces -type f | LC_ALL=C sort)
shared=../shared/corpus
if [ -d "$shared" ]; then
  for d in "$shared" "$shared/newline-variants/dos" "$shared/newline-variants/mac"; do
    [ -d "$d" ] && inputs+=("$d")
  done
fi

status=0
run() {
  local bin=$1 out=$2; shift 2
  # The exit status is 1 when some file cannot be explained; that is
  # compared through the output, not treated as a failure here.
  env LC_ALL= LC_MESSAGES= LANG=en_US.UTF-8 "$bin" "$@" "${inputs[@]}" >"$out" 2>&1 || true
}
for flags in "-json" "-json -lang ja"; do
  # shellcheck disable=SC2086
  run "$tmp/before" "$tmp/b.out" $flags
  # shellcheck disable=SC2086
  run "$tmp/after" "$tmp/a.out" $flags
  if cmp -s "$tmp/b.out" "$tmp/a.out"; then
    printf 'same bytes (%s): %d lines, %d inputs\n' "$flags" "$(wc -l <"$tmp/a.out")" "${#inputs[@]}"
  else
    printf 'DIFFERENT (%s):\n' "$flags"
    diff "$tmp/b.out" "$tmp/a.out" | head -40
    status=1
  fi
done
exit $status
