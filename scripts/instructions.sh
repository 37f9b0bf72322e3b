#!/usr/bin/env bash
# instructions.sh - count the instructions of one pass of the ndr benchmarks
# over the test bounces, the figures the README's speed section gives.
#
# Usage: scripts/instructions.sh [BENCHMARK ...]
#   BENCHMARK: a benchmark of ./ndr (default: BenchmarkExplain BenchmarkWalkOnly)
#
# Each benchmark runs under valgrind's cachegrind (apt-get install valgrind)
# for 2 and for 22 passes, with garbage collection off and one thread
# running Go code; the difference divided by 20 is the count of one pass,
# without start-up. Counts are the same from run to run within a few
# hundredths of a percent, whatever else the machine does. valgrind does
# not know the instruction (RDTSCP) that Go's runtime reads the clock with
# while it waits for a lock; a run that meets it stops, and is run again.
set -euo pipefail
cd "$(dirname "$0")/.."

benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(BenchmarkExplain BenchmarkWalkOnly)
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go test -c -o "$work/ndr.test" ./ndr

# count BENCH N: the instructions of a run of N passes.
count() {
	local log="$work/run.log"
	for _ in $(seq 1 30); do
		if (cd ndr && GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 \
			valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
			"$work/ndr.test" -test.run '^$' -test.bench "^$1\$" -test.benchtime="$2x" -test.count=1 -test.cpu=1) >"$log" 2>&1 &&
			grep -q "^$1" "$log" && ! grep -q "Unrecognised instruction" "$log"; then
			awk '/I *refs:/ { gsub(",", "", $NF); print $NF }' "$log"
			return
		fi
	done
	echo "instructions.sh: $1 did not complete under valgrind" >&2
	exit 1
}

messages=$(find testdata/bounces -type f \( -name '*.eml' -o -name '*.txt' \) | wc -l)
for b in "${benches[@]}"; do
	lo=$(count "$b" 2)
	hi=$(count "$b" 22)
	pass=$(((hi - lo) / 20))
	echo "$b: $pass instructions per pass over $messages messages, $((pass / messages)) per message"
done
