#!/usr/bin/env bash
# Rebuilds the demo bundles in demo/models from the yamsys soil table with the project's own builder.
# Every pipeline of `model build --auto` is cross-validated (folds grouped by soil sample) and the best is kept per target.
set -euo pipefail
cd "$(dirname "$0")/.."
data=tests/fixtures/data/yamsys/yamsys_dev.csv.gz
description="Demo: PLS on Bruker Alpha DRIFT spectra of 74 West-African soils (Burkina Faso, Côte d'Ivoire; Baumann et al. 2021). Not for agronomic decisions on other soils."
dotnet build src/MidirEdge.Agent -c Release -v quiet -nologo >/dev/null
cli="dotnet src/MidirEdge.Agent/bin/Release/net10.0/midir-edge.dll"
while read -r target unit; do
  $cli model build --data "$data" --target "$target" --group sample_id --auto \
    --id "demo-yamsys-$target" --version 1.0.0 --author MidirEdge --unit "$target=$unit" --description "$description" \
    --out "demo/models/demo-yamsys-$target.zip"
done <<'TARGETS'
C g/kg
N g/kg
pH pH
clay %
CEC_eff cmol(+)/kg
ex_Ca mg/kg
ex_K mg/kg
TARGETS
