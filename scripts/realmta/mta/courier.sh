# Courier 1.0 (sourced by generate.sh). esmtproutes sends example.net to the
# peer and example.org to the capture peer; short queue and retry times.

courier_config() {
	local qt=1s wt=4h
	if [[ $1 == delay ]]; then
		qt=1d
		wt=1s
	fi
	echo "$HOST" >/etc/courier/me
	echo "$HOST" >/etc/courier/defaultdomain
	printf 'localhost\n%s\n' "$HOST" >/etc/courier/locals
	printf 'example.net: [127.0.0.1],%s\nexample.org: [127.0.0.1],%s\n' "$PEER_PORT" "$CAPTURE_PORT" \
		>/etc/courier/esmtproutes
	echo "$qt" >/etc/courier/queuetime
	echo "$wt" >/etc/courier/warntime
	local f
	for f in retryalpha retrybeta retrygamma retrymaxdelta; do echo 1 >"/etc/courier/$f"; done
	for f in esmtptimeout esmtptimeoutconnect esmtptimeouthelo esmtptimeoutdata esmtptimeoutquit; do
		echo 5s >"/etc/courier/$f"
	done
	echo 0 >/etc/courier/esmtpdelay
	sed -i 's/^ESMTP_USE_STARTTLS=.*/ESMTP_USE_STARTTLS=0/; s/^ESMTP_BLOCKBACKSCATTER=.*/ESMTP_BLOCKBACKSCATTER=/' \
		/etc/courier/courierd
	COURIER_KIND=$1
}

courier_stop() {
	timeout 30 courier stop >/dev/null 2>&1 || true
	wait_for 20 "courierd to stop" sh -c '! pidof -q courierd'
}

setup_courier() {
	local s
	for s in courier-mta courier-msa courier-mta-ssl; do
		timeout 30 "/etc/init.d/$s" stop >/dev/null 2>&1 || true
	done
	courier_stop
	courier_config bounce
}

reset_courier() {
	courier_stop || return 1
	rm -rf /var/lib/courier/msgs/* /var/lib/courier/msgq/* /var/lib/courier/tmp/* /var/lib/courier/track/*
	courier_config "$1"
	timeout 30 courier start >/dev/null 2>&1 || return 1
	wait_for 20 "courierd to start" pidof -q courierd
	courier clear all >/dev/null 2>&1 || true
}

submit_courier() { timeout 60 /usr/sbin/sendmail -f "$SENDER" -- "$@"; }

await_courier() { await_loop 90 courier flush; }

stop_courier() {
	courier_stop
	rm -rf /var/lib/courier/msgs/* /var/lib/courier/msgq/* /var/lib/courier/tmp/*
}

debug_courier() {
	mailq 2>&1 | head -20
}
