#!/usr/bin/env bash
# system-share.sh: what the system collectors (accounts, packages, services, network, kernel,
# scheduled tasks, OS) add to a `driftwatch check` of this live host with the default rules.
# Two baselines of the same host — default rules with every collector, and the same rules with
# none — are checked alternately N times; the report gives medians and the collectors' share.
#
# Usage: bench/system-share.sh [--runs N] [--out FILE]
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
RUNS=5
OUT_FILE=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --out) OUT_FILE=$2; shift 2 ;;
    *) sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
  esac
done

DW="node $REPO_DIR/bin/driftwatch.js"
WORK=$(mktemp -d /var/tmp/dw-system-share.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# The built-in live-host rules, as JSON (a YAML document), with and without collectors.
node --input-type=module -e "
import { LIVE_HOST_RULES } from '$REPO_DIR/dist/collect/index.js'
import { writeFileSync } from 'node:fs'
writeFileSync('$WORK/with.yaml', JSON.stringify(LIVE_HOST_RULES))
writeFileSync('$WORK/without.yaml', JSON.stringify({ ...LIVE_HOST_RULES, collect: [] }))
"

for variant in with without; do
  $DW init --quiet --rules "$WORK/$variant.yaml" --db "$WORK/$variant.db" --key "$WORK/k.key" > /dev/null
done

measure() { # prints wall seconds of one check
  local start end
  start=$(date +%s.%N)
  $DW check --quiet --db "$WORK/$1.db" --key "$WORK/k.key" --format json > "$WORK/$1.json" || [[ $? -eq 1 ]]
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

declare -a WITH WITHOUT SNAP
for ((i = 1; i <= RUNS; i++)); do
  if ((i % 2)); then WITH+=("$(measure with)"); WITHOUT+=("$(measure without)")
  else WITHOUT+=("$(measure without)"); WITH+=("$(measure with)"); fi
  start=$(date +%s.%N)
  $DW snapshot --format json > "$WORK/snapshot.json"
  end=$(date +%s.%N)
  SNAP+=("$(echo "$end - $start" | bc)")
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m_with=$(printf '%.2f' "$(median "${WITH[@]}")")
m_without=$(printf '%.2f' "$(median "${WITHOUT[@]}")")
m_snap=$(printf '%.2f' "$(median "${SNAP[@]}")")
system_elements=$(node -e "const s=require('$WORK/snapshot.json'); console.log(s.elements.length)")
file_elements=$(node -e "const r=require('$WORK/without.json'); console.log(r.check.scanned.entries)")
share=$(printf '%.1f' "$(echo "scale=4; ($m_with - $m_without) / $m_with * 100" | bc)")

report=$(cat <<MD
### System collectors' share of a live-host check (\`bench/system-share.sh --runs $RUNS\`)

- $(date -u +%Y-%m-%dT%H:%MZ), nproc $(nproc), node $(node --version); default live-host rules; $RUNS alternating runs, medians
- files checked: $file_elements elements; system elements: $system_elements

| command | median wall (s) |
|---|---|
| check, files + all system collectors | $m_with |
| check, files only (\`collect: []\`) | $m_without |
| snapshot, system collectors only | $m_snap |

System collectors' share of the check: **${share}%** ($(printf '%.2f' "$(echo "$m_with - $m_without" | bc)") s).
MD
)
echo "$report"
[[ -n $OUT_FILE ]] && printf '%s\n\n' "$report" >> "$OUT_FILE"
exit 0
