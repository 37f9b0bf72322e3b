# nullmailer 2.2 (sourced by generate.sh). nullmailer sends everything to one
# smarthost (the peer), so reports to the sender come back to the peer's
# port too: the case peer keeps them, and where it cannot accept them (no
# answer, 554 greeting) a second queue run sends them to a peer that accepts
# everything. nullmailer-send runs by hand in one-shot mode (pausetime 0).

NULLMAILER_CAPTURE_ON_PEER_PORT=1

setup_nullmailer() {
	timeout 30 /etc/init.d/nullmailer stop >/dev/null 2>&1 || true
	echo "127.0.0.1 smtp --port=$PEER_PORT" >/etc/nullmailer/remotes
	echo example.com >/etc/nullmailer/defaultdomain
	: >/etc/nullmailer/adminaddr
	echo 1 >/etc/nullmailer/queuelifetime
	echo 0 >/etc/nullmailer/pausetime
	echo 5 >/etc/nullmailer/sendtimeout
}

reset_nullmailer() {
	rm -f /var/spool/nullmailer/queue/* /var/spool/nullmailer/failed/* /var/spool/nullmailer/tmp/*
}

submit_nullmailer() { timeout 60 /usr/sbin/sendmail -f "$SENDER" -- "$@"; }

nullmailer_run() {
	timeout 60 runuser -u mail -- /usr/sbin/nullmailer-send >>"$WORK/nullmailer-send.log" 2>&1
}

await_nullmailer() {
	sleep 2 # past queuelifetime, so that temporary failures expire
	nullmailer_run
	first_capture >/dev/null && return 0
	switch_to_capture || return 1
	nullmailer_run
	first_capture >/dev/null
}

stop_nullmailer() {
	timeout 30 /etc/init.d/nullmailer stop
	reset_nullmailer
}

debug_nullmailer() {
	tail -20 "$WORK/nullmailer-send.log"
	ls -l /var/spool/nullmailer/queue /var/spool/nullmailer/failed
}

# skip_nullmailer CASE: nullmailer sends no delay warnings.
skip_nullmailer() { [[ $1 == delay ]]; }
