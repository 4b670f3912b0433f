#!/bin/bash
# Runs in the guest as /mnt/host/run.sh (by nn-runner.service): sets up rxe0, then runs the integration test
# executable with the arguments the host wrote to xunit-args, writing a TRX into the share.
set -u
H=/mnt/host
up() { cut -d' ' -f1 /proc/uptime; }
echo "guest: systemd $(systemctl --version | head -1 | cut -d' ' -f2), kernel $(uname -r), uptime $(up)s," \
  "state $(systemctl is-system-running)"
. $H/setup.sh
nn_setup || exit 3
mapfile -t args < $H/xunit-args
mkdir -p $H/results
echo "guest: running the integration tests (uptime $(up)s): ${args[*]}"
cd $H/tests || exit 3
./NspawnNative.NativeTests -noLogo -noColor -parallel none -reporter verbose -trx $H/results/NspawnNative.NativeTests.trx \
  "${args[@]}"
rc=$?
echo "guest: tests exited with $rc (uptime $(up)s)"
exit $rc
