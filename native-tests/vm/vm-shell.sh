#!/usr/bin/env bash
# vm-shell.sh: boots the test VM interactively with the NativeAOT nspawn-native installed and rxe0 set up as for
# the tests, and opens the nspawn-native REPL on the serial console, which is this terminal. Leaving the REPL
# (Ctrl-D or 'exit') powers the VM off; Ctrl-A X kills QEMU. Nothing persists: the disk is a throw-away snapshot.
# Env: VM_MEM, VM_CPUS, ACCEL, NSPAWN_NATIVE_VM_CACHE as for run-suite.sh.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
fail() { phase; echo "[vm] FAILED: $*" >&2; exit 1; }

phase "image"
"$NN_VM_DIR/build-image.sh" || fail "the VM image could not be built (see above)."
phase "publish"
mkdir -p "$NN_PUBLISH"; rm -rf "$NN_PUBLISH/bin"
publish_shell "$NN_PUBLISH/bin" || fail "publishing nspawn-native (NativeAOT) failed."
phase "boot"
SHARE=$(new_share) || fail "cannot create a share folder under '$NN_CACHE/runs'."
trap 'rm -rf "$SHARE"' EXIT
cp -a "$NN_PUBLISH/bin" "$SHARE/"
install -m 0644 "$NN_VM_DIR/in-guest/setup.sh" "$SHARE/setup.sh"
install -m 0755 "$NN_VM_DIR/in-guest/repl.sh" "$SHARE/repl.sh"
echo "${TERM:-vt100}" > "$SHARE/term"
if [ -t 0 ]; then stty size > "$SHARE/size" 2>/dev/null; fi
qemu_cmd "$SHARE" "quiet systemd.show_status=false systemd.mask=serial-getty@ttyS0.service"
echo "[vm] booting ($(qemu_accel_args | cut -d' ' -f2); about 35 s under TCG). Ctrl-D in the REPL powers off;" \
  "Ctrl-A X kills the VM."
"${QEMU[@]}" -serial mon:stdio
rc=$?
phase
exit $rc
