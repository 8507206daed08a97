#!/usr/bin/env bash
# fim-vs-aide.sh: side-by-side benchmark of `driftwatch init` / `driftwatch check`
# against AIDE (--init / --check, same attributes, SHA-256) and against the
# machine's hashing limit (sha256sum in two parallel processes over the same
# files). Each command is run N times, the tools alternating within each run so
# that they share the machine's noise; the report gives medians and the ratios
# the project must meet, as markdown on stdout (and appended to --out FILE).
#
# Usage: bench/fim-vs-aide.sh [--runs N] [--usr] [--out FILE]
#                             [--files N] [--mb M] [--aide-workers N] [--keep]
#
#   --runs N          timed runs per command (default 3)
#   --usr             also benchmark a copy of /usr (cp -a, several GB)
#   --out FILE        also append the markdown report to FILE
#   --files N, --mb M size of the generated tree (default 20000 files, 200 MiB)
#   --aide-workers N  AIDE's num_workers (default: nproc; AIDE's own default is 1)
#   --keep            keep the work directory (printed at the end)
#
# Environment: DRIFTWATCH_CMD (default "node <repo>/bin/driftwatch.js"),
# BENCH_TMPDIR (where the work directory goes, default /var/tmp).
# Needs aide, GNU time (/usr/bin/time), sha256sum and node; as root it
# installs the aide and time packages when they are missing.

set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
COMMAND_LINE=$(printf '%q ' "$0" "$@")
COMMAND_LINE=${COMMAND_LINE% }
STARTED=$(date +%s)

RUNS=3
WITH_USR=0
OUT_FILE=""
GEN_FILES=20000
GEN_MB=200
AIDE_WORKERS=$(nproc)
KEEP=0

usage() {
  sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

need_number() {
  if [[ ! $2 =~ ^[0-9]+$ ]]; then
    echo "fim-vs-aide: $1 needs a number, got '$2'" >&2
    exit 2
  fi
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) need_number "$1" "${2-}"; RUNS=$2; shift 2 ;;
    --usr) WITH_USR=1; shift ;;
    --out) OUT_FILE=${2-}; shift 2 ;;
    --files) need_number "$1" "${2-}"; GEN_FILES=$2; shift 2 ;;
    --mb) need_number "$1" "${2-}"; GEN_MB=$2; shift 2 ;;
    --aide-workers) need_number "$1" "${2-}"; AIDE_WORKERS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage ;;
    *) echo "fim-vs-aide: unknown argument '$1'" >&2; usage ;;
  esac
done
if [[ $RUNS -lt 1 ]]; then
  echo "fim-vs-aide: --runs must be at least 1" >&2
  exit 2
fi
if [[ -n $OUT_FILE ]]; then
  OUT_FILE=$(realpath -m -- "$OUT_FILE")
fi

DRIFTWATCH_CMD=${DRIFTWATCH_CMD:-"node $REPO_DIR/bin/driftwatch.js"}
read -r -a DW <<< "$DRIFTWATCH_CMD"

log() {
  printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

# ---------------------------------------------------------------- dependencies

ensure_deps() {
  local missing=()
  command -v aide > /dev/null || missing+=(aide)
  [[ -x /usr/bin/time ]] || missing+=(time)
  if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get > /dev/null; then
      log "installing ${missing[*]} with apt-get"
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y \
        --no-install-recommends "${missing[@]}" >&2 || exit 1
    else
      echo "fim-vs-aide: missing ${missing[*]}; install with apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  local tool
  for tool in node sha256sum xargs; do
    if ! command -v "$tool" > /dev/null; then
      echo "fim-vs-aide: $tool not found" >&2
      exit 1
    fi
  done
}
ensure_deps

# ---------------------------------------------------------------- work dir

WORK=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/dwbench-XXXXXXXX") || exit 1
cleanup() {
  if [[ $KEEP -eq 1 ]]; then
    log "work directory kept: $WORK"
  else
    rm -rf -- "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$WORK/logs" "$WORK/lists"
RESULTS=$WORK/results.tsv
: > "$RESULTS"
log "work directory: $WORK"

# ---------------------------------------------------------------- driftwatch preflight

# first_error FILE: the most telling line of an error log, shortened.
first_error() {
  local line
  line=$(grep -m1 -E 'Error|error' "$1")
  if [[ -z $line ]]; then
    line=$(grep -m1 -v '^\s*$' "$1")
  fi
  echo "${line:0:160}"
}

# looks_like_crash FILE: a node crash (uncaught exception, module not found)
# also exits 1, so stderr is checked for its signs.
looks_like_crash() {
  grep -qE '^node:internal|ERR_MODULE_NOT_FOUND|^\s+at .+:[0-9]+:[0-9]+\)?$' "$1"
}

# A missing or broken driftwatch must not abort the benchmark: its rows say
# "driftwatch: error" instead. Note that node exits 1 when it cannot load the
# script, which the CLI contract would read as "changes found", hence the probe.
DW_OK=1
DW_REASON=""
DW_VERSION="unknown"
if [[ $DRIFTWATCH_CMD == "node $REPO_DIR/bin/driftwatch.js" && ! -f $REPO_DIR/bin/driftwatch.js ]]; then
  DW_OK=0
  DW_REASON="$REPO_DIR/bin/driftwatch.js not found"
else
  "${DW[@]}" --help > "$WORK/logs/dw-help.out" 2> "$WORK/logs/dw-help.err"
  help_rc=$?
  if [[ $help_rc -ne 0 ]]; then
    DW_OK=0
    DW_REASON="'$DRIFTWATCH_CMD --help' failed (exit $help_rc): $(first_error "$WORK/logs/dw-help.err")"
  else
    DW_VERSION=$("${DW[@]}" --version 2> /dev/null | head -n 1)
    DW_VERSION=${DW_VERSION:-unknown}
  fi
fi
if [[ $DW_OK -eq 0 ]]; then
  log "driftwatch not usable ($DW_REASON); its rows will say 'driftwatch: error'"
fi

# ---------------------------------------------------------------- measuring

# timed OUT ERR COMMAND...: runs COMMAND under GNU time; sets T_RC, T_WALL,
# T_USER, T_SYS (seconds) and T_RSS (KB, the largest single process).
timed() {
  local out=$1 err=$2
  shift 2
  local tfile=$WORK/time.txt
  local start=$EPOCHREALTIME
  /usr/bin/time -f '%e %U %S %M' -o "$tfile" "$@" > "$out" 2> "$err"
  T_RC=$?
  local end=$EPOCHREALTIME
  # GNU time puts "Command exited with non-zero status N" before the numbers.
  read -r T_WALL T_USER T_SYS T_RSS < <(tail -n 1 "$tfile")
  # GNU time's %e has 10 ms steps; the shell's clock gives microseconds.
  T_WALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
}

# record DS CMD RUN STATUS NOTE: appends the last timed() result.
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$T_RC" \
    "$T_WALL" "$T_USER" "$T_SYS" "$T_RSS" "$5" >> "$RESULTS"
  log "$1 run $3: $2: $4 (exit $T_RC) wall ${T_WALL}s cpu ${T_USER}+${T_SYS}s rss ${T_RSS}KB $5"
}

record_error_untimed() {
  T_RC=-
  T_WALL=-
  T_USER=-
  T_SYS=-
  T_RSS=-
  record "$1" "$2" "$3" error "$4"
}

run_aide_init() {
  local ds=$1 run=$2
  rm -f -- "$WORK/aide-$ds.db.new"
  timed "$WORK/logs/aide-init-$ds.out" "$WORK/logs/aide-init-$ds.err" aide --init -c "$WORK/aide-$ds.conf"
  if [[ $T_RC -eq 0 && -s $WORK/aide-$ds.db.new ]]; then
    mv -f -- "$WORK/aide-$ds.db.new" "$WORK/aide-$ds.db"
    record "$ds" aide-init "$run" ok ""
  else
    record "$ds" aide-init "$run" error "see logs/aide-init-$ds.err"
  fi
}

run_aide_check() {
  local ds=$1 run=$2
  timed "$WORK/logs/aide-check-$ds.out" "$WORK/logs/aide-check-$ds.err" aide --check -c "$WORK/aide-$ds.conf"
  if [[ $T_RC -eq 0 ]]; then
    record "$ds" aide-check "$run" ok ""
  elif [[ $T_RC -ge 1 && $T_RC -le 7 ]]; then
    record "$ds" aide-check "$run" ok "reported changes on the unmodified tree"
  else
    record "$ds" aide-check "$run" error "see logs/aide-check-$ds.err"
  fi
}

run_dw_init() {
  local ds=$1 run=$2 tree=$3
  if [[ $DW_OK -eq 0 ]]; then
    record_error_untimed "$ds" dw-init "$run" "$DW_REASON"
    return
  fi
  local db=$WORK/dw-$ds.db
  rm -f -- "$db" "$db-wal" "$db-shm" "$db-journal"
  local err=$WORK/logs/dw-init-$ds.err
  timed /dev/null "$err" "${DW[@]}" init --root "$tree" --db "$db" --key "$WORK/dw.key" --quiet
  if [[ $T_RC -gt 1 ]] || looks_like_crash "$err"; then
    record "$ds" dw-init "$run" error "exit $T_RC: $(first_error "$err")"
  elif [[ ! -s $db ]]; then
    record "$ds" dw-init "$run" error "exit $T_RC but $db was not written"
  else
    record "$ds" dw-init "$run" ok ""
  fi
}

# run_dw_check DS RUN TREE [JSON_OUT]
run_dw_check() {
  local ds=$1 run=$2 tree=$3 json=${4:-/dev/null}
  if [[ $DW_OK -eq 0 ]]; then
    record_error_untimed "$ds" dw-check "$run" "$DW_REASON"
    return
  fi
  local err=$WORK/logs/dw-check-$ds.err
  timed "$json" "$err" "${DW[@]}" check --root "$tree" --db "$WORK/dw-$ds.db" --key "$WORK/dw.key" \
    --quiet --format json
  if [[ $T_RC -gt 1 ]] || looks_like_crash "$err"; then
    record "$ds" dw-check "$run" error "exit $T_RC: $(first_error "$err")"
  elif [[ $T_RC -eq 1 && $run != sanity ]]; then
    record "$ds" dw-check "$run" ok "reported changes on the unmodified tree"
  else
    record "$ds" dw-check "$run" ok ""
  fi
}

# Two sha256sum pipelines in parallel over the two size-balanced halves of the
# file list (built once, untimed, by tree-stats.mjs): the machine's ceiling for
# reading and hashing these files with both cores.
# shellcheck disable=SC2016 # expanded by the inner bash, not here
HASH_PAIR='xargs -0 -a "$1" sha256sum > /dev/null &
first=$!
xargs -0 -a "$2" sha256sum > /dev/null &
second=$!
wait "$first"
rc1=$?
wait "$second"
rc2=$?
exit $((rc1 | rc2))'

run_hash_limit() {
  local ds=$1 run=$2
  timed /dev/null "$WORK/logs/sha256-$ds.err" bash -c "$HASH_PAIR" hash-pair \
    "$WORK/lists/$ds.0" "$WORK/lists/$ds.1"
  if [[ $T_RC -eq 0 ]]; then
    record "$ds" sha256-limit "$run" ok ""
  else
    record "$ds" sha256-limit "$run" error "see logs/sha256-$ds.err"
  fi
}

# ---------------------------------------------------------------- statistics

# median: of the numbers on stdin, or "NA" when there are none.
median() {
  sort -g | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "NA"; exit }
      if (NR % 2 == 1) print v[(NR + 1) / 2]
      else print (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}

# column DS CMD FIELD: one value per successful run (wall, cpu, rss, min, max).
column() {
  awk -F '\t' -v ds="$1" -v cmd="$2" -v field="$3" '
    $1 == ds && $2 == cmd && $3 != "sanity" && $4 == "ok" {
      if (field == "wall") print $6
      else if (field == "cpu") print $7 + $8
      else if (field == "rss") print $9
    }' "$RESULTS"
}

stat_median() {
  column "$1" "$2" "$3" | median
}

ok_runs() {
  awk -F '\t' -v ds="$1" -v cmd="$2" '$1 == ds && $2 == cmd && $3 != "sanity" && $4 == "ok" { n++ } END { print n + 0 }' "$RESULTS"
}

notes_for() {
  awk -F '\t' -v ds="$1" -v cmd="$2" '$1 == ds && $2 == cmd && $3 != "sanity" && $10 != "" { print $10 }' "$RESULTS" | sort -u | head -n 2
}

fmt() {
  if [[ $2 == NA ]]; then
    echo "n/a"
  else
    awk -v f="$1" -v v="$2" 'BEGIN { printf f, v }'
  fi
}

# ratio A B: A / B with two decimals, or NA.
ratio() {
  if [[ $1 == NA || $2 == NA ]]; then
    echo NA
  else
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "NA" }'
  fi
}

goal_met() {
  if [[ $1 == NA ]]; then
    echo "-"
  else
    awk -v v="$1" -v g="$2" 'BEGIN { print (v <= g) ? "yes" : "**no**" }'
  fi
}

# ---------------------------------------------------------------- report

emit() {
  cat "$1"
  if [[ -n $OUT_FILE ]]; then
    cat "$1" >> "$OUT_FILE"
  fi
}

report_header() {
  local md=$WORK/header.md
  local cpu
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  {
    echo
    echo "## driftwatch vs AIDE benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- command: \`$COMMAND_LINE\`"
    echo "- machine: nproc $(nproc), ${cpu:-unknown CPU}, $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
    echo "- $(aide --version 2>&1 | head -n 1) with num_workers=$AIDE_WORKERS; node $(node --version); $(sha256sum --version | head -n 1)"
    if [[ $DW_OK -eq 1 ]]; then
      echo "- driftwatch: \`$DRIFTWATCH_CMD\` (version: $DW_VERSION)"
    else
      echo "- driftwatch: \`$DRIFTWATCH_CMD\`: error: $DW_REASON"
    fi
    echo "- $RUNS timed runs per command; the tools alternate within each run (order reversed on even runs), so they share the machine's noise; figures are medians over successful runs"
    echo "- warm page cache: caches are not dropped; one untimed warm-up pass reads every file (and walks the tree) before timing"
    echo "- AIDE and driftwatch record the same attributes: file type, permissions, inode, link count, uid, gid, size, mtime, ctime, SHA-256, symlink target"
    echo "- hashing limit: two \`sha256sum\` processes in parallel over two size-balanced halves of the regular files (file list built beforehand, untimed)"
    echo "- peak RSS is GNU time's %M: the largest single process of the command, not a sum"
  } > "$md"
  emit "$md"
}

label() {
  case $1 in
    aide-init) echo 'aide --init' ;;
    dw-init) echo 'driftwatch init' ;;
    aide-check) echo 'aide --check' ;;
    dw-check) echo 'driftwatch check' ;;
    sha256-limit) echo 'hashing limit (2 x sha256sum)' ;;
  esac
}

report_dataset() {
  local ds=$1 title=$2 stats=$3 sanity=$4
  local md=$WORK/section-$ds.md
  local files bytes dirs symlinks
  files=$(sed -n 's/.*files=\([0-9]*\).*/\1/p' <<< "$stats")
  bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' <<< "$stats")
  dirs=$(sed -n 's/.*dirs=\([0-9]*\).*/\1/p' <<< "$stats")
  symlinks=$(sed -n 's/.*symlinks=\([0-9]*\).*/\1/p' <<< "$stats")
  {
    echo
    echo "### Data set: $title"
    echo
    echo "$files regular files, $bytes bytes ($(awk -v b="$bytes" 'BEGIN { printf "%.1f MiB", b / 1048576 }')), $dirs directories, $symlinks symlinks."
    echo
    echo "| command | ok runs | median wall (s) | wall min-max (s) | median CPU user+sys (s) | median peak RSS (MB) |"
    echo "|---|---|---|---|---|---|"
    local cmd ok wall cpu rss lo hi note
    for cmd in aide-init dw-init aide-check dw-check sha256-limit; do
      ok=$(ok_runs "$ds" "$cmd")
      if [[ $cmd == dw-* && $ok -eq 0 ]]; then
        echo "| $(label "$cmd") | 0/$RUNS | driftwatch: error | | | |"
        continue
      fi
      wall=$(stat_median "$ds" "$cmd" wall)
      cpu=$(stat_median "$ds" "$cmd" cpu)
      rss=$(stat_median "$ds" "$cmd" rss)
      lo=$(column "$ds" "$cmd" wall | sort -g | head -n 1)
      hi=$(column "$ds" "$cmd" wall | sort -g | tail -n 1)
      note=$(notes_for "$ds" "$cmd" | paste -sd ';' -)
      if [[ -n $note ]]; then
        note=" ($note)"
      fi
      echo "| $(label "$cmd")$note | $ok/$RUNS | $(fmt %.2f "$wall") | $(fmt %.2f "${lo:-NA}")-$(fmt %.2f "${hi:-NA}") | $(fmt %.2f "$cpu") | $(fmt %.1f "$(awk -v k="$rss" 'BEGIN { if (k == "NA") print "NA"; else print k / 1024 }')") |"
    done
    echo
    local aw_i aw_c dw_i dw_c hl ar_i ar_c dr_i dr_c
    aw_i=$(stat_median "$ds" aide-init wall)
    aw_c=$(stat_median "$ds" aide-check wall)
    dw_i=$(stat_median "$ds" dw-init wall)
    dw_c=$(stat_median "$ds" dw-check wall)
    hl=$(stat_median "$ds" sha256-limit wall)
    ar_i=$(stat_median "$ds" aide-init rss)
    ar_c=$(stat_median "$ds" aide-check rss)
    dr_i=$(stat_median "$ds" dw-init rss)
    dr_c=$(stat_median "$ds" dw-check rss)
    echo "| ratio of medians | value | goal | met |"
    echo "|---|---|---|---|"
    ratio_row "driftwatch check / aide --check, wall" "$(ratio "$dw_c" "$aw_c")" 0.3 dw
    ratio_row "driftwatch init / aide --init, wall" "$(ratio "$dw_i" "$aw_i")" 0.7 dw
    ratio_row "driftwatch init / aide --init, peak RSS" "$(ratio "$dr_i" "$ar_i")" 1 dw
    ratio_row "driftwatch check / aide --check, peak RSS" "$(ratio "$dr_c" "$ar_c")" 1 dw
    ratio_row "driftwatch init / hashing limit, wall" "$(ratio "$dw_i" "$hl")" 1.5 dw
    ratio_row "driftwatch check / hashing limit, wall" "$(ratio "$dw_c" "$hl")" 1.5 dw
    ratio_row "aide --init / hashing limit, wall (for reference)" "$(ratio "$aw_i" "$hl")" "" aide
    ratio_row "aide --check / hashing limit, wall (for reference)" "$(ratio "$aw_c" "$hl")" "" aide
    echo
    cat "$sanity"
  } > "$md"
  emit "$md"
}

# ratio_row NAME VALUE GOAL WHO
ratio_row() {
  local value=$2
  if [[ $value == NA && $4 == dw ]]; then
    value="driftwatch: error"
  elif [[ $value == NA ]]; then
    value="n/a"
  fi
  if [[ -z $3 ]]; then
    echo "| $1 | $value | | |"
  else
    echo "| $1 | $value | <= $3 | $(goal_met "$2" "$3") |"
  fi
}

# ---------------------------------------------------------------- one data set

write_aide_conf() {
  local ds=$1 tree=$2
  cat > "$WORK/aide-$ds.conf" << EOF
# Written by bench/fim-vs-aide.sh for data set $ds.
database_in=file:$WORK/aide-$ds.db
database_out=file:$WORK/aide-$ds.db.new
gzip_dbout=no
num_workers=$AIDE_WORKERS
# AIDE's defaults, stated because the sanity cross-check parses this report:
# every added, removed and changed entry listed, grouped, each with its
# summary string. Report options apply to the report_url lines after them.
report_level=changed_attributes
report_grouped=yes
report_summarize_changes=yes
report_quiet=no
report_url=stdout
root_prefix=$tree
DWBENCH = ftype+p+i+n+u+g+s+m+c+l+sha256
/ DWBENCH
EOF
  if ! aide --config-check -c "$WORK/aide-$ds.conf" > "$WORK/logs/aide-config-$ds.log" 2>&1; then
    log "aide --config-check failed for $ds:"
    cat "$WORK/logs/aide-config-$ds.log" >&2
    exit 1
  fi
}

aide_summary() {
  # The Summary block's lines are indented; the section titles later are not.
  awk -F ':' '
    /^  Added entries:/ { added = $2 + 0 }
    /^  Removed entries:/ { removed = $2 + 0 }
    /^  Changed entries:/ { changed = $2 + 0 }
    END { printf "added %d, removed %d, changed %d entries", added, removed, changed }' "$1"
}

bench_dataset() {
  local ds=$1 tree=$2 title=$3
  local stats
  log "$ds: counting files and splitting the file list"
  stats=$(node "$BENCH_DIR/tree-stats.mjs" "$tree" --split "$WORK/lists/$ds") || exit 1
  log "$ds: $stats"
  write_aide_conf "$ds" "$tree"

  log "$ds: warm-up pass (sync, walk, read every file once)"
  sync
  find "$tree" > /dev/null
  xargs -0 -a "$WORK/lists/$ds.0" cat > /dev/null
  xargs -0 -a "$WORK/lists/$ds.1" cat > /dev/null

  local run
  for ((run = 1; run <= RUNS; run++)); do
    if ((run % 2 == 1)); then
      run_hash_limit "$ds" "$run"
      run_aide_init "$ds" "$run"
      run_dw_init "$ds" "$run" "$tree"
      run_aide_check "$ds" "$run"
      run_dw_check "$ds" "$run" "$tree"
    else
      run_dw_init "$ds" "$run" "$tree"
      run_aide_init "$ds" "$run"
      run_dw_check "$ds" "$run" "$tree"
      run_aide_check "$ds" "$run"
      run_hash_limit "$ds" "$run"
    fi
  done

  # Sanity: after a known change set both tools must report changes, and the
  # same ones (compare-reports.mjs cross-checks the paths and attributes).
  log "$ds: sanity check after mutate-tree"
  local sanity=$WORK/sanity-$ds.md
  local mutate_msg
  if mutate_msg=$(node "$BENCH_DIR/mutate-tree.mjs" "$tree" 2>&1); then
    mutate_msg=${mutate_msg#*: *: }
  else
    mutate_msg="mutate-tree failed: $mutate_msg"
  fi
  {
    echo "Sanity check, untimed, after \`bench/mutate-tree.mjs\` ($mutate_msg):"
    echo
    if [[ -s $WORK/aide-$ds.db ]]; then
      aide --check -c "$WORK/aide-$ds.conf" > "$WORK/logs/aide-sanity-$ds.out" 2> "$WORK/logs/aide-sanity-$ds.err"
      local arc=$?
      if [[ $arc -ge 1 && $arc -le 7 ]]; then
        echo "- aide --check: exit $arc, reports changes ($(aide_summary "$WORK/logs/aide-sanity-$ds.out"))"
      else
        echo "- aide --check: exit $arc: **no changes reported or error**"
      fi
    else
      echo "- aide --check: no AIDE database (every init failed)"
    fi
    if [[ $DW_OK -eq 0 ]]; then
      echo "- driftwatch check: driftwatch: error ($DW_REASON)"
    elif [[ ! -s $WORK/dw-$ds.db ]]; then
      echo "- driftwatch check: driftwatch: error (no database: every init failed)"
    else
      run_dw_check "$ds" sanity "$tree" "$WORK/logs/dw-sanity-$ds.json"
      local parsed="output is not valid JSON"
      if node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' \
        "$WORK/logs/dw-sanity-$ds.json" 2> /dev/null; then
        parsed="JSON output parses"
      fi
      if [[ $T_RC == 1 ]] && ! looks_like_crash "$WORK/logs/dw-check-$ds.err"; then
        echo "- driftwatch check: exit 1, reports changes; $parsed"
      else
        echo "- driftwatch check: exit $T_RC: **driftwatch: error or no changes reported**; $parsed"
      fi
    fi
    echo
    echo "Cross-check of what each tool reports (\`bench/compare-reports.mjs\`; paths inside the tree, compared as bytes):"
    echo
    if [[ -s $WORK/logs/aide-sanity-$ds.out && -s $WORK/logs/dw-sanity-$ds.json ]]; then
      node "$BENCH_DIR/compare-reports.mjs" "$WORK/logs/aide-sanity-$ds.out" \
        "$WORK/logs/dw-sanity-$ds.json" --root "$tree" 2>&1
    else
      echo "- skipped: no AIDE report or no driftwatch JSON from the sanity check"
    fi
  } > "$sanity"

  report_dataset "$ds" "$title" "$stats" "$sanity"
}

# ---------------------------------------------------------------- main

report_header

log "gen: generating tree ($GEN_FILES files, $GEN_MB MiB)"
node "$BENCH_DIR/gen-tree.mjs" "$WORK/tree-gen" --files "$GEN_FILES" --mb "$GEN_MB" || exit 1
bench_dataset gen "$WORK/tree-gen" "generated tree (\`bench/gen-tree.mjs --files $GEN_FILES --mb $GEN_MB\`)"
rm -rf -- "$WORK/tree-gen"

if [[ $WITH_USR -eq 1 ]]; then
  log "usr: copying /usr (cp -a), this takes a while"
  cp -a /usr "$WORK/usr-copy" || exit 1
  bench_dataset usr "$WORK/usr-copy" "copy of /usr (\`cp -a /usr\`)"
  rm -rf -- "$WORK/usr-copy"
fi

ELAPSED=$(($(date +%s) - STARTED))
FOOTER=$WORK/footer.md
{
  echo
  echo "Whole benchmark took ${ELAPSED}s (tree generation and copies included)."
} > "$FOOTER"
emit "$FOOTER"
log "done in ${ELAPSED}s"
