# Sourced in the guest before the tests and before the REPL (not baked into the image: it travels in the share).
# nn_setup: soft-RoCE device rxe0 on the NIC with its GIDs, the NativeAOT shell at /usr/local/bin/nspawn-native,
# and the environment the integration tests read (see native-tests/NspawnNative.NativeTests/Guest.cs).
nn_setup() {
  local H=/mnt/host nic i gid0 gid1
  nic=$(ip -o link show | awk -F': ' '$2 ~ /^(en|eth)/ {print $2; exit}')
  [ -n "$nic" ] || { echo "setup: no ethernet NIC in the guest" >&2; ip -br link >&2; return 1; }
  modprobe rdma_rxe || { echo "setup: modprobe rdma_rxe failed" >&2; return 1; }
  # rdma_cm comes from rdma_ucm, which rdma-core's udev rules load at some point; tests need it now.
  modprobe rdma_ucm || { echo "setup: modprobe rdma_ucm failed" >&2; return 1; }
  rdma link show rxe0/1 >/dev/null 2>&1 || rdma link add rxe0 type rxe netdev "$nic" ||
    { echo "setup: 'rdma link add rxe0 type rxe netdev $nic' failed" >&2; return 1; }
  # GID 0 comes from the NIC's IPv6 link-local address (after DAD), GID 1 from its IPv4 address.
  for i in $(seq 1 120); do
    gid0=$(cat /sys/class/infiniband/rxe0/ports/1/gids/0 2>/dev/null)
    gid1=$(cat /sys/class/infiniband/rxe0/ports/1/gids/1 2>/dev/null)
    [[ $gid0 == fe80:* && $gid1 == 0000:0000:0000:0000:0000:ffff:* && -c /dev/infiniband/uverbs0 &&
       -c /dev/infiniband/rdma_cm ]] && break
    sleep 0.5
  done
  [[ $gid0 == fe80:* && -c /dev/infiniband/uverbs0 && -c /dev/infiniband/rdma_cm ]] ||
    { echo "setup: rxe0 has no link-local GID, or uverbs0 or rdma_cm is missing after 60 s (gid0='$gid0')" >&2
      ip addr >&2; ls -l /dev/infiniband >&2; return 1; }
  if [ -x "$H/bin/nspawn-native" ]; then
    install -m 0755 "$H/bin/nspawn-native" /usr/local/bin/nspawn-native
    # Native libraries published beside the binary (a package's own .so) go where dlopen finds them.
    if compgen -G "$H/bin/*.so" >/dev/null; then install -m 0755 "$H"/bin/*.so /usr/local/lib/ && ldconfig; fi
  else
    echo "setup: no nspawn-native in the share; /usr/local/bin/nspawn-native is not installed" >&2
  fi
  export NSPAWN_NATIVE_VM=1 NSPAWN_NATIVE_BIN=/usr/local/bin/nspawn-native NSPAWN_NATIVE_NETDEV=$nic
  echo "setup: rxe0 on $nic, gid0 $gid0, gid1 $gid1, $(ls /dev/infiniband | tr '\n' ' ')"
}
