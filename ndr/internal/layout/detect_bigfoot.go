package layout

import (
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// Bigfoot's forwarding service (bigfoot.com) sends its reports from its
// LiteMail servers: "Received: by LITEMAIL... (LiteMail v3.03...)" and
// From "Mail Delivery Subsystem <MAILER-DAEMON@bigfoot.com>", with a
// Sendmail-style text (the failed addresses, then the SMTP transcript)
// and a delivery-status part. The text is read as Sendmail's (see
// detectSendmail).

// detectBigfoot reads Bigfoot's reports.
func detectBigfoot(m *mime.Message, out *found) {
	if !fromHas(m, "@bigfoot.") && !strings.Contains(m.Get("Received"), "(LiteMail") {
		return
	}
	detectSendmail(m, out)
}
