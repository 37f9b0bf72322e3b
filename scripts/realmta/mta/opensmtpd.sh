# OpenSMTPD 6.8 (sourced by generate.sh). Restarted for every case: after a
# connection failure it disables the route for a while.

opensmtpd_config() {
	local ttl=1s warn=""
	if [[ $1 == delay ]]; then
		ttl=1d
		warn="bounce warn-interval 1s"
	fi
	cat >/etc/smtpd.conf <<CONF
# scripts/realmta/generate.sh
queue ttl $ttl
$warn
listen on 127.0.0.1
action "peer" relay host smtp+notls://127.0.0.1:$PEER_PORT
action "capture" relay host smtp+notls://127.0.0.1:$CAPTURE_PORT
match from local for domain "example.net" action "peer"
match from local for domain "example.org" action "capture"
CONF
	smtpd -n -f /etc/smtpd.conf >/dev/null 2>&1 || { smtpd -n -f /etc/smtpd.conf >&2; return 1; }
}

opensmtpd_stop() {
	timeout 30 /etc/init.d/opensmtpd stop >/dev/null 2>&1 || true
	wait_for 20 "smtpd to stop" sh -c '! pidof -q smtpd'
}

setup_opensmtpd() {
	opensmtpd_stop
	opensmtpd_config bounce
}

reset_opensmtpd() {
	opensmtpd_stop || return 1
	rm -rf /var/spool/smtpd/queue/* /var/spool/smtpd/incoming/* /var/spool/smtpd/temporary/* \
		/var/spool/smtpd/corrupt/* /var/spool/smtpd/purge/*
	opensmtpd_config "$1" || return 1
	timeout 30 /etc/init.d/opensmtpd start >/dev/null 2>&1 || return 1
	wait_for 20 "smtpd to listen" bash -c 'exec 3<>/dev/tcp/127.0.0.1/25'
}

submit_opensmtpd() { timeout 60 /usr/sbin/sendmail -f "$SENDER" -- "$@"; }

# After a failed connection smtpd holds the route back for minutes; a
# restart makes it look at the (by then expired) envelope again.
await_opensmtpd() {
	await_loop 10 smtpctl schedule all && return 0
	opensmtpd_stop || return 1
	timeout 30 /etc/init.d/opensmtpd start >/dev/null 2>&1 || return 1
	await_loop 60 smtpctl schedule all
}

stop_opensmtpd() { opensmtpd_stop; }

debug_opensmtpd() {
	smtpctl show queue 2>&1 | head -20
}

# skip_opensmtpd CASE: its SMTP client waits minutes for a greeting (more
# than two were seen), with no setting to shorten the wait.
skip_opensmtpd() { [[ $1 == noanswer ]]; }
