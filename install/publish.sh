#!/usr/bin/env bash
# Publishes self-contained packages of the agent and prints their sizes (see install/README.md).
#
# How a package is built lives in src/MidirEdge.Cli/MidirEdge.Cli.csproj ("Publishing"), so this script,
# install.sh (which calls it for the machine's RID), install.ps1 and a hand-typed `dotnet publish -r RID` all
# build the same thing:
# - self-contained: the box needs no .NET runtime;
# - Linux (linux-x64, linux-arm64): Native AOT, one native executable with no JIT and no IL. Measured on linux-x64
#   with `bench agent`, the 7 demo models and 2,000 files, side by side with the composite ReadyToRun package it
#   replaces: start-up 0.21-0.24 s against 0.6-1.1 s, resident 83 MB with files one at a time and 119 MB after the
#   burst against 152 and 199-205 MB, the same throughput; the folder shrinks from 220 to about 78 MiB (ONNX Runtime
#   and SkiaSharp stay native libraries beside it). linux-x64 targets x86-64-v3 (AVX2, FMA): the default x64 target
#   has 128-bit vectors only, and scattering ran 2.3x slower on it. Native AOT links with clang (or gcc) on the
#   building machine; an arm64 package built on x64 needs clang, lld, llvm-objcopy and Debian's arm64 C libraries
#   (the check below names them). What cannot run natively: ML.NET's tree learners (gbt, rf) generate code at run
#   time, so `model build` refuses them in one line there; the framework-dependent build and the win-x64 package
#   build them. Trimming keeps our own assemblies and LiteDB whole, which the agent reflects over (settings schema,
#   options binding, JSON of its own types).
# - win-x64: Native AOT cannot be built across operating systems, so composite ReadyToRun (framework and agent in one
#   image, midir-edge.r2r.dll): measured on linux-x64, methods jitted from start to `online` 3,510 -> 740, start-up
#   0.99-1.15 s -> 0.56-0.69 s of processor time; crossgen2 compiles the whole framework, 6-8 minutes on 2 cores.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: install/publish.sh [OPTIONS]

Publishes the agent self-contained for each runtime (Native AOT for Linux, ReadyToRun for Windows), packs each folder into an archive
(.tar.gz for Linux, .zip for Windows), and prints the size of every folder and archive.

Options:
  --rid RID      linux-x64, linux-arm64 or win-x64; repeat for several (default: all three)
  --output DIR   where the folders DIR/RID and the archives go (default: artifacts/publish in the repository)
  --no-archive   publish the folders only
  --help         show this help
EOF
}

die() {
  echo "publish.sh: $1" >&2
  exit "${2:-1}"
}

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname -- "$script_dir")

rids=()
output=$repo_dir/artifacts/publish
archive=1

while (($# > 0)); do
  option=$1
  case $option in
    --help | -h) usage; exit 0 ;;
    --no-archive) archive=0; shift; continue ;;
    --rid | --output) ;;
    --*=*) set -- "${option%%=*}" "${option#*=}" "${@:2}"; continue ;;
    *) die "unknown option '$option' (see --help)" 2 ;;
  esac
  if (($# < 2)) || [[ -z $2 ]]; then die "$option needs a value (see --help)" 2; fi
  case $option in
    --rid)
      case $2 in
        linux-x64 | linux-arm64 | win-x64) rids+=("$2") ;;
        *) die "--rid must be linux-x64, linux-arm64 or win-x64 (got '$2')" 2 ;;
      esac ;;
    --output) output=$2 ;;
  esac
  shift 2
done
((${#rids[@]} > 0)) || rids=(linux-x64 linux-arm64 win-x64)

command -v dotnet >/dev/null 2>&1 || die "dotnet not found: install the .NET 10 SDK"
mkdir -p -- "$output" || die "cannot create --output $output"
output=$(cd -- "$output" && pwd)
if ((archive)); then
  command -v tar >/dev/null 2>&1 || die "tar not found (needed for the archives; or pass --no-archive)"
  [[ " ${rids[*]} " != *" win-x64 "* ]] || command -v zip >/dev/null 2>&1 ||
    die "zip not found (needed for the win-x64 archive; install zip, or pass --no-archive)"
fi

mib() { awk -v bytes="$1" 'BEGIN { printf "%.1f MiB", bytes / 1048576 }'; }

# Native AOT links the Linux packages with the machine's C toolchain; say what is missing before a long build.
for rid in "${rids[@]}"; do
  [[ $rid == linux-* ]] || continue
  command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 ||
    die "$rid is built with Native AOT, which links with clang or gcc: install one (Debian: apt-get install clang)"
  if [[ $rid == linux-arm64 && $(uname -m) != aarch64 ]]; then
    missing=()
    for tool in clang ld.lld llvm-objcopy; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
    for file in /usr/lib/aarch64-linux-gnu/crt1.o /usr/lib/gcc/aarch64-linux-gnu/12/libgcc.a /usr/lib/aarch64-linux-gnu/libz.a; do
      [[ -e $file ]] || missing+=("$file")
    done
    ((${#missing[@]} == 0)) || die "linux-arm64 on $(uname -m) needs a cross toolchain, missing: ${missing[*]} (Debian: dpkg --add-architecture arm64; apt-get install clang lld llvm libc6-dev:arm64 libgcc-12-dev:arm64 libstdc++-12-dev:arm64 zlib1g-dev:arm64)"
  fi
done

for rid in "${rids[@]}"; do
  folder=$output/$rid
  if [[ $rid == linux-* ]]; then kind="Native AOT"; else kind="ReadyToRun"; fi
  echo "midir-edge: publishing $rid (self-contained, $kind)"
  rm -rf -- "$folder"
  dotnet publish "$repo_dir/src/MidirEdge.Cli" -c Release -r "$rid" -o "$folder" \
    --nologo -v quiet --disable-build-servers || die "dotnet publish for $rid failed"
  [[ -e $folder/midir-edge || -e $folder/midir-edge.exe ]] || die "dotnet publish produced no midir-edge in $folder"
  line="$rid: folder $(mib "$(du -sb -- "$folder" | cut -f1)") in $folder"
  if ((archive)); then
    if [[ $rid == win-* ]]; then
      package=$output/midir-edge-$rid.zip
      rm -f -- "$package"
      (cd -- "$folder" && zip -q -r -9 "$package" .) || die "cannot pack $package"
    else
      package=$output/midir-edge-$rid.tar.gz
      tar -C "$folder" -czf "$package" . || die "cannot pack $package"
    fi
    line+=", archive $(mib "$(stat -c %s -- "$package")") in $package"
  fi
  echo "midir-edge: $line"
done
