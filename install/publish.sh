#!/usr/bin/env bash
# Publishes self-contained packages of the agent and prints their sizes (see install/README.md).
#
# How a package is built lives in src/MidirEdge.Cli/MidirEdge.Cli.csproj ("Publishing"), so this script,
# install.sh (which calls it for the machine's RID), install.ps1 and a hand-typed `dotnet publish -r RID` all
# build the same thing:
# - self-contained: the box needs no .NET runtime;
# - ReadyToRun: measured on linux-x64, `read` on an OPUS file went from 0.49 s to 0.31 s and `predict` from 0.99 s
#   to 0.39 s (less JIT at start); the packages grow by about 10 MB. Crossgen2 compiles linux-arm64 and win-x64
#   on an x64 machine too.
# - composite ReadyToRun (framework and agent in one image, midir-edge.r2r.dll), measured on linux-x64 with
#   `bench agent` and the 7 demo models: methods jitted from start to `online` and 5 s idle 3,510 -> 740, start-up
#   0.99-1.15 s -> 0.56-0.69 s of processor time on a quiet machine; the folder grows from 183 to 220 MiB, and
#   crossgen2 compiles the whole framework, so a publish took 6-8 minutes on the 2-core VM.
# - not trimmed, measured on linux-x64: PublishTrimmed turns the trim analyser on, and with TreatWarningsAsErrors the
#   build stops at the reflection-based System.Text.Json calls of our own code (PreprocessingPipeline, BundleWriter,
#   ManifestValidation, ModelBundle). With those warnings let through, the package shrinks from 155 MB to 75 MB and
#   `read`, `scatter` and `run` (LiteDB cache, embedded MQTTnet broker, Kestrel health) still work, although LiteDB
#   reports trim warnings of its own (IL2104: its BsonMapper maps by reflection); but trimming also switches
#   System.Text.Json's reflection off, so `predict` and `models install` refuse every bundle ("manifest.json:
#   Reflection-based serialization has been disabled"). The bundle and preprocessing JSON is now source-generated
#   (BundleJsonContext, PreprocessingJsonContext), so that refusal should be gone; not measured again. MQTTnet, System.CommandLine and ScottPlot raised no trim warning; the
#   native libraries (ONNX Runtime, SkiaSharp, HarfBuzz) are kept whole either way.
# - not Native AOT, tried on linux-x64 (PublishAot with the analyser warnings let through, gcc as linker): it builds a
#   31 MB executable and `read` works, but `run` refuses every setting as unknown (the settings check walks the option
#   classes by reflection, which trimming empties; the options binding is reflection-based as well), `predict` refuses
#   every bundle as above, and LiteDB reports AOT warnings of its own (IL3053). The configuration-binding source generator
#   and the JSON contexts are now in; it still needs a settings schema that is not reflected.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: install/publish.sh [OPTIONS]

Publishes the agent self-contained (ReadyToRun) for each runtime, packs each folder into an archive
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

for rid in "${rids[@]}"; do
  folder=$output/$rid
  echo "midir-edge: publishing $rid (self-contained, ReadyToRun)"
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
