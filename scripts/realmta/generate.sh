#!/usr/bin/env bash
# generate.sh - make real Debian MTAs bounce messages off a scripted SMTP peer
# and store the bounces with their ground truth.
#
# Usage: scripts/realmta/generate.sh [--out DIR] [--keep-going] [--cases LIST] [mta ...]
#   mta: postfix exim4 sendmail opensmtpd courier dma nullmailer (default: all)
#   --out DIR      write DIR/<mta>/<case>.eml and .json (default: testdata/realmta)
#   --keep-going   go on with the next case and MTA after a failure (exit 1 at the end)
#   --cases LIST   run only these cases (comma-separated names from cases/)
#
# CI (fresh Debian 12 machine, as root, from the repository root; about
# 2 minutes: 125 s here, apt-get update included):
#   dir=$(mktemp -d) && scripts/realmta/generate.sh --out "$dir" postfix exim4 &&
#   NDRKIT_REALMTA_DIR="$dir" go test ./ndr -run TestRealMTA
# A run of all seven MTAs takes about 8 minutes.
#
# Needs root, apt and Go. It installs each MTA from Debian's packages in turn
# (they are mutually exclusive: each is purged before the next, and an MTA
# that was installed before the run is purged too) and leaves none installed.
# Packages are downloaded first into /var/cache/ndrkit-realmta; Courier's
# dependencies upgrade the machine's GnuTLS. All mail and name lookups stay on
# 127.0.0.1: the MTAs run in a private mount and UTS namespace (unshare -mu)
# with its own hostname (mta.example.com), an /etc/resolv.conf pointing at a
# resolver on 127.0.0.1 that answers NXDOMAIN to everything, and an
# /etc/hosts naming the test hosts. /etc/mailname is set during the run and
# restored afterwards. Peers, resolver and MTA daemons are stopped on exit,
# also after a failure or an interrupt; a second run started meanwhile
# refuses to start.
#
# Each case in scripts/realmta/cases/<case>.json gives the peer's script and
# the reasons that fit; scripts/realmta/mta/<mta>.sh holds each MTA's
# settings. The peer (internal/realmta) answers on 127.0.0.1:2525 for
# example.net and records what it said; a second peer on 127.0.0.1:2526
# receives the reports for the sender's domain example.org (dma delivers them
# to a local mailbox instead, and nullmailer sends them back to port 2525).
# The ground truth <case>.json is built from the peer's record and the bounce
# (see internal/realmta). Environment: NDRKIT_REALMTA_WORK (work directory,
# default /tmp/ndrkit-realmta), NDRKIT_REALMTA_NO_UPDATE=1 (skip apt-get
# update).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
ALL_MTAS=(postfix exim4 sendmail opensmtpd courier dma nullmailer)
CACHE=/var/cache/ndrkit-realmta/archives
WORK=${NDRKIT_REALMTA_WORK:-/tmp/ndrkit-realmta}
PEER_PORT=2525
CAPTURE_PORT=2526
HOST=mta.example.com
SENDER=sender@example.org

log() { printf '%s realmta: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

OUT=$ROOT/testdata/realmta
KEEP_GOING=0
CASES=""
MTAS=()
while (($#)); do
	case $1 in
	--out) OUT=${2:?--out needs a directory}; shift 2 ;;
	--out=*) OUT=${1#--out=}; shift ;;
	--keep-going) KEEP_GOING=1; shift ;;
	--cases) CASES=${2:?--cases needs a list}; shift 2 ;;
	--cases=*) CASES=${1#--cases=}; shift ;;
	-h|--help) usage ;;
	-*) log "unknown option $1"; usage ;;
	*) MTAS+=("$1"); shift ;;
	esac
done
((${#MTAS[@]})) || MTAS=("${ALL_MTAS[@]}")
for m in "${MTAS[@]}"; do
	[[ " ${ALL_MTAS[*]} " == *" $m "* ]] || die "unknown MTA '$m' (known: ${ALL_MTAS[*]})"
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# Debian packages of each MTA.
packages() {
	case $1 in
	postfix) echo postfix ;;
	exim4) echo exim4-daemon-light exim4-base exim4-config ;;
	sendmail) echo sendmail-bin sendmail-cf m4 make ;;
	opensmtpd) echo opensmtpd ;;
	courier) echo courier-mta ;;
	dma) echo dma ;;
	nullmailer) echo nullmailer ;;
	esac
}
# Packages to purge so that no MTA is left (also catches a leftover one).
PURGE_PKGS=(postfix exim4-daemon-light exim4-daemon-heavy exim4-base exim4-config
	sendmail-bin sendmail-base sendmail-cf opensmtpd courier-mta courier-base courier-authdaemon
	courier-authlib-userdb courier-authlib dma nullmailer)

# --------------------------------------------------------------------------
# Outside the namespace: checks, build, downloads; then re-run inside.
# --------------------------------------------------------------------------
if [[ -z ${NDRKIT_REALMTA_INNER:-} ]]; then
	[[ $(id -u) == 0 ]] || die "must run as root (installs and purges MTAs)"
	for c in apt-get dpkg unshare go timeout hostname mount flock runuser; do
		command -v "$c" >/dev/null || die "missing command: $c"
	done
	mkdir -p "$WORK/bin" "$CACHE/partial"
	# One run at a time; the lock is held through the exec below.
	exec 9>"$WORK/lock"
	flock -n 9 || die "another run holds $WORK/lock"
	log "building the peer"
	(cd "$ROOT" && go build -o "$WORK/bin/realmta" ./internal/realmta) || die "go build ./internal/realmta failed"
	if [[ -z ${NDRKIT_REALMTA_NO_UPDATE:-} ]]; then
		log "apt-get update"
		timeout 300 apt-get update -q >"$WORK/apt-update.log" 2>&1 ||
			{ tail -20 "$WORK/apt-update.log" >&2; die "apt-get update failed"; }
	fi
	for m in "${MTAS[@]}"; do
		log "downloading packages for $m"
		# shellcheck disable=SC2046
		DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --download-only \
			--no-install-recommends -o Dir::Cache::archives="$CACHE" $(packages "$m") \
			>"$WORK/download-$m.log" 2>&1 ||
			{ tail -20 "$WORK/download-$m.log" >&2; die "downloading $m failed"; }
	done
	export NDRKIT_REALMTA_INNER=1 NDRKIT_REALMTA_WORK="$WORK"
	args=(--out "$OUT")
	((KEEP_GOING)) && args+=(--keep-going)
	[[ -n $CASES ]] && args+=(--cases "$CASES")
	exec unshare -mu --propagation private "$0" "${args[@]}" "${MTAS[@]}"
fi

# --------------------------------------------------------------------------
# Inside the namespace. The test domains are in /etc/hosts too: Sendmail's
# message submission program looks their names up before anything else.
# --------------------------------------------------------------------------
BIN=$WORK/bin/realmta
CASEDIR=$SCRIPT_DIR/cases
export DEBIAN_FRONTEND=noninteractive
[[ -x $BIN ]] || die "$BIN missing"

printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$WORK/resolv.conf"
cat >"$WORK/hosts" <<EOF
127.0.0.1 localhost
127.0.0.1 $HOST mta
127.0.0.1 example.net
127.0.0.1 example.org
EOF
echo "$HOST" >"$WORK/hostname"
mount --bind "$WORK/resolv.conf" /etc/resolv.conf
mount --bind "$WORK/hosts" /etc/hosts
[[ -e /etc/hostname ]] && mount --bind "$WORK/hostname" /etc/hostname
hostname "$HOST"
# Skip man-db's index rebuild after each install (slow, and of no use here):
# its trigger does nothing without /var/lib/man-db/auto-update.
[[ -d /var/lib/man-db ]] && mount -t tmpfs tmpfs /var/lib/man-db

# Every name lookup gets NXDOMAIN at once from a resolver on 127.0.0.1.
DNS_PID=""
rm -f "$WORK/dns.ready"
"$BIN" dns -listen 127.0.0.1:53 -ready "$WORK/dns.ready" >"$WORK/dns.log" 2>&1 &
DNS_PID=$!

# /etc/mailname is read by several MTAs; restore the machine's own afterwards.
MAILNAME_SAVED=""
if [[ -e /etc/mailname ]]; then
	MAILNAME_SAVED=$WORK/mailname.saved
	cp -p /etc/mailname "$MAILNAME_SAVED"
fi
echo "$HOST" >/etc/mailname

PEER_PIDS=()
CURRENT=""
FAILED=()

stop_peers() {
	local p
	for p in "${PEER_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PEER_PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	PEER_PIDS=()
}

cleanup() {
	local rc=$?
	set +e
	stop_peers
	if [[ -n $DNS_PID ]]; then
		kill "$DNS_PID" 2>/dev/null
		wait "$DNS_PID" 2>/dev/null
	fi
	if [[ -n $CURRENT ]]; then
		log "cleaning up $CURRENT"
		"stop_$CURRENT" >/dev/null 2>&1
		purge_all >/dev/null 2>&1
	fi
	if [[ -n $MAILNAME_SAVED ]]; then
		cp -p "$MAILNAME_SAVED" /etc/mailname
	else
		rm -f /etc/mailname
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds.
wait_for() {
	local secs=$1 what=$2 deadline
	shift 2
	deadline=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		((SECONDS < deadline)) || { log "timed out after ${secs}s waiting for $what"; return 1; }
		sleep 0.5
	done
}

# start_peer NAME ARGS...: run the helper's peer in the background.
start_peer() {
	local name=$1
	shift
	rm -f "$WORK/$name.ready"
	"$BIN" peer -ready "$WORK/$name.ready" "$@" >"$WORK/$name.log" 2>&1 &
	PEER_PIDS+=($!)
	wait_for 20 "the $name peer to listen" test -s "$WORK/$name.ready" ||
		{ cat "$WORK/$name.log" >&2; return 1; }
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

purge_all() {
	local p present=()
	for p in "${PURGE_PKGS[@]}"; do
		installed "$p" && present+=("$p")
	done
	((${#present[@]})) || return 0
	log "purging ${present[*]}"
	timeout 300 apt-get purge -y -q "${present[@]}" >>"$WORK/apt.log" 2>&1
}

install_mta() {
	local m=$1
	purge_all || die "purging the previous MTA failed (see $WORK/apt.log)"
	log "installing $m"
	# shellcheck disable=SC2046
	timeout 600 apt-get install -y -q --no-install-recommends \
		-o Dir::Cache::archives="$CACHE" -o Dpkg::Options::=--force-confdef \
		-o Dpkg::Options::=--force-confold $(packages "$m") >>"$WORK/apt.log" 2>&1 ||
		{ tail -30 "$WORK/apt.log" >&2; return 1; }
}

# The test message; one per case.
make_message() {
	local mta=$1 case=$2 to
	to=$(paste -sd, "$WORK/rcpts" | sed 's/,/, /g')
	cat <<EOF
From: Sender <$SENDER_ADDR>
To: $to
Subject: ndrkit real-MTA test $case
Date: Mon, 01 Jan 2024 09:00:00 +0000
Message-ID: <$case.$mta@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

This message was sent by scripts/realmta/generate.sh to the scripted peer
on 127.0.0.1 to obtain a bounce from $mta.
EOF
}

# mta_var MTA NAME: print the MTA's setting <MTA>_<NAME> (e.g. DMA_SENDER),
# empty if it has none.
mta_var() {
	local v=${1^^}_$2
	printf '%s' "${!v:-}"
}

# first_capture: print the first captured message, if any.
first_capture() {
	local f
	for f in "$WORK/capture"/*.eml; do
		[[ -e $f ]] && { echo "$f"; return 0; }
	done
	return 1
}

# run_case MTA CASE: one message, one bounce (or delay warning).
run_case() {
	local rc=0
	run_case_inner "$@" || rc=1
	stop_peers
	return $rc
}

run_case_inner() {
	local mta=$1 case=$2 casefile=$CASEDIR/$2.json kind bounce
	kind=$(sed -n 's/^ *"kind": *"\([a-z]*\)".*/\1/p' "$casefile")
	"$BIN" rcpts -case "$casefile" >"$WORK/rcpts" || return 1
	rm -rf "$WORK/capture" "$WORK/record.jsonl"
	mkdir -p "$WORK/capture"
	"reset_$mta" "$kind" || { log "$mta: reset failed"; return 1; }
	if [[ $(mta_var "$mta" CAPTURE_ON_PEER_PORT) == 1 ]]; then
		# The MTA sends everything to one smarthost: the case peer itself
		# keeps the reports addressed to the sender's domain.
		start_peer peer -case "$casefile" -listen "127.0.0.1:$PEER_PORT" -record "$WORK/record.jsonl" \
			-capture "$WORK/capture" -capture-to example.org || return 1
	else
		start_peer peer -case "$casefile" -listen "127.0.0.1:$PEER_PORT" -record "$WORK/record.jsonl" || return 1
		start_peer capture -listen "127.0.0.1:$CAPTURE_PORT" -capture "$WORK/capture" || return 1
	fi
	local SENDER_ADDR
	SENDER_ADDR=$(mta_var "$mta" SENDER)
	SENDER_ADDR=${SENDER_ADDR:-$SENDER}
	make_message "$mta" "$case" >"$WORK/message"
	log "$mta/$case: submitting ($kind)"
	# shellcheck disable=SC2046
	"submit_$mta" $(cat "$WORK/rcpts") <"$WORK/message" || { log "$mta/$case: submission failed"; return 1; }
	if ! "await_$mta" "$kind"; then
		log "$mta/$case: no report arrived; peer said:"
		cat "$WORK/record.jsonl" >&2 2>/dev/null || true
		"debug_$mta" >&2 2>/dev/null || true
		return 1
	fi
	sleep 1 # let a second report (if any) arrive
	stop_peers
	local reports=() f i name partial=()
	for f in "$WORK/capture"/*.eml; do reports+=("$f"); done
	mkdir -p "$OUT/$mta"
	rm -f "$OUT/$mta/$case.eml" "$OUT/$mta/$case.json" "$OUT/$mta/$case"-[0-9]*.eml "$OUT/$mta/$case"-[0-9]*.json
	if [[ $kind == delay ]] && ((${#reports[@]} > 1)); then
		log "$mta/$case: ${#reports[@]} delay warnings arrived; keeping the first"
		reports=("${reports[0]}")
	fi
	# Some MTAs send one report per recipient: keep each, <case>-N from the second on.
	((${#reports[@]} > 1)) && partial=(-partial)
	for i in "${!reports[@]}"; do
		name=$case
		((i > 0)) && name=$case-$((i + 1))
		cp "${reports[$i]}" "$OUT/$mta/$name.eml"
		"$BIN" truth -case "$casefile" -mta "$mta" -record "$WORK/record.jsonl" "${partial[@]}" \
			-bounce "$OUT/$mta/$name.eml" -out "$OUT/$mta/$name.json" ||
			{ log "$mta/$name: ground truth failed"; return 1; }
	done
	log "$mta/$case: ok"
}

# wait_capture SECONDS: wait for the first report to arrive.
wait_capture() { wait_for "$1" "a report in $WORK/capture" first_capture; }

# shellcheck source=/dev/null
for f in "$SCRIPT_DIR"/mta/*.sh; do . "$f"; done

# cases_for MTA: the cases to run (some MTAs cannot do all, e.g. no delay
# warnings).
cases_for() {
	local m=$1 c
	for c in "$CASEDIR"/*.json; do
		c=$(basename "$c" .json)
		if [[ -n $CASES && ",$CASES," != *",$c,"* ]]; then
			continue
		fi
		if declare -F "skip_$m" >/dev/null && "skip_$m" "$c"; then
			log "$m/$c: skipped (not supported by $m)"
			continue
		fi
		echo "$c"
	done
}

run_mta() {
	local m=$1 c ok=0
	CURRENT=$m
	# A full run replaces the MTA's directory, so no stale case survives.
	[[ -z $CASES ]] && rm -rf "${OUT:?}/$m"
	install_mta "$m" || { log "$m: installation failed"; return 1; }
	"setup_$m" || { log "$m: setup failed"; "debug_$m" >&2 2>/dev/null; return 1; }
	for c in $(cases_for "$m"); do
		run_case "$m" "$c" || { ok=1; FAILED+=("$m/$c"); ((KEEP_GOING)) || break; }
	done
	"stop_$m" >/dev/null 2>&1 || true
	purge_all || log "$m: purge failed"
	CURRENT=""
	return $ok
}

wait_for 20 "the DNS responder" test -s "$WORK/dns.ready" || { cat "$WORK/dns.log" >&2; die "no DNS responder"; }

start=$SECONDS
for m in "${MTAS[@]}"; do
	t0=$SECONDS
	if run_mta "$m"; then
		log "$m: done in $((SECONDS - t0))s"
	else
		log "$m: FAILED after $((SECONDS - t0))s"
		FAILED+=("$m")
		((KEEP_GOING)) || exit 1
	fi
done
log "finished in $((SECONDS - start))s; output in $OUT"
if ((${#FAILED[@]})); then
	log "failures: ${FAILED[*]}"
	exit 1
fi
