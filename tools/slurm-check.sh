#!/usr/bin/env bash
# CI step: run the paper grid slice (10 cells, 4 grid_slice jobs + grid_collate) once through a
# real single-node SLURM cluster (profiles/slurm) and once locally, and require identical
# results/grid/{cells,terms}.parquet. Needs root on Debian 12 (tools/local-slurm.sh).
#
#   tools/slurm-check.sh [RAW_DIR]
#
# RAW_DIR: first argument, else $SAUCEGRID_RAW_DIR, else the inputs shipped in <repo>/data/raw.
# The slurm plugin lives in its own venv ($SLURM_VENV, default /tmp/saucegrid-slurm-venv, reused
# when it already has it): installed in the default environment it would run `scontrol` at every
# snakemake start. The cluster is stopped on exit; scratch work dirs are kept only on failure.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RAW_DIR=$(realpath "${1:-${SAUCEGRID_RAW_DIR:-$REPO/data/raw}}")
VENV=${SLURM_VENV:-/tmp/saucegrid-slurm-venv}
TIMEOUT=${SLURM_CHECK_TIMEOUT:-900}
TARGETS=(results/grid/cells.parquet)
CONFIG=(raw_dir="$RAW_DIR" grid_subset=paper)
unset SNAKEMAKE_PROFILE

log() { echo "[slurm-check] $*" >&2; }
T0=$SECONDS
lap() { # $1 = label, $2 = start second
    TIMES+=("$(printf '%-28s %4d s' "$1" $((SECONDS - $2)))")
}
TIMES=()

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/saucegrid-slurm-check.XXXXXX")
finish() {
    local rc=$?
    "$REPO/tools/local-slurm.sh" stop || true
    lap total "$T0"
    log "timings:"
    printf '  %s\n' "${TIMES[@]}" >&2
    if [[ $rc -eq 0 ]]; then
        rm -rf "$SCRATCH"
        log "PASS"
    else
        log "FAIL (rc=$rc); work dirs and logs kept in $SCRATCH"
    fi
    exit "$rc"
}
trap finish EXIT

[[ -d $RAW_DIR ]] || { log "raw dir $RAW_DIR not found (pass it as \$1 or SAUCEGRID_RAW_DIR)"; exit 1; }

# --- venv with the slurm executor plugin ---------------------------------------------------
t=$SECONDS
PY=$VENV/bin/python
STAMP=$VENV/.saucegrid-pyproject.sha256   # reinstall when the dependencies may have changed
# find_spec does not import: the plugin would run `scontrol` at import, before the cluster is up.
if "$PY" -c 'import sys, importlib.util as u
sys.exit(not (u.find_spec("snakemake_executor_plugin_slurm")
              and u.find_spec("saucegrid").origin.startswith(sys.argv[1])))' "$REPO/" 2>/dev/null &&
    [[ "$(cat "$STAMP" 2>/dev/null)" == "$(sha256sum <"$REPO/pyproject.toml")" ]]; then
    log "reusing venv $VENV"
else
    log "installing saucegrid[slurm] into venv $VENV"
    [[ -x $PY ]] || python3 -m venv "$VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check -e "$REPO[slurm]"
    sha256sum <"$REPO/pyproject.toml" >"$STAMP"
fi
lap "venv" "$t"

# --- cluster ---------------------------------------------------------------------------------
t=$SECONDS
"$REPO/tools/local-slurm.sh" start
lap "cluster start" "$t"

# Jobs inherit PATH (sbatch --export=ALL) and run the venv's python and snakemake.
export PATH="$VENV/bin:$PATH"
SMK=("$VENV/bin/snakemake" -s "$REPO/Snakefile" --configfile "$REPO/config.yaml")

# --- run 1: through SLURM ----------------------------------------------------------------------
t=$SECONDS
mkdir -p "$SCRATCH/slurm" "$SCRATCH/local"
log "run 1: SLURM (profiles/slurm) in $SCRATCH/slurm"
# SIGINT, not SIGTERM: on SIGINT snakemake scancels its jobs; on SIGTERM it waits for them.
timeout -s INT -k 60 "$TIMEOUT" "${SMK[@]}" --profile "$REPO/profiles/slurm" \
    --directory "$SCRATCH/slurm" --config "${CONFIG[@]}" -- "${TARGETS[@]}" \
    2>&1 | tee "$SCRATCH/slurm.out"
lap "run 1 (SLURM)" "$t"

# --- run 2: local --------------------------------------------------------------------------------
t=$SECONDS
log "run 2: local (--cores 2) in $SCRATCH/local"
timeout -s INT -k 60 "$TIMEOUT" "${SMK[@]}" --cores 2 \
    --directory "$SCRATCH/local" --config "${CONFIG[@]}" -- "${TARGETS[@]}" \
    >"$SCRATCH/local.out" 2>&1 || { tail -50 "$SCRATCH/local.out" >&2; exit 1; }
lap "run 2 (local)" "$t"

# --- did the jobs really run under SLURM? --------------------------------------------------------
mapfile -t JOBIDS < <(grep -oP 'submitted with SLURM jobid \K[0-9]+' "$SCRATCH/slurm.out" | sort -un)
if [[ ${#JOBIDS[@]} -eq 0 ]]; then
    log "no job was submitted to SLURM (see $SCRATCH/slurm.out)"
    exit 1
fi
# MinJobAge=300: squeue still lists the finished jobs.
STATES=$(squeue -h -t all -j "$(IFS=,; echo "${JOBIDS[*]}")" -o '%i %T %j')
log "SLURM jobs of run 1 (id state name):"
echo "$STATES" | sed 's/^/  /' >&2
if [[ $(grep -c ' COMPLETED ' <<<"$STATES") -ne ${#JOBIDS[@]} ]]; then
    log "expected ${#JOBIDS[@]} COMPLETED SLURM jobs"
    exit 1
fi
grep -q 'grid_slice' "$SCRATCH/slurm.out" || { log "no grid_slice job in run 1"; exit 1; }

# --- same results? -------------------------------------------------------------------------------
"$PY" - "$SCRATCH/slurm" "$SCRATCH/local" <<'EOF'
import sys
from pathlib import Path

import pandas as pd

a, b = map(Path, sys.argv[1:3])
bad = []
for name in ["results/grid/cells.parquet", "results/grid/terms.parquet"]:
    x, y = pd.read_parquet(a / name), pd.read_parquet(b / name)
    same = x.equals(y)
    print(f"[slurm-check] {name}: {x.shape[0]} x {x.shape[1]} (SLURM) vs {y.shape[0]} x {y.shape[1]}"
          f" (local): {'identical' if same else 'DIFFERENT'}", file=sys.stderr)
    if not same:
        bad.append(name)
        try:
            print(x.compare(y).head(20).to_string(float_format=repr), file=sys.stderr)
        except ValueError:  # different shape, columns or index
            print(f"columns SLURM: {list(x.columns)}\ncolumns local: {list(y.columns)}",
                  file=sys.stderr)
if bad:
    sys.exit(f"[slurm-check] SLURM and local runs differ in {', '.join(bad)}")
EOF
log "${#JOBIDS[@]} jobs ran under SLURM; cells and terms identical to the local run"
