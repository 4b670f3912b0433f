#!/usr/bin/env bash
# run-suite.sh RESULTS_DIR: runs the integration suite (native-tests/NspawnNative.NativeTests) in the test VM.
#   1. builds the VM image if its recipe changed (build-image.sh; a no-op when up to date)
#   2. publishes nspawn-native (NativeAOT) and the test executable (self-contained, ReadyToRun)
#   3. boots a throw-away guest (disk snapshot=on) that sets up rxe0 and runs the tests, streaming their output
#   4. copies back RESULTS_DIR/native/: NspawnNative.NativeTests.trx, guest-output.log, guest-journal.txt,
#      serial.log; on failure prints the failing tests and the tail of the guest journal
# Exit status: 0 only when the guest ran at least one test and none failed.
# Env: NATIVE_FILTER (which tests, see native-tests/README.md), NATIVE_TIMEOUT (seconds for the whole boot,
# default 2700), VM_MEM (MiB, default 4096), VM_CPUS (default 2), ACCEL (kvm|tcg|auto), KEEP_RUN=1 (keep the
# share folder), NSPAWN_NATIVE_VM_CACHE (image cache).
set -uo pipefail
RESULTS=${1:?usage: run-suite.sh RESULTS_DIR}
. "$(dirname "$0")/lib.sh"
OUT=$RESULTS/native
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
TIMEOUT=${NATIVE_TIMEOUT:-2700}
fail() { phase; echo "[vm] FAILED: $*" >&2; exit 1; }

# NATIVE_FILTER -> xunit arguments, one per line. Words (space or comma separated) select a class, a namespace
# part or a Class.Method; a trailing '*' is a wildcard. A filter starting with '-' is passed to xunit as is.
filter_args() {
  local f=$1 w words
  if [[ $f == -* ]]; then read -ra words <<<"$f"; printf '%s\n' "${words[@]}"; return; fi
  read -ra words <<<"${f//,/ }"
  for w in "${words[@]}"; do
    if [[ $w == *'*' ]]; then printf -- '-method\n*.%s\n' "$w"
    else printf -- '-method\n*.%s.*\n-method\n*.%s\n' "$w" "$w"; fi
  done
}

phase "image"
"$NN_VM_DIR/build-image.sh" || fail "the VM image could not be built (see above)."

phase "publish"
rm -rf "$NN_PUBLISH"; mkdir -p "$NN_PUBLISH"
publish_shell "$NN_PUBLISH/bin" || fail "publishing nspawn-native (NativeAOT) failed."
publish_tests "$NN_PUBLISH/tests" || fail "publishing the integration tests failed."

phase "boot and test"
vm_lock
find "$NN_CACHE/runs" -maxdepth 1 -name 'run.*' -mmin +1440 -exec rm -rf {} + 2>/dev/null
SHARE=$(new_share) || fail "cannot create a share folder under '$NN_CACHE/runs'."
cp -a "$NN_PUBLISH/bin" "$NN_PUBLISH/tests" "$SHARE/"
install -m 0755 "$NN_VM_DIR/in-guest/run-tests.sh" "$SHARE/run.sh"
install -m 0644 "$NN_VM_DIR/in-guest/setup.sh" "$SHARE/setup.sh"
filter_args "${NATIVE_FILTER:-}" > "$SHARE/xunit-args"
echo $(( TIMEOUT > 300 ? TIMEOUT - 90 : TIMEOUT )) > "$SHARE/timeout"
qemu_cmd "$SHARE" "systemd.show_status=auto"
echo "[vm] $(qemu_accel_args | cut -d' ' -f2), ${VM_CPUS:-2} vCPU, ${VM_MEM:-4096} MiB, time-out ${TIMEOUT}s," \
  "filter: ${NATIVE_FILTER:-(all tests)}; share $SHARE"
timeout --kill-after=10 "$TIMEOUT" "${QEMU[@]}" -monitor none -serial "file:$SHARE/serial.log" </dev/null &
qpid=$!
# The guest writes out.log through 9p as the tests run: show it live.
tail --pid=$qpid -n +1 -F "$SHARE/out.log" 2>/dev/null | sed -u 's/^/  guest| /' &
wait $qpid; qrc=$?
sleep 1

phase "results"
mkdir -p "$OUT"   # a unit-test run started meanwhile may have cleared the results folder
for f in out.log:guest-output.log journal.txt:guest-journal.txt serial.log:serial.log; do
  [ -f "$SHARE/${f%%:*}" ] && cp "$SHARE/${f%%:*}" "$OUT/${f#*:}"
done
TRX=$OUT/NspawnNative.NativeTests.trx
rm -f "$TRX"
[ -f "$SHARE/results/NspawnNative.NativeTests.trx" ] && cp "$SHARE/results/NspawnNative.NativeTests.trx" "$TRX"
if [ -f "$SHARE/rc" ]; then grc=$(cat "$SHARE/rc"); why="the guest test run exited with $grc"
elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then grc=124; why="TIME-OUT: the VM did not finish in ${TIMEOUT}s"
else grc=125; why="NO RESULT: the VM stopped (qemu exit $qrc) without reporting an exit status"; fi
[ "${KEEP_RUN:-0}" = 1 ] || rm -rf "$SHARE"

total=0 failed=0
if [ -f "$TRX" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$TRX" | head -1)
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  echo "[vm] guest results: ${total:-?} tests, ${passed:-?} passed, ${failed:-?} failed"
  grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$TRX" | sed -n 's/.*testName="\([^"]*\)".*/[vm]   FAILED \1/p'
else
  echo "[vm] no TRX came back from the guest."
fi
ok=1
[ "$grc" = 0 ] || ok=0
[ -f "$TRX" ] || ok=0
[ "${failed:-1}" = 0 ] || ok=0
if [ "${total:-0}" = 0 ]; then ok=0; why="no test ran (does NATIVE_FILTER='${NATIVE_FILTER:-}' match any test?); $why"; fi
if [ $ok = 0 ]; then
  if [ -f "$OUT/guest-journal.txt" ]; then
    echo "[vm] tail of the guest journal ($OUT/guest-journal.txt):"; tail -n 60 "$OUT/guest-journal.txt" | sed 's/^/  journal| /'
  elif [ -f "$OUT/serial.log" ]; then
    echo "[vm] no guest journal; tail of the serial console ($OUT/serial.log):"; tail -n 40 "$OUT/serial.log" | sed 's/^/  serial| /'
  fi
  phase; echo "[vm] integration suite FAILED: $why"; exit 1
fi
phase; echo "[vm] integration suite passed ($total tests); results in $OUT"
