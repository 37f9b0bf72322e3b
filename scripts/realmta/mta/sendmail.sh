# Sendmail 8.17 (sourced by generate.sh). The daemon (started by Debian's init
# script) receives the submission from the MSP and delivers; a mailertable
# sends example.net to the peer (esmtp mailer, port PEER_PORT) and
# example.org to the capture peer (relay mailer, port CAPTURE_PORT).

SENDMAIL_KIND=""

sendmail_config() {
	local warn=4h ret=0s
	if [[ $1 == delay ]]; then
		warn=1s
		ret=1d
	fi
	[[ -e /etc/mail/sendmail.mc.orig ]] || cp -p /etc/mail/sendmail.mc /etc/mail/sendmail.mc.orig
	[[ -e /etc/mail/submit.mc.orig ]] || cp -p /etc/mail/submit.mc /etc/mail/submit.mc.orig
	{
		sed '/^MAILER_DEFINITIONS/,$d' /etc/mail/sendmail.mc.orig
		cat <<MC
dnl # scripts/realmta/generate.sh
FEATURE(\`nocanonify')dnl
FEATURE(\`accept_unresolvable_domains')dnl
FEATURE(\`mailertable')dnl
define(\`ESMTP_MAILER_ARGS', \`TCP \$h $PEER_PORT')dnl
define(\`RELAY_MAILER_ARGS', \`TCP \$h $CAPTURE_PORT')dnl
define(\`confTO_QUEUEWARN', \`$warn')dnl
define(\`confTO_QUEUERETURN', \`$ret')dnl
define(\`confTO_CONNECT', \`5s')dnl
define(\`confTO_ICONNECT', \`5s')dnl
define(\`confTO_INITIAL', \`5s')dnl
define(\`confTO_HELO', \`5s')dnl
define(\`confTO_MAIL', \`5s')dnl
define(\`confTO_RCPT', \`5s')dnl
define(\`confTO_DATAINIT', \`5s')dnl
define(\`confTO_DATABLOCK', \`5s')dnl
define(\`confTO_DATAFINAL', \`5s')dnl
define(\`confTO_QUIT', \`5s')dnl
define(\`confTO_COMMAND', \`5s')dnl
define(\`confMIN_QUEUE_AGE', \`0')dnl
MC
		sed -n '/^MAILER_DEFINITIONS/,$p' /etc/mail/sendmail.mc.orig
	} >/etc/mail/sendmail.mc
	{
		sed '/^FEATURE(`msp'"'"'/,$d' /etc/mail/submit.mc.orig
		echo "FEATURE(\`nocanonify')dnl"
		sed -n '/^FEATURE(`msp'"'"'/,$p' /etc/mail/submit.mc.orig
	} >/etc/mail/submit.mc
	printf 'example.net\tesmtp:[127.0.0.1]\nexample.org\trelay:[127.0.0.1]\n' >/etc/mail/mailertable
	makemap hash /etc/mail/mailertable </etc/mail/mailertable || return 1
	m4 /etc/mail/sendmail.mc >/etc/mail/sendmail.cf.new && mv /etc/mail/sendmail.cf.new /etc/mail/sendmail.cf || return 1
	m4 /etc/mail/submit.mc >/etc/mail/submit.cf.new && mv /etc/mail/submit.cf.new /etc/mail/submit.cf || return 1
	SENDMAIL_KIND=$1
}

sendmail_restart() {
	timeout 60 /etc/init.d/sendmail stop >/dev/null 2>&1 || true
	timeout 60 /etc/init.d/sendmail start >/dev/null 2>&1 || return 1
	wait_for 20 "sendmail to listen on port 25" bash -c 'exec 3<>/dev/tcp/127.0.0.1/25'
}

setup_sendmail() {
	sendmail_config bounce && sendmail_restart
}

reset_sendmail() {
	rm -f /var/spool/mqueue/* /var/spool/mqueue-client/* 2>/dev/null
	if [[ $SENDMAIL_KIND != "$1" ]]; then
		sendmail_config "$1" && sendmail_restart || return 1
	fi
}

submit_sendmail() { timeout 60 /usr/sbin/sendmail -f "$SENDER" -i -- "$@"; }

await_sendmail() {
	await_loop 90 /usr/sbin/sendmail -q
}

stop_sendmail() {
	timeout 60 /etc/init.d/sendmail stop
	rm -f /var/spool/mqueue/* /var/spool/mqueue-client/* 2>/dev/null
}

debug_sendmail() {
	mailq 2>&1 | head -20
	mailq -Ac 2>&1 | head -10
}
