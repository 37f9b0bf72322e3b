# Exim 4.96 (sourced by generate.sh). Runs without a daemon: the submitting
# process delivers at once, and queue runs (exim4 -qff) are started by hand.

EXIM_KIND=""

exim4_config() {
	local warn=0s retry=""
	if [[ $1 == delay ]]; then
		warn=2s
		retry='* * F,1d,1s'
	fi
	sed -e "s|@HOST@|$HOST|g" -e "s|@PEER_PORT@|$PEER_PORT|g" \
		-e "s|@CAPTURE_PORT@|$CAPTURE_PORT|g" -e "s|@DELAY_WARNING@|$warn|" \
		-e "s|@RETRY@|$retry|" "$SCRIPT_DIR/exim4.conf.in" >/etc/exim4/exim4.conf
	chmod 644 /etc/exim4/exim4.conf
	EXIM_KIND=$1
	exim4 -bV >/dev/null || { exim4 -bV >&2; return 1; }
}

setup_exim4() {
	/etc/init.d/exim4 stop >/dev/null 2>&1 || true
	exim4_config bounce
}

reset_exim4() {
	rm -rf /var/spool/exim4/input/* /var/spool/exim4/msglog/* /var/spool/exim4/db/*
	[[ $EXIM_KIND == "$1" ]] || exim4_config "$1"
}

submit_exim4() { timeout 60 exim4 -f "$SENDER" -i -- "$@"; }

await_exim4() {
	if [[ $1 == delay ]]; then
		await_loop 60 exim4 -qff
	else
		await_loop 60 exim4 -qff
	fi
}

stop_exim4() {
	/etc/init.d/exim4 stop
	rm -rf /var/spool/exim4/input/* /var/spool/exim4/msglog/* /var/spool/exim4/db/*
}

debug_exim4() {
	tail -20 /var/log/exim4/mainlog
	tail -5 /var/log/exim4/paniclog
	exim4 -bp | head
}
