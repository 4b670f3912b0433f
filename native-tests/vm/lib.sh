# Sourced by run-suite.sh and vm-shell.sh: paths, phase timing, publishing, and the QEMU command line.
NN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NN_VM_DIR=$NN_ROOT/native-tests/vm
NN_CACHE=${NSPAWN_NATIVE_VM_CACHE:-/var/cache/nspawn-native-vm}
NN_IMAGE=$NN_CACHE/image
NN_PUBLISH=$NN_ROOT/artifacts/vm
DOTNET=${DOTNET:-dotnet}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# phase NAME: ends the previous phase (printing its duration) and starts NAME; "phase" alone ends the last one.
_phase_name="" _phase_t0=0
phase() {
  local now; now=$(date +%s)
  [ -n "$_phase_name" ] && echo "[vm] phase '$_phase_name' took $(( now - _phase_t0 ))s"
  _phase_name=${1:-}; _phase_t0=$now
  [ -n "$_phase_name" ] && echo "[vm] phase '$_phase_name' started at $(date -u +%T)"
  return 0
}

# publish_shell DIR: the NativeAOT nspawn-native, as 'make publish' builds it.
publish_shell() {
  $DOTNET publish "$NN_ROOT/src/NspawnNative.Shell/NspawnNative.Shell.csproj" -c Release -p:PublishAot=true \
    -o "$1" -v quiet -nologo -clp:ErrorsOnly && [ -x "$1/nspawn-native" ]
}

# publish_tests DIR: the integration tests, self-contained (the guest has no .NET) and ReadyToRun (less JIT
# work under TCG emulation).
publish_tests() {
  $DOTNET publish "$NN_ROOT/native-tests/NspawnNative.NativeTests/NspawnNative.NativeTests.csproj" -c Release \
    -r linux-x64 --self-contained -p:PublishReadyToRun=true -o "$1" -v quiet -nologo -clp:ErrorsOnly &&
    [ -x "$1/NspawnNative.NativeTests" ]
}

# The accelerator: KVM only with a real VT-x/AMD-V module loaded (a nested "kvm_pvm" /dev/kvm cannot run the
# Debian kernel at a usable speed), TCG otherwise. ACCEL=kvm|tcg overrides.
qemu_accel_args() {
  local accel=${ACCEL:-auto}
  if [ "$accel" = auto ]; then
    if [ -r /dev/kvm ] && [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
      accel=kvm; else accel=tcg; fi
  fi
  if [ "$accel" = kvm ]; then echo "-accel kvm -cpu host"; else echo "-accel tcg,thread=multi -cpu max"; fi
}

# qemu_cmd SHARE_DIR EXTRA_KERNEL_ARGS: prints nothing, fills the array QEMU. The disk is opened with
# snapshot=on: guest writes go to a temporary overlay, so runs never change the image and may run in parallel.
qemu_cmd() {
  local share=$1 append=$2
  # shellcheck disable=SC2207
  QEMU=(qemu-system-x86_64 $(qemu_accel_args) -machine q35 -m "${VM_MEM:-4096}" -smp "${VM_CPUS:-2}"
    -kernel "$NN_IMAGE/vmlinuz" -initrd "$NN_IMAGE/initrd.img"
    -append "root=/dev/vda rw console=ttyS0,115200 panic=-1 $append"
    -drive "file=$NN_IMAGE/rootfs.img,if=virtio,format=raw,snapshot=on,cache=unsafe"
    -virtfs "local,path=$share,mount_tag=host0,security_model=none,id=host0"
    -netdev user,id=n0,restrict=on -device virtio-net-pci,netdev=n0
    -display none -vga none -no-reboot)
}

# new_share: a fresh share folder for one boot, under the cache (printed).
new_share() {
  mkdir -p "$NN_CACHE/runs" && mktemp -d "$NN_CACHE/runs/run.XXXXXX"
}

# vm_lock: waits until no other VM run of this cache is booted, then holds the lock until this script exits. Two
# emulated guests on a 2-core machine only slow each other down; NN_VM_PARALLEL=1 lets runs overlap.
vm_lock() {
  [ "${NN_VM_PARALLEL:-0}" = 1 ] && return 0
  mkdir -p "$NN_CACHE"
  exec 8>"$NN_CACHE/.vm.lock"
  if ! flock -n 8; then
    echo "[vm] another VM run holds '$NN_CACHE/.vm.lock'; waiting for it (NN_VM_PARALLEL=1 skips the wait)"
    flock 8
  fi
}
