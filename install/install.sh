#!/usr/bin/env bash
# Installs or upgrades the MidirEdge agent as a systemd service (see install/README.md).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: sudo install/install.sh [OPTIONS]

Publishes the agent (self-contained, for this machine's architecture) or takes an already published
folder, installs it with a config file, a data folder and a systemd unit, and starts the service.
Running it again upgrades in place: the service is stopped, the binaries replaced, and it is started
again; the config file and the data folder are never overwritten.

Options:
  --prefix DIR       binaries (default /opt/midir-edge)
  --config-dir DIR   settings; midir-edge.json is written there only if absent (default /etc/midir-edge)
  --data-dir DIR     cache, models and inbox (default /var/lib/midir-edge)
  --user NAME        account the service runs as, created if missing (default midir-edge)
  --from DIR         install this published folder instead of running dotnet publish
  --no-service       do not install the systemd unit or call systemctl
  --rollback         put back the version the last upgrade replaced (kept in PREFIX.previous) and
                     restart the service; settings and data are not touched; run it again to return
  --root DIR         stage everything under DIR (like DESTDIR) for packaging or tests; no
                     account is created and systemctl is not called
  --help             show this help
EOF
}

die() {
  echo "install.sh: $*" >&2
  exit 1
}

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

prefix=/opt/midir-edge
config_dir=/etc/midir-edge
data_dir=/var/lib/midir-edge
user=midir-edge
from=
root=
service=1
rollback=0

while (($# > 0)); do
  option=$1
  case $option in
    --help | -h) usage; exit 0 ;;
    --no-service) service=0; shift; continue ;;
    --rollback) rollback=1; shift; continue ;;
    --prefix | --config-dir | --data-dir | --user | --from | --root) ;;
    --*=*) set -- "${option%%=*}" "${option#*=}" "${@:2}"; continue ;;
    *) die "unknown option '$option' (see --help)" ;;
  esac
  if (($# < 2)) || [[ -z $2 ]]; then die "$option needs a value (see --help)"; fi
  case $option in
    --prefix) prefix=$2 ;;
    --config-dir) config_dir=$2 ;;
    --data-dir) data_dir=$2 ;;
    --user) user=$2 ;;
    --from) from=$2 ;;
    --root) root=$2 ;;
  esac
  shift 2
done

# Paths end up in a systemd unit and a JSON file unquoted: keep them plain.
for pair in "--prefix:$prefix" "--config-dir:$config_dir" "--data-dir:$data_dir"; do
  value=${pair#*:}
  [[ $value =~ ^/[A-Za-z0-9._/@+-]*$ && $value != / ]] ||
    die "${pair%%:*} must be an absolute path of letters, digits and ._/@+- (got '$value')"
done
prefix=${prefix%/} config_dir=${config_dir%/} data_dir=${data_dir%/}
[[ $user =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || die "--user must be a plain account name (got '$user')"

if [[ -n $root ]]; then
  mkdir -p -- "$root" || die "cannot create --root $root"
  root=$(cd -- "$root" && pwd)
elif ((EUID != 0)); then
  die "must run as root (sudo install/install.sh), or stage with --root DIR"
fi

say() { echo "midir-edge: $*"; }
live() { [[ -z $root ]]; }                  # acting on this machine, not on a staged tree
systemd_on() { live && ((service)) && [[ -d /run/systemd/system ]]; }

dest_prefix=$root$prefix
dest_config=$root$config_dir
dest_data=$root$data_dir
dest_unit=$root/etc/systemd/system/midir-edge.service

# Rollback: swap the installed binaries with the ones the last upgrade replaced; nothing else changes.
if ((rollback)); then
  [[ -n $from ]] && die "--rollback takes no --from: it puts back $prefix.previous"
  [[ -x $dest_prefix.previous/midir-edge ]] || die "nothing to roll back to: $prefix.previous holds no midir-edge (it is kept by an upgrade)"
  was_active=0
  if systemd_on && systemctl is-active --quiet midir-edge.service; then
    say "stopping the running service"
    systemctl stop midir-edge.service
    was_active=1
  fi
  rm -rf -- "$dest_prefix.swap"
  [[ -e $dest_prefix ]] && mv -- "$dest_prefix" "$dest_prefix.swap"
  mv -- "$dest_prefix.previous" "$dest_prefix"
  [[ -e $dest_prefix.swap ]] && mv -- "$dest_prefix.swap" "$dest_prefix.previous"
  say "rolled back to $("$dest_prefix/midir-edge" --version 2>/dev/null || echo 'the previous agent') in $prefix; the version it replaced is in $prefix.previous (--rollback again returns to it)"
  if ((was_active)); then
    systemctl restart midir-edge.service || die "the service did not start; see: journalctl -u midir-edge -n 50"
    say "service started: systemctl status midir-edge"
  fi
  exit 0
fi

if [[ -n $from ]]; then
  [[ -d $from ]] || die "--from $from is not a folder"
  from=$(cd -- "$from" && pwd)
  [[ -x $from/midir-edge ]] || die "--from $from holds no midir-edge executable (use the output of dotnet publish)"
elif ! command -v dotnet >/dev/null 2>&1; then
  die "dotnet not found: install the .NET 10 SDK, or publish elsewhere and pass --from DIR"
fi

if [[ -e $dest_prefix && ! -x $dest_prefix/midir-edge ]] && [[ -n $(ls -A -- "$dest_prefix") ]]; then
  die "$dest_prefix is not empty and holds no midir-edge: refusing to replace it (choose another --prefix)"
fi

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

# 1. Binaries: publish while any running service keeps running.
if [[ -z $from ]]; then
  case $(uname -m) in
    x86_64 | amd64) rid=linux-x64 ;;
    aarch64 | arm64) rid=linux-arm64 ;;
    *) die "unsupported machine '$(uname -m)': MidirEdge runs on x86_64 and aarch64 (use a 64-bit OS)" ;;
  esac
  builder=()
  if [[ -n ${SUDO_USER:-} && $SUDO_USER != root ]] && live; then
    # Build as the person who ran sudo, so the repository's bin/ and obj/ stay theirs.
    chown -- "$SUDO_USER" "$work"
    builder=(runuser -u "$SUDO_USER" --)
  fi
  # The same package install/publish.sh builds (self-contained; Native AOT on Linux), for this machine only.
  "${builder[@]}" "$script_dir/publish.sh" --rid "$rid" --output "$work" --no-archive || exit 1  # publish.sh said why
  from=$work/$rid
  [[ -x $from/midir-edge ]] || die "dotnet publish produced no $from/midir-edge"
fi

# 2. The service account, with serial-port access.
if live && ! id -u -- "$user" >/dev/null 2>&1; then
  groups=()
  getent group dialout >/dev/null && groups=(--groups dialout)
  say "creating system user $user"
  useradd --system --user-group "${groups[@]}" --home-dir "$data_dir" --no-create-home \
    --shell /usr/sbin/nologin --comment "MidirEdge agent" -- "$user" || die "cannot create user $user"
fi

group=$user
if live; then group=$(id -gn -- "$user"); fi

# 3. Stop, swap the binaries, and (below) start again.
mkdir -p -- "$(dirname -- "$dest_prefix")"
rm -rf -- "$dest_prefix.new"
# Copied, not preserved: the binaries belong to whoever installs (root), not to whoever published them.
cp -R -- "$from" "$dest_prefix.new"
chmod -R u+rwX,go+rX,go-w -- "$dest_prefix.new"
if systemd_on && systemctl is-active --quiet midir-edge.service; then
  say "stopping the running service"
  systemctl stop midir-edge.service
fi
# The replaced version is kept for install.sh --rollback (one generation).
if [[ -e $dest_prefix ]]; then
  rm -rf -- "$dest_prefix.previous"
  mv -- "$dest_prefix" "$dest_prefix.previous"
fi
mv -- "$dest_prefix.new" "$dest_prefix"
say "installed $("$dest_prefix/midir-edge" --version 2>/dev/null || echo agent) in $dest_prefix"

# 4. Data folder and settings; existing ones are kept as they are.
mkdir -p -- "$dest_data/inbox" "$dest_data/models" "$dest_config"
if live; then
  chown -- "$user:$group" "$dest_data" "$dest_data/inbox" "$dest_data/models"
  chmod 0750 -- "$dest_data"
  # Members of the group (a person, a Samba share's force group) may drop spectra into the inbox.
  chmod 2770 -- "$dest_data/inbox"
fi
config=$dest_config/midir-edge.json
if [[ -e $config ]]; then
  say "keeping the settings in $config"
else
  site=$(hostname 2>/dev/null || uname -n)
  site=${site%%.*}
  site=${site//[^A-Za-z0-9_-]/}
  cat >"$config" <<EOF
{
  "MidirEdge": {
    "Site": "${site:-lab}",
    "Instrument": "ftir-1",
    "DataDir": "$data_dir",
    "Adapters": {
      "FileWatch": {
        "Path": "$data_dir/inbox",
        "Include": [ "*" ]
      }
    },
    "Models": {
      "Path": "$data_dir/models"
    },
    "Mqtt": {
      "Host": "",
      "Port": 1883
    },
    "Health": {
      "Url": "http://127.0.0.1:9464"
    }
  }
}
EOF
  if live; then
    chown -- "root:$group" "$config"
    chmod 0640 -- "$config"
  fi
  say "wrote default settings to $config (Site ${site:-lab}, embedded MQTT broker on 127.0.0.1:1883)"
fi

# 5. The doctor: what the agent will meet (folders, models, broker, ports, disk, clock), one line each, before it starts.
# Problems are reported, not fatal: a fresh box has no model yet, and the technician installs one next.
check_args=(check --config "$config")
# A staged tree: the settings name the final paths, so point the check at the staged ones.
live || check_args+=("--MidirEdge:DataDir=$dest_data" "--MidirEdge:Models:Path=$dest_data/models" "--MidirEdge:Adapters:FileWatch:Path=$dest_data/inbox")
say "checking the installation: midir-edge check --config $config_dir/midir-edge.json"
if live && [[ $user != root ]] && id -u "$user" >/dev/null 2>&1; then
  check_run=(runuser -u "$user" -- "$dest_prefix/midir-edge" "${check_args[@]}")
else
  check_run=("$dest_prefix/midir-edge" "${check_args[@]}")
fi
"${check_run[@]}" || say "the check found problems (the lines marked ✖ above); fix them, then run it again: $prefix/midir-edge check --config $config_dir/midir-edge.json"

# 6. The systemd unit, with the paths and the account chosen above.
if ((service)); then
  unit_paths=(
    -e "s|^ExecStart=.*|ExecStart=$prefix/midir-edge run --config $config_dir/midir-edge.json|"
    -e "s|^WorkingDirectory=.*|WorkingDirectory=$data_dir|"
    -e "s|^ReadWritePaths=.*|ReadWritePaths=$data_dir|"
    -e "s|^User=.*|User=$user|"
    -e "s|^Group=.*|Group=$group|"
  )
  # StateDirectory= and ConfigurationDirectory= can only name folders under /var/lib and /etc.
  if [[ $data_dir == /var/lib/?* ]]; then
    unit_paths+=(-e "s|^StateDirectory=.*|StateDirectory=${data_dir#/var/lib/}|")
  else
    unit_paths+=(-e "/^StateDirectory/d")
  fi
  if [[ $config_dir == /etc/?* ]]; then
    unit_paths+=(-e "s|^ConfigurationDirectory=.*|ConfigurationDirectory=${config_dir#/etc/}|")
  else
    unit_paths+=(-e "/^ConfigurationDirectory=/d")
  fi
  mkdir -p -- "$(dirname -- "$dest_unit")"
  sed "${unit_paths[@]}" -- "$script_dir/midir-edge.service" >"$dest_unit"
  chmod 0644 -- "$dest_unit"
  if systemd_on; then
    systemctl daemon-reload
    systemctl enable midir-edge.service
    systemctl restart midir-edge.service || die "the service did not start; see: journalctl -u midir-edge -n 50"
    say "service started: systemctl status midir-edge; journalctl -u midir-edge -f"
  elif live; then
    say "installed $dest_unit, but systemd is not running here; start the agent with:"
    say "  runuser -u $user -- $prefix/midir-edge run --config $config_dir/midir-edge.json"
  else
    say "staged $dest_unit"
  fi
fi
