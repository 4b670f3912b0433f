#!/usr/bin/env bash
# Runs the unit tests here, then the integration suite in the test VM, and ends with one summary line
# "N passed, N failed, N skipped". Options: --unit-only, --native-only.
set -uo pipefail
cd "$(dirname "$0")/.."
DOTNET=${DOTNET:-dotnet}
mode=all
case "${1:-}" in --unit-only) mode=unit ;; --native-only) mode=native ;; "") ;; *) echo "usage: $0 [--unit-only|--native-only]" >&2; exit 2 ;; esac

RESULTS=${TEST_RESULTS:-$PWD/artifacts/test-results}
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
passed=0 failed=0 skipped=0 rc=0

# Adds the counters of one TRX file to the totals.
count_trx() {
  local c; c=$(grep -o '<Counters [^>]*>' "$1" | head -1)
  local t p f; t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$c"); p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$c")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$c")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${p:-0} - ${f:-0}))
}

if [ "$mode" != native ]; then
  for proj in interop/NspawnNative.Interop.Tests src/NspawnNative.Shell.Tests; do
    name=$(basename "$proj")
    echo "=== unit tests: $name"
    if ! $DOTNET test "$proj" -c Release --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
        --logger "console;verbosity=normal" 2>&1 | grep -vE '^\s*$|Passed [A-Z]' ; then :; fi
    [ "${PIPESTATUS[0]}" = 0 ] || rc=1
    if [ -f "$RESULTS/$name.trx" ]; then count_trx "$RESULTS/$name.trx"; else echo "no results from $name" >&2; rc=1; fi
  done
fi

if [ "$mode" != unit ]; then
  echo "=== integration tests in the test VM"
  if [ -x native-tests/vm/run-suite.sh ]; then
    suite_ok=1
    native-tests/vm/run-suite.sh "$RESULTS" || { rc=1; suite_ok=0; }
    failed_before=$failed
    for trx in "$RESULTS"/native/*.trx; do [ -f "$trx" ] && count_trx "$trx"; done
    # A VM run that failed without a failing test (no result, time-out, setup error, no test ran) is a failure too.
    if [ $suite_ok = 0 ] && [ "$failed" = "$failed_before" ]; then
      echo "the integration suite failed without reporting a failing test; counted as 1 failure" >&2
      failed=$((failed + 1))
    fi
  else
    echo "native-tests/vm/run-suite.sh is missing" >&2; rc=1
  fi
fi

[ "$failed" = 0 ] || rc=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $rc
