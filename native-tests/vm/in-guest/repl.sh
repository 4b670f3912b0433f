#!/bin/bash
# Runs in the guest as /mnt/host/repl.sh (by nn-repl.service) on the serial console: sets up rxe0 like the test
# run, then opens the nspawn-native REPL. The service powers the VM off when this ends.
H=/mnt/host
. $H/setup.sh
export TERM=$(cat $H/term 2>/dev/null || echo vt100) HOME=/root
read -r rows cols < $H/size 2>/dev/null && [ "${rows:-0}" -gt 0 ] && stty rows "$rows" cols "$cols"
stty sane
echo
if ! nn_setup; then
  echo "setup failed; here is a root shell instead (exit powers the VM off)."; exec /bin/bash -l
fi
cd /root
echo "nspawn-native REPL in the test VM: systemd $(systemctl --version | head -1 | cut -d' ' -f2), rxe0 on" \
  "$NSPAWN_NATIVE_NETDEV, container rootfs at /srv/ctr-rootfs. Leaving the REPL powers the VM off."
/usr/local/bin/nspawn-native
echo "powering off"
