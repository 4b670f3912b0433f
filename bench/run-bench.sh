#!/usr/bin/env bash
# make bench: measures nspawn-native against what an operator would run instead, on the same machine in the
# same run, and reports ratios. Never a pass/fail gate: figures only.
#   1. host: the NativeAOT binary's size; BenchmarkDotNet micro-benchmarks of the config parser and the sysfs
#      reader (including discovery of a generated 16 HCA x 2 port x 256 GID tree)
#   2. test VM (real systemd, machined, rxe0): ping-pong against ibv_rc_pingpong, `list` against machinectl,
#      `hca show` against ibstat and ibv_devinfo, one-shot and warm, and the shell's peak RSS
#   3. bench/results/latest.md, and the summary in README.md between the bench markers
# Env: BENCH_SKIP_VM=1, BENCH_SKIP_HOST=1, BENCH_ROUNDS (ping-pong rounds, default 5), NATIVE_TIMEOUT.
set -euo pipefail
cd "$(dirname "$0")/.."
. native-tests/vm/lib.sh
OUT=$NN_ROOT/bench/results
mkdir -p "$OUT"
fail() { phase; echo "[bench] FAILED: $*" >&2; exit 1; }

phase "publish"
mkdir -p "$NN_PUBLISH"; rm -rf "$NN_PUBLISH/bin"
publish_shell "$NN_PUBLISH/bin" || fail "publishing nspawn-native (NativeAOT) failed."
stat -c %s "$NN_PUBLISH/bin/nspawn-native" > "$OUT/binary-bytes.txt"

if [ "${BENCH_SKIP_HOST:-0}" != 1 ]; then
  phase "host micro-benchmarks"
  rm -rf "$OUT/host"
  $DOTNET run -c Release --project bench/NspawnNative.Bench -- --artifacts "$OUT/host" ||
    fail "the BenchmarkDotNet run failed."
fi

if [ "${BENCH_SKIP_VM:-0}" != 1 ]; then
  phase "image"
  native-tests/vm/build-image.sh || fail "the VM image could not be built."
  phase "VM benchmarks"
  NATIVE_TIMEOUT=${NATIVE_TIMEOUT:-2400} native-tests/vm/run-script.sh bench/in-guest/run.sh bench/in-guest/bench.py \
    > "$OUT/guest.log" 2>&1 || { tail -40 "$OUT/guest.log" >&2; fail "the VM benchmark run failed (log: $OUT/guest.log)."; }
  sed -n '/^BENCH-JSON-BEGIN$/,/^BENCH-JSON-END$/p' "$OUT/guest.log" | sed '1d;$d' > "$OUT/guest.json"
  [ -s "$OUT/guest.json" ] || fail "the VM run printed no results (log: $OUT/guest.log)."
fi

phase "report"
python3 bench/render.py "$OUT" README.md "$(qemu_accel_args | cut -d' ' -f2 | cut -d, -f1)"
phase
cat "$OUT/latest.md"
