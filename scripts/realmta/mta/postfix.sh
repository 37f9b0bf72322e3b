# Postfix 3.7 (sourced by generate.sh).

POSTFIX_KIND=""

setup_postfix() {
	postfix stop >/dev/null 2>&1 || true
	postconf -e \
		"myhostname = $HOST" \
		"mydomain = example.com" \
		"myorigin = \$myhostname" \
		"mydestination = \$myhostname, localhost" \
		"inet_interfaces = loopback-only" \
		"inet_protocols = ipv4" \
		"relayhost =" \
		"transport_maps = inline:{example.net=smtp:[127.0.0.1]:$PEER_PORT, example.org=smtp:[127.0.0.1]:$CAPTURE_PORT}" \
		"smtp_dns_support_level = disabled" \
		"smtp_tls_security_level = none" \
		"smtp_connect_timeout = 5s" \
		"smtp_helo_timeout = 5s" \
		"smtp_mail_timeout = 5s" \
		"smtp_rcpt_timeout = 5s" \
		"smtp_data_init_timeout = 5s" \
		"smtp_data_xfer_timeout = 5s" \
		"smtp_data_done_timeout = 5s" \
		"smtp_quit_timeout = 5s" \
		"default_destination_concurrency_failed_cohort_limit = 1000" \
		"queue_run_delay = 1s" \
		"minimal_backoff_time = 1s" \
		"maximal_backoff_time = 2s" \
		"maillog_file = /var/log/postfix.log"
	postconf -M postlog/unix-dgram >/dev/null 2>&1 ||
		postconf -Me 'postlog/unix-dgram = postlog unix-dgram n - n - 1 postlogd'
	postfix_kind bounce
	postfix start >/dev/null 2>&1 || return 1
}

# postfix_kind bounce|delay: expire at once, or warn early and keep trying.
postfix_kind() {
	[[ $POSTFIX_KIND == "$1" ]] && return 0
	if [[ $1 == delay ]]; then
		postconf -e "maximal_queue_lifetime = 1d" "bounce_queue_lifetime = 1d" "delay_warning_time = 2s"
	else
		postconf -e "maximal_queue_lifetime = 0" "bounce_queue_lifetime = 0" "delay_warning_time = 0h"
	fi
	POSTFIX_KIND=$1
	postfix status >/dev/null 2>&1 && postfix reload >/dev/null 2>&1
	return 0
}

reset_postfix() {
	postsuper -d ALL >/dev/null 2>&1 || true
	postfix_kind "$1"
}

submit_postfix() { timeout 60 /usr/sbin/sendmail -f "$SENDER" -i -- "$@"; }

await_postfix() {
	if [[ $1 == delay ]]; then
		await_loop 60 postqueue -f
	else
		await_loop 60
	fi
}

stop_postfix() {
	postsuper -d ALL >/dev/null 2>&1 || true
	postfix stop
}

debug_postfix() {
	tail -20 /var/log/postfix.log
	postqueue -p | head -20
}
