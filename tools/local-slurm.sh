#!/usr/bin/env bash
# A single-node SLURM cluster on localhost, for CI and for trying the slurm profile by hand.
# Debian 12, run as root, no systemd needed. No accounting database: sacct does not work, so
# Snakemake must poll with `--slurm-status-command squeue` (profiles/slurm does).
#
#   tools/local-slurm.sh [start]   install (apt, once), configure, start munged/slurmctld/slurmd,
#                                  wait for the node, srun smoke test. Safe to repeat: when all is
#                                  up and slurm.conf is unchanged it returns at once.
#   tools/local-slurm.sh stop      stop the daemons this script started, by their PID files only
#   tools/local-slurm.sh status    daemon PIDs and sinfo
set -euo pipefail

CONF=/etc/slurm/slurm.conf
PARTITION=debug
# name:pidfile, in start order (stop goes in reverse)
DAEMONS=(munged:/run/munge/munged.pid slurmctld:/run/slurm/slurmctld.pid slurmd:/run/slurm/slurmd.pid)

log() { echo "[local-slurm] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The PID in $2 is alive and really is daemon $1 (a stale file must never make us kill a stranger).
alive() { [[ -s $2 ]] && [[ "$(cat "/proc/$(cat "$2")/comm" 2>/dev/null)" == "$1" ]]; }

stop_one() {
    local name=$1 pidfile=$2 pid
    if alive "$name" "$pidfile"; then
        pid=$(cat "$pidfile")
        log "stopping $name (pid $pid)"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && { log "$name ignores SIGTERM, SIGKILL"; kill -9 "$pid" || true; }
    fi
    rm -f "$pidfile"
}

install_packages() {
    local pkgs=(slurmctld slurmd slurm-client munge) p missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return
    log "apt-get install ${missing[*]}"
    # No init system here: keep the postinst scripts from starting daemons; we start them below.
    local own_policy=0 rc=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d
        own_policy=1
    fi
    # --no-install-recommends: 8 packages instead of the ~40 plugin/-dev ones slurm-wlm pulls.
    { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } || rc=$?
    [[ $own_policy -eq 1 ]] && rm -f /usr/sbin/policy-rc.d
    [[ $rc -eq 0 ]] || die "apt-get failed (rc=$rc)"
}

start_munge() {
    [[ -s /etc/munge/munge.key ]] || mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
    install -d -o munge -g munge -m 0755 /run/munge
    install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return
    log "starting munged"
    runuser -u munge -- /usr/sbin/munged
    for _ in $(seq 25); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return; sleep 0.2; done
    die "munged did not come up (see /var/log/munge/munged.log)"
}

# Writes slurm.conf; returns 0 when it changed.
write_conf() {
    local node ncpu mem realmem defmem tmp
    node=$(hostname -s)
    ncpu=$(nproc)
    mem=$(free -m | awk '/^Mem:/ {print $2}')
    realmem=$((mem > 2048 ? mem - 512 : mem * 9 / 10))   # above what slurmd detects => drained
    defmem=$((realmem / ncpu > 1024 ? 1024 : realmem / ncpu))
    getent hosts "$node" >/dev/null || echo "127.0.0.1 $node" >>/etc/hosts
    install -d -m 0755 /etc/slurm /var/spool/slurmd
    install -d -o slurm -g slurm -m 0755 /run/slurm /var/spool/slurmctld /var/log/slurm
    tmp=$(mktemp)
    cat >"$tmp" <<EOF
# Written by tools/local-slurm.sh: one node on localhost, no accounting database.
ClusterName=saucegrid
# must be \`hostname -s\`, or slurmctld will not act as controller
SlurmctldHost=${node}(127.0.0.1)
SlurmUser=slurm
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
SwitchType=switch/none
# no cgroups, no systemd
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# squeue shows finished jobs this long; the Snakemake plugin needs >= 3 * init seconds for squeue
MinJobAge=300
# reject jobs the node cannot hold at sbatch time instead of leaving them PENDING for ever
EnforcePartLimits=ALL
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
# without it a job that asks no memory takes the whole node and jobs run one at a time
DefMemPerCPU=${defmem}
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
MailProg=/bin/true
NodeName=${node} NodeAddr=127.0.0.1 CPUs=${ncpu} RealMemory=${realmem} State=UNKNOWN
PartitionName=${PARTITION} Nodes=${node} Default=YES MaxTime=INFINITE State=UP
EOF
    if cmp -s "$tmp" "$CONF"; then rm -f "$tmp"; return 1; fi
    log "writing $CONF (node $node, $ncpu CPUs, RealMemory $realmem, DefMemPerCPU $defmem)"
    mv "$tmp" "$CONF" && chmod 0644 "$CONF"
}

node_state() { sinfo -h -N -o '%t' 2>/dev/null | head -1 || true; }

start_slurm() {
    local started=0 state
    if write_conf && { alive slurmctld /run/slurm/slurmctld.pid || alive slurmd /run/slurm/slurmd.pid; }; then
        log "slurm.conf changed: restarting slurmctld and slurmd"
        stop_one slurmd /run/slurm/slurmd.pid
        stop_one slurmctld /run/slurm/slurmctld.pid
    fi
    # Both daemonise with stdio on /dev/null, so a CI step does not wait on their pipes.
    alive slurmctld /run/slurm/slurmctld.pid || { log "starting slurmctld"; /usr/sbin/slurmctld; started=1; }
    alive slurmd /run/slurm/slurmd.pid || { log "starting slurmd"; /usr/sbin/slurmd; started=1; }
    for _ in $(seq 60); do
        state=$(node_state)
        case $state in
            idle | mix | alloc | comp) break ;;
            drain* | down*) scontrol update NodeName="$(hostname -s)" State=RESUME 2>/dev/null || true ;;
        esac
        sleep 0.5
    done
    case $state in idle | mix | alloc | comp) ;; *) die "node state '$state'; see /var/log/slurm/" ;; esac
    log "node $(hostname -s): $state"
    if [[ $started -eq 1 ]]; then
        local out
        out=$(timeout 60 srun -N1 -n1 -t 1 hostname) || die "srun smoke test failed"
        log "srun smoke test: $out"
    fi
}

[[ $(id -u) -eq 0 ]] || die "must run as root"
case ${1:-start} in
    start)
        install_packages
        start_munge
        start_slurm
        ;;
    stop)
        for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do stop_one "${DAEMONS[i]%%:*}" "${DAEMONS[i]#*:}"; done
        ;;
    status)
        for d in "${DAEMONS[@]}"; do
            if alive "${d%%:*}" "${d#*:}"; then echo "${d%%:*}: pid $(cat "${d#*:}")"; else echo "${d%%:*}: stopped"; fi
        done
        sinfo 2>&1 || true
        ;;
    *) die "usage: $0 [start|stop|status]" ;;
esac
