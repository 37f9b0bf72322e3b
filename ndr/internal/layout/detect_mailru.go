package layout

import (
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
)

// mailruMark is the text by which this layout is recognised before anything
// else is read (see mime/markers.go).
var mailruMark = mime.NewMarker(mailruServer)

// Mail.Ru's outgoing servers run Exim. Their reports come from
// mailer-daemon@corp.mail.ru (message ids on *.mail.ru) with a subject
// that ends "Mail failure.", and put a Russian paragraph, saying that the
// report was made by the Mail.Ru server, before Exim's own English text.
// Both halves list the same addresses in Exim's layout; the English one
// is read (see detectExim).

// mailruServer is the name the Russian paragraph gives the server.
const mailruServer string = "mail.ru"

// detectMailRu reads Mail.Ru's reports.
func detectMailRu(m *mime.Message, out *found) {
	if !fromHas(m, "@"+mailruServer, "."+mailruServer) || !m.InBounce(mailruMark) {
		return
	}
	detectExim(m, out)
}
