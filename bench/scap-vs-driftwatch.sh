#!/usr/bin/env bash
# scap-vs-driftwatch.sh: side-by-side benchmark of `driftwatch assess --policy debian-baseline`
# against OpenSCAP evaluating the SCAP Security Guide's Debian 12 content (standard profile) on
# this live machine, then a verdict-by-verdict cross-check of the tests that bench/ssg-map.yaml
# maps to SSG rules. Each command runs N times, the tools alternating within each run so that
# they share the machine's noise; the report gives medians and ratios as markdown on stdout
# (and appended to --out FILE).
#
# Usage: bench/scap-vs-driftwatch.sh [--runs N] [--out FILE] [--policy ID-OR-FILE] [--keep]
#
#   --runs N              timed runs per command (default 3)
#   --out FILE            also append the markdown report to FILE
#   --policy ID-OR-FILE   driftwatch policy (default debian-baseline; when it does not load,
#                         policies/debian-baseline.yaml by path, then privileged-access.yaml as
#                         a dry run; the report says which was used and why)
#   --keep                keep the work directory (ARF files, JSON, logs; printed at the end)
#
# Commands timed (each under GNU time):
#   oscap standard  oscap xccdf eval --profile xccdf_org.ssgproject.content_profile_standard
#                     --results-arf … ssg-debian12-ds.xml           (the datastream as shipped)
#   oscap mapped    oscap xccdf eval --tailoring-file … --profile <mapped rules> --results-arf …
#                     ssg-debian12-ds-host.xml   (every SSG rule mapped to one of our tests, on
#                     the copy made by bench/ssg-host-ds.mjs that does not take this VM for a
#                     container without a kernel; see bench/RESULTS-scap.md)
#   driftwatch      node bin/driftwatch.js assess --policy debian-baseline --format json
#                     (collection included)
#
# Content: OpenSCAP from Debian (openscap-scanner, openscap-utils; installed when missing). The
# SSG Debian 12 datastream is in trixie's ssg-debian 0.1.76 only: the .deb is fetched with a
# private apt configuration (its own sources list naming trixie, its own lists and cache) and
# unpacked with dpkg -x into SSG_CACHE (default /var/tmp/driftwatch-ssg-cache), reused when
# present. Nothing from trixie is installed on the machine.
#
# Environment: DRIFTWATCH_CMD (default "node <repo>/bin/driftwatch.js"), SSG_CACHE,
# SSG_VERSION (default 0.1.76-1), BENCH_TMPDIR (work directory parent, default /var/tmp).

set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
COMMAND_LINE=$(printf '%q ' "$0" "$@")
COMMAND_LINE=${COMMAND_LINE% }
STARTED=$(date +%s)

RUNS=3
OUT_FILE=""
POLICY=debian-baseline
KEEP=0
SSG_CACHE=${SSG_CACHE:-/var/tmp/driftwatch-ssg-cache}
SSG_VERSION=${SSG_VERSION:-0.1.76-1}
PROFILE=xccdf_org.ssgproject.content_profile_standard
MAP_PROFILE=xccdf_dev.driftwatch_profile_debian-baseline-map
MAP_FILE=$BENCH_DIR/ssg-map.yaml

usage() {
  sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --runs)
      if [[ ! ${2-} =~ ^[0-9]+$ || ${2-} -lt 1 ]]; then
        echo "scap-vs-driftwatch: --runs needs a number >= 1, got '${2-}'" >&2
        exit 2
      fi
      RUNS=$2
      shift 2
      ;;
    --out) OUT_FILE=${2-}; shift 2 ;;
    --policy) POLICY=${2-}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage ;;
    *) echo "scap-vs-driftwatch: unknown argument '$1'" >&2; usage ;;
  esac
done
if [[ -n $OUT_FILE ]]; then
  OUT_FILE=$(realpath -m -- "$OUT_FILE")
fi

DRIFTWATCH_CMD=${DRIFTWATCH_CMD:-"node $REPO_DIR/bin/driftwatch.js"}
read -r -a DW <<< "$DRIFTWATCH_CMD"

log() {
  printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die() {
  echo "scap-vs-driftwatch: $*" >&2
  exit 1
}

# ---------------------------------------------------------------- dependencies

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y \
    --no-install-recommends "$@" >&2
}

ensure_deps() {
  local missing=()
  command -v oscap > /dev/null || missing+=(openscap-scanner openscap-utils)
  [[ -x /usr/bin/time ]] || missing+=(time)
  if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get > /dev/null; then
      die "missing ${missing[*]}; install with apt-get install ${missing[*]}"
    fi
    log "installing ${missing[*]} with apt-get"
    if ! apt_install "${missing[@]}"; then
      log "install failed; running apt-get update and trying again"
      apt-get -o DPkg::Lock::Timeout=600 update >&2 || die "apt-get update failed"
      apt_install "${missing[@]}" || die "apt-get install ${missing[*]} failed"
    fi
  fi
  local tool
  for tool in node dpkg dpkg-deb apt-get flock; do
    command -v "$tool" > /dev/null || die "$tool not found"
  done
}
ensure_deps

# ---------------------------------------------------------------- SSG content (private apt)

SSG_ROOT=$SSG_CACHE/root
SSG_CONTENT=$SSG_ROOT/usr/share/xml/scap/ssg/content
SSG_DS=$SSG_CONTENT/ssg-debian12-ds.xml
SSG_HOST_DS=$SSG_CACHE/ssg-debian12-ds-host.xml

# fetch_ssg: downloads trixie's ssg-debian .deb with apt options that point every list, cache
# and source at SSG_CACHE (the machine's own apt state and sources are not touched), then
# unpacks it with dpkg -x. Nothing is installed.
fetch_ssg() {
  local apt_dir=$SSG_CACHE/apt
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$SSG_CACHE/deb"
  cat > "$apt_dir/sources.list" << 'EOF'
# Private to bench/scap-vs-driftwatch.sh: used only to download ssg-debian, never to install.
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
EOF
  local opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null)
  log "SSG: apt-get update with a private trixie sources list ($apt_dir)"
  apt-get "${opts[@]}" update > "$SSG_CACHE/apt-update.log" 2>&1 ||
    die "private apt-get update failed (see $SSG_CACHE/apt-update.log)"
  rm -f "$SSG_CACHE"/deb/ssg-debian_*.deb
  log "SSG: apt-get download ssg-debian=$SSG_VERSION"
  if ! (cd "$SSG_CACHE/deb" && apt-get "${opts[@]}" download "ssg-debian=$SSG_VERSION") > "$SSG_CACHE/apt-download.log" 2>&1; then
    log "SSG: ssg-debian $SSG_VERSION not available; downloading trixie's current ssg-debian"
    (cd "$SSG_CACHE/deb" && apt-get "${opts[@]}" download ssg-debian) >> "$SSG_CACHE/apt-download.log" 2>&1 ||
      die "apt-get download ssg-debian failed (see $SSG_CACHE/apt-download.log)"
  fi
  local deb
  deb=$(find_deb)
  [[ -n $deb ]] || die "no ssg-debian .deb in $SSG_CACHE/deb"
  rm -rf -- "$SSG_ROOT"
  dpkg -x "$deb" "$SSG_ROOT" || die "dpkg -x $deb failed"
  [[ -s $SSG_DS ]] || die "$deb has no ssg-debian12-ds.xml"
}

# find_deb: the downloaded ssg-debian .deb, or nothing.
find_deb() {
  local debs
  shopt -s nullglob
  debs=("$SSG_CACHE"/deb/ssg-debian_*.deb)
  shopt -u nullglob
  if [[ ${#debs[@]} -gt 0 ]]; then
    echo "${debs[0]}"
  fi
}

ensure_ssg() {
  mkdir -p "$SSG_CACHE" || die "cannot create $SSG_CACHE"
  exec 9> "$SSG_CACHE/.lock"
  flock 9
  if [[ -s $SSG_DS ]]; then
    log "SSG: reusing $SSG_DS"
  else
    fetch_ssg
  fi
  if [[ ! -s $SSG_HOST_DS || $SSG_HOST_DS -ot $SSG_DS || $SSG_HOST_DS -ot $BENCH_DIR/ssg-host-ds.mjs ]]; then
    node "$BENCH_DIR/ssg-host-ds.mjs" "$SSG_DS" "$SSG_HOST_DS" || die "ssg-host-ds.mjs failed"
  fi
  flock -u 9
  exec 9>&-
  SSG_DEB=$(find_deb)
  SSG_DEB_VERSION=unknown
  if [[ -n $SSG_DEB ]]; then
    SSG_DEB_VERSION=$(dpkg-deb -f "$SSG_DEB" Version 2> /dev/null || echo unknown)
  fi
}
ensure_ssg

# ---------------------------------------------------------------- work dir

WORK=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/dwscap-XXXXXXXX") || exit 1
cleanup() {
  if [[ $KEEP -eq 1 ]]; then
    log "work directory kept: $WORK"
  else
    rm -rf -- "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$WORK/logs" "$WORK/out"
RESULTS=$WORK/results.tsv
: > "$RESULTS"
log "work directory: $WORK"

node "$BENCH_DIR/ssg-tailoring.mjs" "$MAP_FILE" "$SSG_HOST_DS" --profile-id "$MAP_PROFILE" \
  > "$WORK/tailoring.xml" 2> "$WORK/logs/tailoring.err" || {
  cat "$WORK/logs/tailoring.err" >&2
  die "could not write the tailoring file from $MAP_FILE"
}
MAP_RULES=$(grep -c '<xccdf:select ' "$WORK/tailoring.xml")

# ---------------------------------------------------------------- measuring

# timed OUT ERR COMMAND...: runs COMMAND under GNU time; sets T_RC, T_WALL, T_USER, T_SYS
# (seconds) and T_RSS (KB, the largest single process).
timed() {
  local out=$1 err=$2
  shift 2
  local tfile=$WORK/time.txt
  local start=$EPOCHREALTIME
  /usr/bin/time -f '%e %U %S %M' -o "$tfile" "$@" > "$out" 2> "$err"
  T_RC=$?
  local end=$EPOCHREALTIME
  read -r T_WALL T_USER T_SYS T_RSS < <(tail -n 1 "$tfile")
  T_WALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
}

record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$T_RC" "$T_WALL" "$T_USER" "$T_SYS" "$T_RSS" >> "$RESULTS"
  log "run $2: $1: $3 (exit $T_RC) wall ${T_WALL}s cpu ${T_USER}+${T_SYS}s rss ${T_RSS}KB"
}

first_error() {
  local line
  line=$(grep -v '^WARNING' "$1" | grep -m1 -E 'Error|error|ERR')
  [[ -n $line ]] || line=$(grep -v '^WARNING' "$1" | grep -m1 -v '^\s*$')
  echo "${line:0:200}"
}

# oscap: 0 = every rule passed, 2 = some rule failed (a result, not an error), 1 = error.
run_oscap_std() {
  local run=$1
  timed "$WORK/out/std-$run.txt" "$WORK/logs/std-$run.err" \
    oscap xccdf eval --profile "$PROFILE" --results-arf "$WORK/out/std-$run.arf.xml" "$SSG_DS"
  if [[ ($T_RC -eq 0 || $T_RC -eq 2) && -s $WORK/out/std-$run.arf.xml ]]; then
    record oscap-std "$run" ok
  else
    record oscap-std "$run" error
    log "oscap standard failed: $(first_error "$WORK/logs/std-$run.err")"
  fi
}

run_oscap_map() {
  local run=$1
  timed "$WORK/out/map-$run.txt" "$WORK/logs/map-$run.err" \
    oscap xccdf eval --tailoring-file "$WORK/tailoring.xml" --profile "$MAP_PROFILE" \
    --results-arf "$WORK/out/map-$run.arf.xml" "$SSG_HOST_DS"
  if [[ ($T_RC -eq 0 || $T_RC -eq 2) && -s $WORK/out/map-$run.arf.xml ]]; then
    record oscap-map "$run" ok
  else
    record oscap-map "$run" error
    log "oscap mapped failed: $(first_error "$WORK/logs/map-$run.err")"
  fi
}

valid_assess_json() {
  node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
    if (!Array.isArray(j.results) || j.results.length === 0) process.exit(1)' "$1" 2> /dev/null
}

# driftwatch assess: 0 = nothing fails, 1 = something fails (a result), >= 2 = error.
run_dw() {
  local run=$1
  timed "$WORK/out/dw-$run.json" "$WORK/logs/dw-$run.err" "${DW[@]}" assess "${DW_POLICY_ARGS[@]}" --format json
  if [[ $T_RC -le 1 ]] && valid_assess_json "$WORK/out/dw-$run.json"; then
    record dw "$run" ok
  else
    record dw "$run" error
    log "driftwatch failed: $(first_error "$WORK/logs/dw-$run.err")"
  fi
}

# ---------------------------------------------------------------- driftwatch preflight

# The policy the brief asks for is the shipped debian-baseline (by id). If it does not load,
# fall back to the same file by path (the id lookup also loads the other shipped policies),
# then to privileged-access as a dry run; the report says which one ran and why.
DW_POLICY_ARGS=(--policy "$POLICY")
DW_POLICY_NOTE=""
DW_VERSION=$("${DW[@]}" --version 2> /dev/null | head -n 1)
DW_VERSION=${DW_VERSION:-unknown}
probe_policy() {
  "${DW[@]}" assess --policy "$1" --format json > "$WORK/logs/probe.json" 2> "$WORK/logs/probe.err"
  local rc=$?
  [[ $rc -le 1 ]] && valid_assess_json "$WORK/logs/probe.json"
}
if ! probe_policy "$POLICY"; then
  reason=$(first_error "$WORK/logs/probe.err")
  log "driftwatch: --policy $POLICY does not load: $reason"
  DW_POLICY_NOTE="\`--policy $POLICY\` did not load ($reason)"
  if [[ $POLICY == debian-baseline && -f $REPO_DIR/policies/debian-baseline.yaml ]] &&
    probe_policy "$REPO_DIR/policies/debian-baseline.yaml"; then
    DW_POLICY_ARGS=(--policy "$REPO_DIR/policies/debian-baseline.yaml")
    DW_POLICY_NOTE="$DW_POLICY_NOTE, so the same policy was given by path"
  elif probe_policy "$REPO_DIR/policies/privileged-access.yaml"; then
    DW_POLICY_ARGS=(--policy "$REPO_DIR/policies/privileged-access.yaml")
    DW_POLICY_NOTE="$DW_POLICY_NOTE: **dry run with privileged-access.yaml instead**; the verdict cross-check has nothing to compare"
  else
    die "driftwatch assess fails with $POLICY, debian-baseline.yaml and privileged-access.yaml: $(first_error "$WORK/logs/probe.err")"
  fi
  log "driftwatch: using ${DW_POLICY_ARGS[*]}"
fi

# ---------------------------------------------------------------- runs

# One untimed pass of each first: page cache, oscap's probes and node's code cache warm.
log "warm-up (untimed)"
oscap xccdf eval --profile "$PROFILE" "$SSG_DS" > /dev/null 2>&1
"${DW[@]}" assess "${DW_POLICY_ARGS[@]}" --format json > /dev/null 2>&1

for ((run = 1; run <= RUNS; run++)); do
  if ((run % 2 == 1)); then
    run_oscap_std "$run"
    run_dw "$run"
    run_oscap_map "$run"
  else
    run_oscap_map "$run"
    run_dw "$run"
    run_oscap_std "$run"
  fi
done

# ---------------------------------------------------------------- statistics

median() {
  sort -g | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "NA"; exit }
      if (NR % 2 == 1) print v[(NR + 1) / 2]
      else print (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}

column() {
  awk -F '\t' -v cmd="$1" -v field="$2" '
    $1 == cmd && $3 == "ok" {
      if (field == "wall") print $5
      else if (field == "cpu") print $6 + $7
      else if (field == "rss") print $8
    }' "$RESULTS"
}

stat_median() {
  column "$1" "$2" | median
}

ok_runs() {
  awk -F '\t' -v cmd="$1" '$1 == cmd && $3 == "ok" { n++ } END { print n + 0 }' "$RESULTS"
}

fmt() {
  if [[ $2 == NA ]]; then echo "n/a"; else awk -v f="$1" -v v="$2" 'BEGIN { printf f, v }'; fi
}

ratio() {
  if [[ $1 == NA || $2 == NA ]]; then
    echo NA
  else
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "NA" }'
  fi
}

# last_ok CMD: the run number of the last successful run of CMD.
last_ok() {
  awk -F '\t' -v cmd="$1" '$1 == cmd && $3 == "ok" { r = $2 } END { print r }' "$RESULTS"
}

# oscap_counts TXT: "N selected: a pass, b fail, c notapplicable" from oscap's stdout.
oscap_counts() {
  awk -F '\t' '/^Result/ { n++; c[$2]++ } END {
    s = n + 0 " rules selected"
    if (n > 0) {
      s = s ":"
      sep = " "
      split("pass fail notapplicable notchecked error unknown informational notselected fixed", order, " ")
      for (i = 1; i <= 9; i++) if (c[order[i]] > 0) { s = s sep c[order[i]] " " order[i]; sep = ", " }
    }
    print s
  }' "$1"
}

dw_counts() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
    const c = j.counts ?? {}
    const n = (j.policies ?? []).reduce((a, p) => a + (p.tests ?? 0), 0) || j.results.length
    const parts = ["pass", "fail", "not-applicable", "error", "waived"].filter((k) => c[k]).map((k) => `${c[k]} ${k}`)
    console.log(`${n} tests: ${parts.join(", ")}`)' "$1" 2> /dev/null || echo "?"
}

# ---------------------------------------------------------------- report

emit() {
  cat "$1"
  if [[ -n $OUT_FILE ]]; then
    cat "$1" >> "$OUT_FILE"
  fi
}

STD_LAST=$(last_ok oscap-std)
MAP_LAST=$(last_ok oscap-map)
DW_LAST=$(last_ok dw)
STD_COUNTS="n/a"
MAP_COUNTS="n/a"
DW_COUNTS="n/a"
[[ -n $STD_LAST ]] && STD_COUNTS=$(oscap_counts "$WORK/out/std-$STD_LAST.txt")
[[ -n $MAP_LAST ]] && MAP_COUNTS=$(oscap_counts "$WORK/out/map-$MAP_LAST.txt")
[[ -n $DW_LAST ]] && DW_COUNTS=$(dw_counts "$WORK/out/dw-$DW_LAST.json")

REPORT=$WORK/report.md
{
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  os=$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release)
  pid1=$(tr '\0' ' ' < /proc/1/cmdline | cut -c1-40 | sed 's/ *$//')
  pid1_note="PID 1 is \`$pid1\`"
  if [[ $(cat /proc/1/comm) != systemd ]]; then
    pid1_note="$pid1_note, not systemd (services are not running as on a normal host)"
  fi
  echo
  echo "## OpenSCAP (SSG) vs driftwatch assess, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- command: \`$COMMAND_LINE\`"
  echo "- machine: nproc $(nproc), ${cpu:-unknown CPU}, $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r), $os; $pid1_note"
  echo "- $(oscap --version 2> /dev/null | head -n 1) (Debian openscap-scanner $(dpkg-query -W -f '${Version}' openscap-scanner 2> /dev/null)); SSG content: ssg-debian $SSG_DEB_VERSION from trixie, unpacked in \`$SSG_CACHE\` (not installed)"
  echo "- driftwatch: \`$DRIFTWATCH_CMD\` (version $DW_VERSION), node $(node --version); policy: \`${DW_POLICY_ARGS[*]}\`"
  if [[ -n $DW_POLICY_NOTE ]]; then
    echo "- **policy note**: $DW_POLICY_NOTE"
  fi
  echo "- $RUNS timed runs per command after one untimed warm-up of each; the commands alternate within each run (order reversed on even runs); figures are medians over successful runs; wall time from the shell's clock, CPU (user+sys) and peak RSS from GNU time (%M, the largest single process)"
  echo "- oscap exit 2 (\"some rules failed\") and driftwatch exit 1 (\"some test failed\") count as successful runs"
  echo
  echo "| command | ok runs | median wall (s) | wall min-max (s) | median CPU user+sys (s) | median peak RSS (MB) | evaluated (last run) |"
  echo "|---|---|---|---|---|---|---|"
  for cmd in oscap-std dw oscap-map; do
    case $cmd in
      oscap-std) label="oscap xccdf eval, standard profile, datastream as shipped"; counts=$STD_COUNTS ;;
      dw) label="driftwatch assess ($(basename -- "${DW_POLICY_ARGS[1]}" .yaml), collection included)"; counts=$DW_COUNTS ;;
      oscap-map) label="oscap xccdf eval, the $MAP_RULES SSG rules mapped to our tests, host copy of the datastream"; counts=$MAP_COUNTS ;;
    esac
    ok=$(ok_runs "$cmd")
    lo=$(column "$cmd" wall | sort -g | head -n 1)
    hi=$(column "$cmd" wall | sort -g | tail -n 1)
    echo "| $label | $ok/$RUNS | $(fmt %.2f "$(stat_median "$cmd" wall)") | $(fmt %.2f "${lo:-NA}")-$(fmt %.2f "${hi:-NA}") | $(fmt %.2f "$(stat_median "$cmd" cpu)") | $(fmt %.1f "$(awk -v k="$(stat_median "$cmd" rss)" 'BEGIN { if (k == "NA") print "NA"; else print k / 1024 }')") | $counts |"
  done
  echo
  sw=$(stat_median oscap-std wall)
  mw=$(stat_median oscap-map wall)
  dw=$(stat_median dw wall)
  r_std=$(ratio "$sw" "$dw")
  met="-"
  if [[ $r_std != NA ]]; then
    met=$(awk -v v="$r_std" 'BEGIN { print (v >= 10) ? "yes" : "**no**" }')
  fi
  echo "| ratio of medians | value | goal | met |"
  echo "|---|---|---|---|"
  echo "| oscap standard / driftwatch, wall | $(fmt %s "$r_std") | >= 10 | $met |"
  echo "| oscap standard / driftwatch, CPU | $(fmt %s "$(ratio "$(stat_median oscap-std cpu)" "$(stat_median dw cpu)")") | | |"
  echo "| oscap standard / driftwatch, peak RSS | $(fmt %s "$(ratio "$(stat_median oscap-std rss)" "$(stat_median dw rss)")") | | |"
  echo "| oscap mapped rules / driftwatch, wall | $(fmt %s "$(ratio "$mw" "$dw")") | | |"
  echo "| oscap mapped rules / driftwatch, CPU | $(fmt %s "$(ratio "$(stat_median oscap-map cpu)" "$(stat_median dw cpu)")") | | |"
  echo
  if [[ -n $MAP_LAST && -n $DW_LAST ]]; then
    node "$BENCH_DIR/compare-scap.mjs" "$WORK/out/map-$MAP_LAST.arf.xml" "$WORK/out/dw-$DW_LAST.json" "$MAP_FILE" 2>&1
    echo
  else
    echo "Cross-check skipped: no successful oscap mapped run or driftwatch run."
    echo
  fi
  if [[ -n $STD_LAST ]]; then
    echo "Standard profile on the datastream as shipped, rule by rule (last run):"
    echo
    awk -F '\t' '/^Rule/ { r = $2; sub(/^xccdf_org\.ssgproject\.content_rule_/, "", r) } /^Result/ { res[$2] = res[$2] (res[$2] ? ", " : "") r }
      END { for (k in res) print "- " k ": " res[k] }' "$WORK/out/std-$STD_LAST.txt" | sort
    echo
  fi
  echo "Whole benchmark took $(($(date +%s) - STARTED))s (set-up included)."
} > "$REPORT"
emit "$REPORT"
log "done in $(($(date +%s) - STARTED))s"
