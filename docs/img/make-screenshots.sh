#!/usr/bin/env bash
# Regenerates the README's pictures from the current code:
#   dashboard.png       the agent's dashboard (http://127.0.0.1:9464/) after a run over demo spectra, in headless Chromium
#   plot-spectrum.png   midir-edge plot spectrum (three demo spectra overlaid)
#   plot-scalogram.png  midir-edge plot scalogram --J 4 --Q 12
#   evaluate.png        midir-edge model evaluate --plot (demo ex_K model on the YaMSys table)
# Needs: dotnet, chromium and chromium-driver (apt-get install -y chromium chromium-driver), curl, python3.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$repo/docs/img"
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 300); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "no answer from $1" >&2; return 1; }

dotnet build "$repo/src/MidirEdge.Cli" -c Release -v quiet -nologo >/dev/null
agent=("dotnet" "$repo/src/MidirEdge.Cli/bin/Release/net10.0/midir-edge.dll")

# --- command-line plots
spectra="$repo/demo/spectra"
"${agent[@]}" plot spectrum "$spectra/BF_lo_01_soil_cal.1" "$spectra/BF_lo_04_soil_cal.0.csv" "$spectra/BF_lo_07_soil_cal.0.csv" --out "$out/plot-spectrum.png"
"${agent[@]}" plot scalogram "$spectra/BF_lo_01_soil_cal.1" --J 4 --Q 12 --out "$out/plot-scalogram.png"
"${agent[@]}" model evaluate --model "$repo/demo/models/demo-yamsys-ex_K.zip" --data "$repo/tests/fixtures/data/yamsys/yamsys_dev.csv.gz" --plot "$out/evaluate.png" >/dev/null

# --- the dashboard: an agent with the seven demo models and its own broker, fed one spectrum a second
mkdir -p "$work/inbox" "$work/models" "$work/staging"
cp "$repo"/demo/models/*.zip "$work/models/"
http="$(free_port)"
"${agent[@]}" run --MidirEdge:Site=demo-lab --MidirEdge:Instrument=alpha-1 --MidirEdge:DataDir="$work/data" \
  --MidirEdge:Models:Path="$work/models" --MidirEdge:Adapters:FileWatch:Path="$work/inbox" "--MidirEdge:Adapters:FileWatch:Include:0=*" \
  --MidirEdge:Adapters:FileWatch:StableFor=00:00:00.200 --MidirEdge:Adapters:FileWatch:RescanInterval=00:00:00.200 \
  --MidirEdge:Mqtt:Port="$(free_port)" --MidirEdge:Health:Url="http://127.0.0.1:$http" >"$work/agent.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$http/healthz"

# Spectra of the YaMSys table (one CSV per spectrum), the demo OPUS file, a file the QC rejects and a truncated OPUS file.
python3 - "$repo/tests/fixtures/data/yamsys/yamsys_dev.csv.gz" "$work/staging" <<'PY'
import csv, gzip, sys
with gzip.open(sys.argv[1], "rt") as f:
    rows = csv.reader(f)
    header = next(rows)
    first = next(i for i, h in enumerate(header) if h[:1].isdigit())
    for n, row in enumerate(rows):
        if n % 9: continue
        with open(f"{sys.argv[2]}/{row[0]}.csv", "w") as out:
            out.write("wavenumber,absorbance\n")
            out.writelines(f"{x},{y}\n" for x, y in zip(header[first:], row[first:]))
PY
head -c 9000 "$repo/tests/fixtures/data/opus/BF_lo_01_soil_cal.1" >"$work/staging/run-42_truncated.0"
cp "$spectra/617262_1TP_C-1_A5.0" "$work/staging/"
cp "$spectra/BF_lo_01_soil_cal.1" "$work/staging/"
for file in "$work"/staging/*; do mv "$file" "$work/inbox/"; sleep 0.7; done
sleep 2

# Chromium through chromium-driver's WebDriver API: open the page, wait until it has drawn, take the screenshot.
driver="$(free_port)"
chromedriver --port="$driver" >"$work/driver.log" 2>&1 &
pids+=($!)
wd="http://127.0.0.1:$driver"
wait_for "$wd/status"
session=$(curl -fs "$wd/session" -H 'Content-Type: application/json' -d "{\"capabilities\":{\"alwaysMatch\":{\"goog:chromeOptions\":{
  \"binary\":\"/usr/bin/chromium\",\"args\":[\"--headless\",\"--no-sandbox\",\"--disable-gpu\",\"--disable-dev-shm-usage\",\"--hide-scrollbars\",
  \"--no-first-run\",\"--disable-background-networking\",\"--disable-component-update\",\"--disable-sync\",\"--window-size=1400,2350\",
  \"--user-data-dir=$work/chromium\"]}}}}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["value"]["sessionId"])')
curl -fs "$wd/session/$session/url" -H 'Content-Type: application/json' -d "{\"url\":\"http://127.0.0.1:$http/\"}" >/dev/null
for _ in $(seq 1 100); do
  ready=$(curl -fs "$wd/session/$session/execute/sync" -H 'Content-Type: application/json' \
    -d '{"script":"return document.body.dataset.ready === \"true\" && document.querySelectorAll(\"#spectra-chart canvas\").length > 0","args":[]}' \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["value"])')
  [ "$ready" = "True" ] && break
  sleep 0.2
done
sleep 1
curl -fs "$wd/session/$session/screenshot" | python3 -c 'import base64, json, sys; sys.stdout.buffer.write(base64.b64decode(json.load(sys.stdin)["value"]))' >"$out/dashboard.png"
curl -fs -X DELETE "$wd/session/$session" >/dev/null
echo "Wrote $out/dashboard.png, plot-spectrum.png, plot-scalogram.png, evaluate.png"
