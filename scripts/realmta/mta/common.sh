# Helpers shared by the per-MTA files (sourced by generate.sh).

# await_loop SECONDS [COMMAND...]: wait for a captured report, running
# COMMAND (e.g. a queue run) every second or so while waiting.
await_loop() {
	local deadline=$((SECONDS + $1))
	shift
	while ((SECONDS < deadline)); do
		first_capture >/dev/null && return 0
		sleep 1
		if (($#)); then
			timeout 20 "$@" >/dev/null 2>&1 || true
		fi
	done
	first_capture >/dev/null
}

# switch_to_capture: replace the case peer on PEER_PORT by one that accepts
# everything, so that a report waiting in the queue of an MTA that sends
# all mail to one smarthost can leave.
switch_to_capture() {
	stop_peers
	start_peer capture -listen "127.0.0.1:$PEER_PORT" -capture "$WORK/capture" -capture-to example.org
}

# mbox_split MBOX DIR: store each message of an mbox file as DIR/mbox-NNN.eml
# (without the "From " separator line and the blank line that ends each).
mbox_split() {
	awk -v dir="$2" '
	function flush(   i, last) {
		if (n == 0) return
		last = n
		if (line[last] == "") last--
		f = sprintf("%s/mbox-%03d.eml", dir, ++count)
		for (i = 1; i <= last; i++) print line[i] > f
		close(f)
		n = 0
	}
	/^From / && (NR == 1 || prev == "") { flush(); prev = $0; started = 1; next }
	started { line[++n] = $0 }
	{ prev = $0 }
	END { flush() }
	' "$1"
}
