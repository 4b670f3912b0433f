#!/usr/bin/env bash
# run-script.sh SCRIPT [FILE...]: a debugging aid. Boots a throw-away test VM, runs SCRIPT there as root with
# rxe0 set up and nspawn-native installed (from artifacts/vm/bin when present), prints its output as it runs,
# and exits with its status (124 time-out, 125 no result). FILEs are copied next to it (/mnt/host in the guest).
# Env: NATIVE_TIMEOUT (default 900), VM_MEM, VM_CPUS, ACCEL, KEEP_RUN=1 as for run-suite.sh.
set -uo pipefail
SCRIPT=${1:?usage: run-script.sh SCRIPT [FILE...]}; shift
. "$(dirname "$0")/lib.sh"
TIMEOUT=${NATIVE_TIMEOUT:-900}
[ -f "$NN_IMAGE/rootfs.img" ] || { echo "no VM image: run 'make vm-image' first" >&2; exit 2; }
SHARE=$(new_share) || exit 2
[ -d "$NN_PUBLISH/bin" ] && cp -a "$NN_PUBLISH/bin" "$SHARE/"
install -m 0644 "$NN_VM_DIR/in-guest/setup.sh" "$SHARE/setup.sh"
{ echo '. /mnt/host/setup.sh; nn_setup || exit 3'
  cat "$SCRIPT"; } > "$SHARE/run.sh"
for f in "$@"; do cp -a "$f" "$SHARE/"; done
echo $(( TIMEOUT > 300 ? TIMEOUT - 90 : TIMEOUT )) > "$SHARE/timeout"
qemu_cmd "$SHARE" "systemd.show_status=auto"
vm_lock
timeout --kill-after=10 "$TIMEOUT" "${QEMU[@]}" -monitor none -serial "file:$SHARE/serial.log" </dev/null &
qpid=$!
tail --pid=$qpid -n +1 -F "$SHARE/out.log" 2>/dev/null &
wait $qpid; qrc=$?
sleep 1
if [ -f "$SHARE/rc" ]; then rc=$(cat "$SHARE/rc")
elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then echo "run-script: TIME-OUT after ${TIMEOUT}s" >&2; rc=124
else echo "run-script: no result; serial tail:" >&2; tail -20 "$SHARE/serial.log" >&2; rc=125; fi
if [ "${KEEP_RUN:-0}" = 1 ]; then echo "run-script: kept $SHARE" >&2; else rm -rf "$SHARE"; fi
exit "$rc"
