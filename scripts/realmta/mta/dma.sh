# dma 0.13 (sourced by generate.sh). dma sends all remote mail to one
# smarthost (the peer) and keeps temporary failures for five days (compiled
# in): messages are queued with -bq, back-dated, then run with -D -q. The
# sender is a local user so that reports land in its mailbox instead of
# going back to the peer.

DMA_SENDER=root@$HOST

setup_dma() {
	printf 'SMARTHOST 127.0.0.1\nPORT %s\nMAILNAME /etc/mailname\n' "$PEER_PORT" >/etc/dma/dma.conf
}

reset_dma() {
	rm -f /var/spool/dma/* /var/mail/root
}

submit_dma() { timeout 60 /usr/sbin/sendmail -bq -f "$DMA_SENDER" -- "$@"; }

await_dma() {
	touch -d '7 days ago' /var/spool/dma/* || return 1
	timeout 120 /usr/sbin/sendmail -D -q >/dev/null 2>&1
	[[ -s /var/mail/root ]] || return 1
	mbox_split /var/mail/root "$WORK/capture"
	first_capture >/dev/null
}

stop_dma() { rm -f /var/spool/dma/* /var/mail/root; }

debug_dma() {
	ls -l /var/spool/dma
	head -5 /var/spool/dma/Q* 2>/dev/null
}

# skip_dma CASE: dma waits five minutes for a greeting and then aborts
# ("stack smashing detected") without a report; when the connection is
# closed under it, it keeps reading the closed socket until that time-out;
# and it sends no delay warnings.
skip_dma() { [[ $1 == noanswer || $1 == drop-rcpt || $1 == delay ]]; }
