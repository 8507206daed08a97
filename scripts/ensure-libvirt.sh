#!/usr/bin/env bash
# Makes sure virsh and libvirtd are installed, as the libvirt connector's tests expect: they run
# libvirt's built-in test driver through virsh, and a throwaway libvirtd serving it. Nothing is
# started here (the tests start their own daemon on a temporary socket). Idempotent and quiet.
set -euo pipefail

if command -v virsh >/dev/null && [[ -x /usr/sbin/libvirtd ]]; then exit 0; fi
if [[ $(id -u) -ne 0 ]]; then
  echo "virsh or libvirtd is missing: apt-get install libvirt-clients libvirt-daemon (as root)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The test driver is built into libvirt itself: no hypervisor driver, no QEMU is needed.
apt-get install -y -qq --no-install-recommends libvirt-clients libvirt-daemon >/dev/null
echo "installed libvirt-clients and libvirt-daemon ($(virsh --version))"
