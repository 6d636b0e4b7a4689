#!/usr/bin/env bash
# Removes the MidirEdge agent installed by install/install.sh (see install/README.md).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: sudo install/uninstall.sh [OPTIONS]

Stops and disables the service and removes the binaries and the systemd unit. The settings and the
data folder (cache, models, inbox, archive, quarantine) are kept unless --purge is given.

Options:
  --prefix DIR       binaries (default /opt/midir-edge)
  --config-dir DIR   settings (default /etc/midir-edge)
  --data-dir DIR     cache, models and inbox (default /var/lib/midir-edge)
  --user NAME        service account (default midir-edge); --purge deletes it if its home is the data folder
  --purge            also delete the settings, the data folder and the service account
  --no-service       do not touch the systemd unit or call systemctl
  --root DIR         act on a tree staged with install.sh --root DIR
  --help             show this help
EOF
}

die() {
  echo "uninstall.sh: $*" >&2
  exit 1
}

prefix=/opt/midir-edge
config_dir=/etc/midir-edge
data_dir=/var/lib/midir-edge
user=midir-edge
root=
service=1
purge=0

while (($# > 0)); do
  option=$1
  case $option in
    --help | -h) usage; exit 0 ;;
    --no-service) service=0; shift; continue ;;
    --purge) purge=1; shift; continue ;;
    --prefix | --config-dir | --data-dir | --user | --root) ;;
    --*=*) set -- "${option%%=*}" "${option#*=}" "${@:2}"; continue ;;
    *) die "unknown option '$option' (see --help)" ;;
  esac
  if (($# < 2)) || [[ -z $2 ]]; then die "$option needs a value (see --help)"; fi
  case $option in
    --prefix) prefix=$2 ;;
    --config-dir) config_dir=$2 ;;
    --data-dir) data_dir=$2 ;;
    --user) user=$2 ;;
    --root) root=$2 ;;
  esac
  shift 2
done

for pair in "--prefix:$prefix" "--config-dir:$config_dir" "--data-dir:$data_dir"; do
  value=${pair#*:}
  [[ $value =~ ^/[A-Za-z0-9._/@+-]*$ && $value != / ]] ||
    die "${pair%%:*} must be an absolute path of letters, digits and ._/@+- (got '$value')"
done
prefix=${prefix%/} config_dir=${config_dir%/} data_dir=${data_dir%/}

if [[ -n $root ]]; then
  [[ -d $root ]] || die "--root $root is not a folder"
  root=$(cd -- "$root" && pwd)
elif ((EUID != 0)); then
  die "must run as root (sudo install/uninstall.sh), or act on a staged tree with --root DIR"
fi

say() { echo "midir-edge: $*"; }
live() { [[ -z $root ]]; }

dest_prefix=$root$prefix
dest_unit=$root/etc/systemd/system/midir-edge.service

if ((service)); then
  if live && [[ -d /run/systemd/system ]] && systemctl cat midir-edge.service >/dev/null 2>&1; then
    say "stopping and disabling the service"
    systemctl disable --now midir-edge.service
  fi
  if [[ -e $dest_unit ]]; then
    rm -f -- "$dest_unit"
    say "removed $dest_unit"
    if live && [[ -d /run/systemd/system ]]; then systemctl daemon-reload; fi
  fi
fi

if [[ -e $dest_prefix ]]; then
  [[ -x $dest_prefix/midir-edge ]] || die "$dest_prefix holds no midir-edge: refusing to delete it (check --prefix)"
  rm -rf -- "$dest_prefix"
  say "removed $dest_prefix"
fi
if [[ -x $dest_prefix.previous/midir-edge ]]; then
  rm -rf -- "$dest_prefix.previous"
  say "removed $dest_prefix.previous (kept by the last upgrade for --rollback)"
fi

if ((purge)); then
  if [[ -e $root$data_dir ]]; then
    # Only a folder the agent made: a mistyped --data-dir must not take /var/lib with it.
    [[ -e $root$data_dir/midir-edge.db || -d $root$data_dir/inbox || -d $root$data_dir/models ]] ||
      die "$root$data_dir does not look like a MidirEdge data folder: refusing to delete it (check --data-dir)"
    rm -rf -- "$root$data_dir"
    say "removed $root$data_dir"
  fi
  rm -f -- "$root$config_dir/midir-edge.json"
  if [[ -d $root$config_dir ]]; then rmdir --ignore-fail-on-non-empty -- "$root$config_dir"; fi
  say "removed the settings in $root$config_dir"
  if live && [[ $(getent passwd -- "$user" | cut -d: -f6) == "$data_dir" ]]; then
    userdel -- "$user"
    say "removed user $user"
  fi
else
  say "kept the settings in $root$config_dir and the data in $root$data_dir (--purge deletes them)"
fi
