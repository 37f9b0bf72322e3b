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
