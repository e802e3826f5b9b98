#!/usr/bin/env bash
# slurm-test.sh: end-to-end test of minilat's Slurm support on a REAL single-node
# Slurm cluster that this script sets up (and tears down) itself.
#
# What it does
#   1. Installs Debian's Slurm and munge packages if `sbatch`, `slurmctld`, `slurmd`
#      and `munged` are not all on PATH (apt-get update; apt-get install -y
#      slurmctld slurmd slurm-client munge).
#   2. In a fresh temp dir: creates a munge key, starts `munged` on its own socket,
#      writes a one-node slurm.conf (this host as 127.0.0.1, CPUs = nproc, no
#      accounting, select/cons_tres, proctrack/linuxproc, task/none, MinJobAge=600),
#      exports SLURM_CONF, starts `slurmctld -c` and `slurmd`, and waits for the node
#      to be idle.
#   3. Builds minilat (`cargo build --release`) and, in a work dir:
#        a. runs the local sweep:  minilat sweep SCENARIO EXTRA --out W/local --quiet
#        b. writes job scripts:    minilat slurm SCENARIO EXTRA --shards N --cpus 1
#                                      --time 00:10:00 --out W/slurm
#           where EXTRA = --set sweep.coalitions=true --set 'sweep.ticks="mean"', so
#           coalitions.csv and ticks.csv go through the merge too
#        c. submits them:          bash W/slurm.slurm/submit.sh   (run from W, so the
#           generated scripts must not rely on the current directory)
#           and reads the last line `array=<id> merge=<id>`
#        d. waits for the merge job (and checks every array task) to be COMPLETED
#        e. compares every CSV of W/local and W/slurm byte for byte (same set of CSV
#           files; runs.csv and points.csv required; manifest.json is not compared,
#           it holds times).
#      Prints `slurm-test: PASS ...` and exits 0 only if everything matches.
#   On exit (success, failure or Ctrl-C) a trap cancels the remaining jobs, stops
#   slurmd, slurmctld and munged by the PIDs in their pid files (plus any stray
#   process carrying this run's SLURM_CONF), and removes the temp dir unless KEEP=1.
#   On failure it prints the tails of the daemon logs and of the job logs.
#
# How to run (from anywhere; it cd's to the repo root)
#   bash scripts/slurm-test.sh
#   Needs root: for apt-get and for the daemons (SlurmUser=root). If run as another
#   user it builds minilat first and then re-runs itself through sudo.
#   Timings on a 2-core Debian 12 VM: installing Slurm ~10-20 s (first time only);
#   cluster up (munge, slurmctld, slurmd, node idle) < 1 s; the self-check ~10 s
#   (Slurm's scheduler adds ~3 s before the first allocation); a cold
#   `cargo build --release` ~100 s; then the sweep twice, locally and as a job array,
#   plus ~10 s of Slurm scheduling overhead.
#
# Environment
#   MINILAT_SCENARIO=path    scenario to sweep (default scenarios/quickstart.toml,
#                            relative to the repo root)
#   SHARDS=N                 number of array tasks (default 4)
#   KEEP=1                   keep the temp dir (configs, logs, outputs) for inspection
#   MINILAT_BIN=path         use this binary instead of running cargo build
#   CARGO_TARGET_DIR         honoured: the binary is ${CARGO_TARGET_DIR:-target}/release
#   SLURM_TEST_TIMEOUT=sec   how long to wait for the jobs (default 600)
#   SLURM_TEST_SELFCHECK=1   diagnose the cluster only: instead of the minilat part,
#                            submit `sbatch --array=0-3` (each task writes a file) plus
#                            an `afterok` dependent job that merges the files, wait,
#                            check the outputs and states, print
#                            `slurm-test: SELFCHECK PASS`, tear down. No cargo needed.
#   SLURM_TEST_REALMEM=MB    the node's RealMemory (default 90% of MemTotal; jobs asking
#                            for more, e.g. minilat's default --mem=2G, are rejected)
#   SLURM_TEST_CTLD_PORT / SLURM_TEST_SLURMD_PORT
#                            ports (default: first free pair from 6817/6818 upwards)
set -euo pipefail
umask 022

T0=$(date +%s%N)
elapsed() { # seconds since start, one decimal
  local ms=$((($(date +%s%N) - T0) / 1000000))
  printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}
log() { printf 'slurm-test: [%6ss] %s\n' "$(elapsed)" "$*"; }
fail() {
  printf 'slurm-test: FAIL: %s (after %s s)\n' "$*" "$(elapsed)" >&2
  exit 1
}

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
cd "$REPO"

SELFCHECK=${SLURM_TEST_SELFCHECK:-0}
SCENARIO=${MINILAT_SCENARIO:-scenarios/quickstart.toml}
SHARDS=${SHARDS:-4}
JOB_TIMEOUT=${SLURM_TEST_TIMEOUT:-600}
IDLE_TIMEOUT=60
KEEP=${KEEP:-0}
[[ $SHARDS =~ ^[1-9][0-9]*$ ]] || fail "SHARDS must be a positive integer, got '$SHARDS'"
[[ $JOB_TIMEOUT =~ ^[1-9][0-9]*$ ]] || fail "SLURM_TEST_TIMEOUT must be a positive integer"

# ---------------------------------------------------------------------------------
# minilat binary (built before any sudo re-exec, so target/ stays the user's)
# ---------------------------------------------------------------------------------
build_minilat() {
  if [[ -n ${MINILAT_BIN:-} ]]; then
    [[ -x $MINILAT_BIN ]] || fail "MINILAT_BIN=$MINILAT_BIN is not an executable file"
    MINILAT_BIN=$(cd "$(dirname "$MINILAT_BIN")" && pwd)/$(basename "$MINILAT_BIN")
    log "using MINILAT_BIN=$MINILAT_BIN (no build)"
    return
  fi
  command -v cargo >/dev/null || fail "cargo not found on PATH (or set MINILAT_BIN)"
  log "building minilat: cargo build --release"
  local t
  t=$(date +%s)
  cargo build --release || fail "cargo build --release failed"
  local target=${CARGO_TARGET_DIR:-target}
  [[ $target = /* ]] || target=$REPO/$target
  MINILAT_BIN=$target/release/minilat
  [[ -x $MINILAT_BIN ]] || fail "no binary at $MINILAT_BIN after the build"
  log "built $MINILAT_BIN in $(($(date +%s) - t)) s"
}

if [[ $SELFCHECK != 1 ]]; then
  [[ -f $SCENARIO ]] || fail "scenario not found: $SCENARIO (from $REPO)"
  build_minilat
  export MINILAT_BIN
fi

if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || fail "needs root (apt-get, Slurm daemons) and sudo is not available"
  log "not root: re-running through sudo"
  exec sudo -E env "PATH=$PATH" "MINILAT_BIN=${MINILAT_BIN:-}" bash "$REPO/scripts/slurm-test.sh" "$@"
fi

# ---------------------------------------------------------------------------------
# 1. Install Slurm + munge if needed
# ---------------------------------------------------------------------------------
need_install=0
for c in sbatch slurmctld slurmd munged; do
  command -v "$c" >/dev/null 2>&1 || need_install=1
done
if [[ $need_install = 1 ]]; then
  log "installing slurmctld slurmd slurm-client munge (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || fail "apt-get update failed"
  apt-get install -y -q slurmctld slurmd slurm-client munge || fail "apt-get install failed"
  for c in sbatch slurmctld slurmd munged; do
    command -v "$c" >/dev/null 2>&1 || fail "$c still not on PATH after the install"
  done
  log "installed"
else
  log "Slurm and munge already installed ($(slurmctld -V 2>/dev/null || echo '?'))"
fi

# ---------------------------------------------------------------------------------
# 2. Bring up munge + slurmctld + slurmd in a temp dir
# ---------------------------------------------------------------------------------
TMP=$(mktemp -d /tmp/slurm-test.XXXXXX)
chmod 755 "$TMP" # munge socket dir must be reachable (world-executable) by clients
CONF=$TMP/etc/slurm.conf
MUNGE_SOCK=$TMP/munge-run/munge.socket.2
MUNGE_PID=$TMP/munge-run/munged.pid
CTLD_PID=$TMP/run/slurmctld.pid
SLURMD_PID=$TMP/run/slurmd.pid
JOBLOG_DIRS=()

pid_alive() { # pid -> 0 if running (not a zombie)
  local st
  kill -0 "$1" 2>/dev/null || return 1
  st=$(ps -o stat= -p "$1" 2>/dev/null || true)
  [[ -n $st && $st != Z* ]]
}
read_pid() { [[ -s $1 ]] && tr -dc '0-9' <"$1" || true; }

# Processes belonging to this test cluster: the daemons, slurmstepd and job processes
# all carry SLURM_CONF=$CONF in their environment (it is unique to this temp dir).
our_pids() {
  local d pid comm
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [[ $pid = "$$" || $pid = "$BASHPID" ]] && continue
    { tr '\0' '\n' <"$d/environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$CONF" || continue
    comm=$({ cat "$d/comm"; } 2>/dev/null || true)
    case $comm in
    slurmctld | slurmd | slurmstepd | munged) echo "$pid" ;;
    *) { tr '\0' '\n' <"$d/environ"; } 2>/dev/null | grep -q '^SLURM_JOB_ID=' && echo "$pid" ;;
    esac
  done
  return 0
}

stop_pid() { # pid name: TERM, wait up to 10 s, then KILL
  local pid=$1 name=$2 i
  [[ -n $pid ]] || return 0
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    pid_alive "$pid" || { log "stopped $name (pid $pid)"; return 0; }
    sleep 0.1
  done
  log "$name (pid $pid) ignored SIGTERM for 10 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

dump_logs() {
  local f
  echo "slurm-test: ---- diagnostics (temp dir $TMP) ----" >&2
  if [[ -n ${SLURM_CONF:-} ]] && command -v sinfo >/dev/null; then
    sinfo -N -l 2>&1 | sed 's/^/slurm-test:   sinfo| /' >&2 || true
    squeue -a 2>&1 | sed 's/^/slurm-test:   squeue| /' >&2 || true
    scontrol -o show job 2>/dev/null | awk '{ line = ""
        for (i = 1; i <= NF; i++)
          if ($i ~ /^(JobId|ArrayJobId|ArrayTaskId|JobName|JobState|Reason|ExitCode|RunTime|StdOut)=/) line = line $i " "
        if (line != "") print line }' | sed 's/^/slurm-test:   job| /' >&2 || true
  fi
  for f in "$TMP"/log/*.log "$TMP"/log/*.out; do
    [[ -f $f ]] || continue
    echo "slurm-test: ---- tail -n 40 $f" >&2
    tail -n 40 "$f" >&2 || true
  done
  for d in "${JOBLOG_DIRS[@]}"; do
    [[ -d $d ]] || continue
    for f in "$d"/*; do
      [[ -f $f ]] || continue
      echo "slurm-test: ---- tail -n 30 $f" >&2
      tail -n 30 "$f" >&2 || true
    done
  done
}

cleanup() {
  local rc=$? pid i left
  set +e
  trap - EXIT INT TERM
  [[ $rc -ne 0 ]] && dump_logs
  log "teardown"
  # Cancel whatever is left (otherwise slurmstepd and job processes outlive slurmd).
  if [[ -n ${SLURM_CONF:-} ]] && pid_alive "$(read_pid "$CTLD_PID")"; then
    left=$(squeue -h -o %A 2>/dev/null | sort -u)
    if [[ -n $left ]]; then
      log "cancelling jobs: $(echo $left)"
      scancel $left 2>/dev/null
      for i in $(seq 1 50); do
        [[ -z $(squeue -h -t R,CG,S 2>/dev/null) ]] && break
        sleep 0.2
      done
    fi
  fi
  stop_pid "$(read_pid "$SLURMD_PID")" slurmd
  stop_pid "$(read_pid "$CTLD_PID")" slurmctld
  stop_pid "$(read_pid "$MUNGE_PID")" munged
  # Safety net: anything still carrying this run's SLURM_CONF (e.g. a daemon that died
  # before writing its pid file, or an orphaned slurmstepd).
  left=$(our_pids)
  if [[ -n $left ]]; then
    log "stray processes of this cluster: $(echo $left): SIGKILL"
    kill -KILL $left 2>/dev/null
    sleep 0.5
    left=$(our_pids)
    [[ -n $left ]] && { log "WARNING: still running: $(echo $left)"; rc=1; }
  fi
  if [[ $KEEP = 1 ]]; then
    log "KEEP=1: kept $TMP"
  else
    rm -rf "$TMP"
  fi
  log "done (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

NODE=$(hostname -s)
NCPU=$(nproc)
MEM_MB=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
# Memory is not a consumable resource here (CR_Core), but a job asking for more memory
# than the node's RealMemory is rejected ("Memory specification can not be satisfied"):
# minilat's job scripts ask for --mem=2G by default. So declare 90% of the real memory
# (declaring more than there is would get the node drained).
REALMEM=${SLURM_TEST_REALMEM:-$((MEM_MB * 9 / 10))}

port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
if [[ -n ${SLURM_TEST_CTLD_PORT:-} || -n ${SLURM_TEST_SLURMD_PORT:-} ]]; then
  CTLD_PORT=${SLURM_TEST_CTLD_PORT:-6817}
  SLURMD_PORT=${SLURM_TEST_SLURMD_PORT:-6818}
else
  CTLD_PORT=6817
  if command -v ss >/dev/null; then
    while ! port_free "$CTLD_PORT" || ! port_free $((CTLD_PORT + 1)); do
      CTLD_PORT=$((CTLD_PORT + 2))
      ((CTLD_PORT < 6900)) || fail "no free port pair in 6817..6900"
    done
  fi
  SLURMD_PORT=$((CTLD_PORT + 1))
fi

log "temp dir $TMP; node $NODE (127.0.0.1), CPUs=$NCPU RealMemory=$REALMEM, ports $CTLD_PORT/$SLURMD_PORT"
mkdir -p "$TMP"/{etc,munge-etc,munge-run,munge-lib,log,run,state,spool,work}
chmod 700 "$TMP/munge-etc" "$TMP/munge-lib"
chmod 755 "$TMP/munge-run"

# The config path is set before any daemon starts: every daemon, slurmstepd and job
# inherits it, which is also how the teardown recognises them.
export SLURM_CONF=$CONF

# --- munge ---
dd if=/dev/urandom of="$TMP/munge-etc/munge.key" bs=1024 count=1 status=none
chmod 400 "$TMP/munge-etc/munge.key"
munged --key-file="$TMP/munge-etc/munge.key" --socket="$MUNGE_SOCK" \
  --pid-file="$MUNGE_PID" --log-file="$TMP/log/munged.log" \
  --seed-file="$TMP/munge-lib/munged.seed" </dev/null ||
  fail "munged did not start"
for i in $(seq 1 50); do [[ -S $MUNGE_SOCK ]] && break; sleep 0.1; done
munge -n -S "$MUNGE_SOCK" | unmunge -S "$MUNGE_SOCK" >/dev/null ||
  fail "munge credential round trip failed"
log "munged up (pid $(read_pid "$MUNGE_PID"))"

# --- slurm.conf ---
cat >"$CONF" <<EOF
# generated by scripts/slurm-test.sh
ClusterName=slurmtest
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCK
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$TMP/log/slurmctld.log
SlurmdLogFile=$TMP/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
# Cores only: with CR_Core_Memory every job would get the whole node's memory by
# default and the array tasks would run one at a time.
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
# Keep finished jobs visible to scontrol for 10 minutes (there is no sacct).
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$NCPU RealMemory=$REALMEM State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF

# --- slurmctld + slurmd ---
slurmctld -c -f "$CONF" </dev/null >"$TMP/log/slurmctld.out" 2>&1 || fail "slurmctld did not start"
slurmd -f "$CONF" </dev/null >"$TMP/log/slurmd.out" 2>&1 || fail "slurmd did not start"
log "slurmctld and slurmd started; waiting for node $NODE to be idle (max ${IDLE_TIMEOUT} s)"
t_up=$(date +%s)
state=
while :; do
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null | head -n1 || true)
  [[ $state = idle ]] && break
  for f in "$CTLD_PID" "$SLURMD_PID"; do
    [[ -s $f ]] && ! pid_alive "$(read_pid "$f")" && fail "$(basename "$f" .pid) died"
  done
  (($(date +%s) - t_up < IDLE_TIMEOUT)) || fail "node $NODE not idle after ${IDLE_TIMEOUT} s (state '${state}')"
  sleep 0.5
done
log "node $NODE idle after $(($(date +%s) - t_up)) s (slurmctld pid $(read_pid "$CTLD_PID"), slurmd pid $(read_pid "$SLURMD_PID"))"

# ---------------------------------------------------------------------------------
# Job helpers
# ---------------------------------------------------------------------------------
# All JobState values of a job (one line per record; an array job gives one per task)
job_states() { { scontrol -o show job "$1" 2>/dev/null || true; } | { grep -o 'JobState=[A-Z_]*' || true; } | cut -d= -f2; }
job_reason() { { scontrol -o show job "$1" 2>/dev/null || true; } | { grep -o 'Reason=[^ ]*' || true; } | head -n1 | cut -d= -f2; }

# wait_job ID LABEL: wait until every record of the job is in a final state.
wait_job() {
  local id=$1 label=$2 start start_ns now ms states pending last=
  start=$(date +%s)
  start_ns=$(date +%s%N)
  while :; do
    states=$(job_states "$id")
    [[ -n $states ]] || fail "$label job $id unknown to scontrol"
    pending=$(grep -cvE '^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED|BOOT_FAIL|DEADLINE)$' <<<"$states" || true)
    ((pending == 0)) && break
    if [[ $(job_reason "$id") = DependencyNeverSatisfied ]]; then
      fail "$label job $id can never run: DependencyNeverSatisfied (a job it depends on failed)"
    fi
    now=$(date +%s)
    ((now - start < JOB_TIMEOUT)) || fail "$label job $id not finished after $JOB_TIMEOUT s (states: $(echo $states))"
    if ((now - start >= 10 && (now - start) % 10 == 0)) && [[ $last != "$now" ]]; then
      log "  ... $label job $id: $(sort <<<"$states" | uniq -c | awk '{printf "%s%s=%s", sep, $2, $1; sep=" "}')"
      last=$now
    fi
    sleep 1
  done
  ms=$((($(date +%s%N) - start_ns) / 1000000))
  log "$label job $id finished after $((ms / 1000)).$((ms % 1000 / 100)) s: $(sort <<<"$states" | uniq -c | awk '{printf "%s%s=%s", sep, $2, $1; sep=" "}')"
}

# require_completed ID LABEL N: exactly N records, all COMPLETED
require_completed() {
  local id=$1 label=$2 n=$3 states total ok
  states=$(job_states "$id")
  total=$(grep -c . <<<"$states" || true)
  ok=$(grep -cx COMPLETED <<<"$states" || true)
  ((total == n && ok == n)) ||
    fail "$label job $id: expected $n COMPLETED task(s), got: $(echo $states)"
}

parse_id() { local x; x=$(tail -n1); x=${x%%;*}; [[ $x =~ ^[0-9]+$ ]] || return 1; echo "$x"; }

# ---------------------------------------------------------------------------------
# Self-check mode: a plain array job + afterok dependency, no minilat
# ---------------------------------------------------------------------------------
if [[ $SELFCHECK = 1 ]]; then
  W=$TMP/work
  mkdir -p "$W/out" "$W/logs"
  JOBLOG_DIRS+=("$W/logs")
  t_jobs=$(date +%s)
  out=$(sbatch --parsable --array=0-3 --cpus-per-task=1 --time=00:05:00 -J selfcheck-array \
    -D "$W" -o "$W/logs/array-%A_%a.out" \
    --wrap 'echo "task $SLURM_ARRAY_TASK_ID of job $SLURM_ARRAY_JOB_ID on $(hostname -s)" > out/task-$SLURM_ARRAY_TASK_ID.txt; sleep 2') ||
    fail "sbatch (array) failed: $out"
  A=$(parse_id <<<"$out") || fail "cannot parse array job id from '$out'"
  out=$(sbatch --parsable --dependency=afterok:"$A" --cpus-per-task=1 --time=00:05:00 -J selfcheck-merge \
    -D "$W" -o "$W/logs/merge-%j.out" \
    --wrap 'cat out/task-*.txt > out/merged.txt') ||
    fail "sbatch (merge) failed: $out"
  M=$(parse_id <<<"$out") || fail "cannot parse merge job id from '$out'"
  log "submitted array=$A merge=$M"
  wait_job "$M" merge
  require_completed "$M" merge 1
  require_completed "$A" array 4
  for i in 0 1 2 3; do
    [[ -s $W/out/task-$i.txt ]] || fail "missing output of array task $i"
  done
  n=$(wc -l <"$W/out/merged.txt")
  [[ $n -eq 4 ]] || fail "merged.txt has $n lines, expected 4"
  sed 's/^/slurm-test:   merged.txt| /' "$W/out/merged.txt"
  log "SELFCHECK: 4 array tasks + afterok merge COMPLETED in $(($(date +%s) - t_jobs)) s"
  printf 'slurm-test: SELFCHECK PASS in %s s\n' "$(elapsed)"
  exit 0
fi

# ---------------------------------------------------------------------------------
# 3. minilat: local sweep vs. Slurm job array
# ---------------------------------------------------------------------------------
# Generated job scripts may call `minilat` by name: make the tested binary the one found.
PATH="$(dirname "$MINILAT_BIN"):$PATH"
export PATH
W=$TMP/work
mkdir -p "$W"

# The opt-in outputs too, so every file a sweep can write goes through the merge.
EXTRA=(--set sweep.coalitions=true --set 'sweep.ticks="mean"')
log "local sweep: minilat sweep $SCENARIO ${EXTRA[*]} --out $W/local --quiet"
t=$(date +%s%N)
"$MINILAT_BIN" sweep "$SCENARIO" "${EXTRA[@]}" --out "$W/local" --quiet || fail "minilat sweep failed"
t_local=$((($(date +%s%N) - t) / 1000000))
log "local sweep took $((t_local / 1000)).$((t_local % 1000 / 100)) s"

log "job scripts: minilat slurm $SCENARIO ${EXTRA[*]} --shards $SHARDS --cpus 1 --time 00:10:00 --out $W/slurm"
"$MINILAT_BIN" slurm "$SCENARIO" "${EXTRA[@]}" --shards "$SHARDS" --cpus 1 --time 00:10:00 --out "$W/slurm" ||
  fail "minilat slurm failed"
SD=$W/slurm.slurm
JOBLOG_DIRS+=("$SD/logs")
for f in array.sbatch merge.sbatch submit.sh; do
  [[ -f $SD/$f ]] || fail "minilat slurm did not write $SD/$f (found: $(ls "$SD" 2>/dev/null | tr '\n' ' '))"
done

# Submitted from the work dir, not the repo root: the generated scripts must not
# depend on the directory they are submitted from (relative paths would break).
log "submitting: bash $SD/submit.sh (cwd $W)"
t=$(date +%s%N)
rc=0
(cd "$W" && bash "$SD/submit.sh") >"$W/submit.out" 2>"$W/submit.err" || rc=$?
sed 's/^/slurm-test:   submit| /' "$W/submit.out"
sed 's/^/slurm-test:   submit stderr| /' "$W/submit.err"
((rc == 0)) || fail "submit.sh exited with status $rc"
last=$(tail -n1 "$W/submit.out")
[[ $last =~ ^array=([0-9]+)\ merge=([0-9]+)$ ]] ||
  fail "last line of submit.sh's output is not 'array=<id> merge=<id>': '$last'"
A=${BASH_REMATCH[1]}
M=${BASH_REMATCH[2]}
log "array job $A, merge job $M"

wait_job "$M" merge
require_completed "$M" merge 1
require_completed "$A" array "$SHARDS"
t_slurm=$((($(date +%s%N) - t) / 1000000))
log "Slurm run (submit to merged) took $((t_slurm / 1000)).$((t_slurm % 1000 / 100)) s"

# --- compare the CSVs ---
[[ -d $W/local ]] || fail "local sweep did not create $W/local"
[[ -d $W/slurm ]] || fail "merge job did not create $W/slurm"
csvs() { (cd "$1" && find . -type f -name '*.csv' | sed 's|^\./||' | LC_ALL=C sort); }
local_csvs=$(csvs "$W/local")
slurm_csvs=$(csvs "$W/slurm")
for req in runs.csv points.csv; do
  grep -qxF "$req" <<<"$local_csvs" || fail "local sweep did not write $req"
  grep -qxF "$req" <<<"$slurm_csvs" || fail "Slurm run did not write $req"
done
if [[ $local_csvs != "$slurm_csvs" ]]; then
  { diff <(echo "$local_csvs") <(echo "$slurm_csvs") || true; } | sed 's/^/slurm-test:   csv set (< local, > slurm)| /' >&2
  fail "local and Slurm outputs have different sets of CSV files"
fi
bad=0
sizes=()
while IFS= read -r f; do
  a=$W/local/$f
  b=$W/slurm/$f
  sa=$(stat -c %s "$a")
  sb=$(stat -c %s "$b")
  if cmp -s "$a" "$b"; then
    log "  identical  $f  ($sa bytes, $(wc -l <"$a") lines)"
    sizes+=("$f=${sa}B")
  else
    bad=$((bad + 1))
    {
      echo "slurm-test:   DIFFERS  $f: local $sa bytes/$(wc -l <"$a") lines, slurm $sb bytes/$(wc -l <"$b") lines"
      echo "slurm-test:   $(cmp "$a" "$b" 2>&1 || true)"
      { diff -u "$a" "$b" || true; } | head -n 30 | sed 's/^/slurm-test:   diff| /'
    } >&2
  fi
done <<<"$local_csvs"
((bad == 0)) || fail "$bad CSV file(s) differ between the local sweep and the Slurm run"

printf 'slurm-test: PASS in %s s (%d shards; local sweep %d.%d s, Slurm %d.%d s; %s)\n' \
  "$(elapsed)" "$SHARDS" $((t_local / 1000)) $((t_local % 1000 / 100)) \
  $((t_slurm / 1000)) $((t_slurm % 1000 / 100)) "${sizes[*]}"
exit 0
