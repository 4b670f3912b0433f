#!/usr/bin/env bash
# Installs the Debian packages the tests need, only those missing. Root is needed only when one is missing.
set -euo pipefail
PKGS=(gcc libc6-dev libibverbs-dev dbus-daemon qemu-system-x86 qemu-utils debootstrap e2fsprogs bc)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing Debian packages: ${missing[*]}; run 'sudo $0' or install them." >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
