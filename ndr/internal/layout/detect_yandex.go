package layout

import (
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// Yandex.Mail runs Postfix. Its reports come from mailer-daemon@yandex.ru
// with a delivery-status part that has the per-message fields
// X-Yandex-Queue-ID and X-Yandex-Sender, and put a Russian paragraph,
// framed by lines of asterisks, before Postfix's English text ("This is
// the mail system at host ..."), which is read as Postfix's (see
// detectPostfix). Replies that Yandex itself gives are typed "X-Yandex"
// in the Diagnostic-Code field.

// detectYandex reads Yandex's reports.
func detectYandex(m *mime.Message, out *found) {
	if !isYandexReport(m) {
		return
	}
	detectPostfix(m, out)
}

// isYandexReport reports whether m comes from Yandex: its sender or the
// fields of its delivery-status part.
func isYandexReport(m *mime.Message) bool {
	if fromHas(m, "@yandex.", ".yandex.") {
		return true
	}
	return m.DSN != nil && dsn.FieldOf(m.DSN.Message, "X-Yandex-Queue-ID") != ""
}
