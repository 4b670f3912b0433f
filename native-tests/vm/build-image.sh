#!/usr/bin/env bash
# Builds the test VM: a Debian 12 guest (real systemd as PID 1, machined, dbus, rdma-core, soft-RoCE) plus a small
# container rootfs baked in at /srv/ctr-rootfs. Output, in the cache folder:
#   vmlinuz, initrd.img   the guest's own Debian kernel and initramfs
#   rootfs.img            raw ext4 root filesystem (booted with snapshot=on, so it is never changed)
#
# Stages leave stamps holding the hash of their recipe (the stage's code, its package list, the guest files it
# installs and the stamps it depends on). A stage runs again when its hash differs; a stage whose inputs did not
# change is skipped. Downloaded packages stay in a package cache across rebuilds.
#
# Env: NSPAWN_NATIVE_VM_CACHE (default /var/cache/nspawn-native-vm), MIRROR (default: the Debian mirror apt uses
# on this host), FORCE=1 (rebuild every stage). Needs root.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${NSPAWN_NATIVE_VM_CACHE:-/var/cache/nspawn-native-vm}
B=$CACHE/image
DEBS=$CACHE/debs
SUITE=bookworm
GUEST_PKGS=systemd,systemd-sysv,systemd-container,dbus,udev,libpam-systemd,rdma-core,ibverbs-utils,ibverbs-providers
GUEST_PKGS+=,perftest,infiniband-diags,iproute2,kmod,procps,python3,bpftool,linux-image-amd64,initramfs-tools,zstd
CTR_PKGS=systemd,systemd-sysv,dbus,libpam-systemd,rdma-core,ibverbs-utils,ibverbs-providers,perftest,iproute2,procps
IMG_EXTRA_MB=2048   # free space in the guest for machine copies and logs

log() { echo "[build-image $(date -u +%T)] $*"; }
die() { echo "build-image: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot); run it as root or through 'sudo make vm-image'."
"$HERE/../install-deps.sh"

# The Debian mirror apt uses here (deb822 "URIs:" or a classic "deb URL suite" line).
detect_mirror() {
  { grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
    grep -hE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}'
  } | grep -E '/debian/?$' | head -1 || true
}
MIRROR=${MIRROR:-$(detect_mirror)}
[ -n "$MIRROR" ] || die "found no Debian mirror in /etc/apt/sources.list*; set MIRROR=<url of a Debian archive>."

# hash_of WORDS...: sha256 of the given text, with "@file" words replaced by the file's content.
hash_of() {
  local w
  for w in "$@"; do
    if [[ $w == @* ]]; then cat "${w#@}"; else printf '%s\n' "$w"; fi
  done | sha256sum | cut -c1-16
}
# run_stage NAME HASH FUNCTION: runs FUNCTION unless the stamp of NAME holds HASH.
run_stage() {
  local name=$1 hash=$2 fn=$3 t0
  if [ "${FORCE:-0}" != 1 ] && [ "$(cat "$B/.stamp-$name" 2>/dev/null)" = "$hash" ]; then
    log "stage $name: up to date ($hash)"; return 0
  fi
  rm -f "$B/.stamp-$name"
  t0=$(date +%s); log "stage $name: building ($hash)"
  "$fn"
  echo "$hash" > "$B/.stamp-$name"
  log "stage $name: done in $(( $(date +%s) - t0 ))s"
}

# ---------------------------------------------------------------- stages
stage_rootfs() {   # the guest's packages, untouched
  rm -rf "$B/rootfs.base"
  debootstrap --variant=minbase --cache-dir="$DEBS" --include="$GUEST_PKGS" "$SUITE" "$B/rootfs.base" "$MIRROR"
  chroot "$B/rootfs.base" apt-get clean
}

stage_config() {   # a configured copy: network, share mount, runner services, initramfs
  local R=$B/rootfs
  rm -rf "$R"; cp -a "$B/rootfs.base" "$R"
  echo nnvm > "$R/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 nnvm\n::1 localhost ip6-localhost ip6-loopback\n' > "$R/etc/hosts"
  install -m 0644 "$HERE/guest/fstab" "$R/etc/fstab"
  mkdir -p "$R/mnt/host" "$R/var/lib/machines" "$R/etc/systemd/nspawn"
  chroot "$R" passwd -d root >/dev/null
  install -D -m 0644 "$HERE/guest/10-nic.network" "$R/etc/systemd/network/10-nic.network"
  chroot "$R" systemctl enable systemd-networkd.service >/dev/null 2>&1
  install -D -m 0644 "$HERE/guest/wait-online.conf" \
    "$R/etc/systemd/system/systemd-networkd-wait-online.service.d/override.conf"
  install -D -m 0644 "$HERE/guest/autologin.conf" "$R/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf"
  install -D -m 0755 "$HERE/guest/nn-runner" "$R/usr/local/sbin/nn-runner"
  install -m 0644 "$HERE/guest/nn-runner.service" "$HERE/guest/nn-repl.service" "$R/etc/systemd/system/"
  chroot "$R" systemctl enable nn-runner.service nn-repl.service >/dev/null 2>&1
  printf '9p\n9pnet_virtio\nvirtio_pci\nvirtio_blk\nvirtio_net\n' >> "$R/etc/initramfs-tools/modules"
  chroot "$R" update-initramfs -u -k all >/dev/null 2>&1
  chroot "$R" apt-get clean
}

stage_ctr() {      # the container rootfs
  rm -rf "$B/ctr-rootfs"
  debootstrap --variant=minbase --cache-dir="$DEBS" --include="$CTR_PKGS" "$SUITE" "$B/ctr-rootfs" "$MIRROR"
  echo nnctr > "$B/ctr-rootfs/etc/hostname"
  chroot "$B/ctr-rootfs" passwd -d root >/dev/null
  : > "$B/ctr-rootfs/etc/machine-id"   # every machine copy gets its own id on first boot
  chroot "$B/ctr-rootfs" apt-get clean
  # Tests copy this tree for every machine they start, and copying is slow under emulation: leave out what a
  # test container never reads (apt lists, translations, documentation).
  rm -rf "$B/ctr-rootfs"/var/lib/apt/lists/* "$B/ctr-rootfs"/usr/share/{locale,doc,man,info}/*
  rm -f "$B/ctr-rootfs"/var/cache/apt/*.bin
}

stage_image() {    # kernel + initramfs out, the ext4 image with the container rootfs inside
  local R=$B/rootfs kver used_mb size_mb
  kver=$(ls "$R/lib/modules" | sort -V | tail -1)
  cp -L "$R/boot/vmlinuz-$kver" "$B/vmlinuz.tmp" && mv "$B/vmlinuz.tmp" "$B/vmlinuz"
  cp -L "$R/boot/initrd.img-$kver" "$B/initrd.img.tmp" && mv "$B/initrd.img.tmp" "$B/initrd.img"
  echo "$kver" > "$B/kernel-version"
  rm -rf "$R/srv/ctr-rootfs"; cp -a "$B/ctr-rootfs" "$R/srv/ctr-rootfs"
  used_mb=$(du -sm "$R" | cut -f1); size_mb=$(( used_mb + used_mb / 5 + IMG_EXTRA_MB ))
  rm -f "$B/rootfs.img.tmp"; truncate -s "${size_mb}M" "$B/rootfs.img.tmp"
  mkfs.ext4 -q -F -L rootfs -d "$R" "$B/rootfs.img.tmp"
  rm -rf "$R/srv/ctr-rootfs"
  mv "$B/rootfs.img.tmp" "$B/rootfs.img"
}

# ---------------------------------------------------------------- recipe hashes and the run
GUEST_FILES=()
for f in "$HERE"/guest/*; do GUEST_FILES+=("$(basename "$f")" "@$f"); done
h_rootfs=$(hash_of "$(declare -f stage_rootfs)" "$SUITE" "$GUEST_PKGS")
h_config=$(hash_of "$h_rootfs" "$(declare -f stage_config)" "${GUEST_FILES[@]}")
h_ctr=$(hash_of "$(declare -f stage_ctr)" "$SUITE" "$CTR_PKGS")
h_image=$(hash_of "$h_config" "$h_ctr" "$(declare -f stage_image)" "$IMG_EXTRA_MB")

mkdir -p "$B" "$DEBS"
exec 9>"$CACHE/.build.lock"
flock -w 3600 9 || die "another build holds '$CACHE/.build.lock'."
t_start=$(date +%s)
run_stage rootfs "$h_rootfs" stage_rootfs
run_stage config "$h_config" stage_config
run_stage ctr "$h_ctr" stage_ctr
run_stage image "$h_image" stage_image
log "image ready in $(( $(date +%s) - t_start ))s: kernel $(cat "$B/kernel-version"), $B/rootfs.img" \
  "$(du -h --apparent-size "$B/rootfs.img" | cut -f1) ($(du -h "$B/rootfs.img" | cut -f1) allocated)"
