package mime

import (
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/ndrkit/ndrkit/internal/literal"
)

// charsetAliases are charset names seen in real bounces that go-message's
// charset table lacks.
var charsetAliases = map[string]encoding.Encoding{
	"cp932":          japanese.ShiftJIS,
	"ms932":          japanese.ShiftJIS,
	"x-sjis":         japanese.ShiftJIS,
	"sjis":           japanese.ShiftJIS,
	"shift-jis":      japanese.ShiftJIS,
	"x-ms-cp932":     japanese.ShiftJIS,
	"eucjp":          japanese.EUCJP,
	"x-euc-jp":       japanese.EUCJP,
	"euc-jp-ms":      japanese.EUCJP,
	"iso-2022-jp-2":  japanese.ISO2022JP,
	"iso-2022-jp-3":  japanese.ISO2022JP,
	"csiso2022jp":    japanese.ISO2022JP,
	"uft-8":          unicode.UTF8,
	"utf8":           unicode.UTF8,
	"latin1":         charmap.ISO8859_1,
	"ansi_x3.4-1968": charmap.Windows1252,
}

func init() {
	// RegisterEncoding writes a shared map, so it is done once, here.
	for name, enc := range charsetAliases {
		charset.RegisterEncoding(name, enc)
	}
}

// wordDecoder decodes RFC 2047 encoded words. Its charset reader hands
// back the decoded text as a strings.Reader, which the decoder copies out
// without a copy buffer of its own.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(label string, input io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(input)
	if err != nil {
		return nil, err
	}
	text, err := decodeCharset(string(b), label)
	if err != nil {
		return nil, err
	}
	return strings.NewReader(text), nil
}}

// DecodeHeader decodes RFC 2047 encoded words and raw ISO-2022-JP or
// 8-bit Japanese text in a header value. Undecodable text is kept as it is.
func DecodeHeader(s string) string {
	if plainHeader(s) {
		return s
	}
	if strings.Contains(s, "=?") {
		if d, err := wordDecoder.DecodeHeader(s); err == nil {
			s = d
		}
	}
	if strings.Contains(s, "\x1b$") || !utf8.ValidString(s) {
		s = decodeUnlabelled(s)
	}
	return s
}

// plainHeader reports whether a header value needs no decoding: ASCII
// without encoded words or escape sequences.
func plainHeader(s string) bool {
	return strings.IndexByte(s, 0x1b) < 0 && !strings.Contains(s, "=?") && literal.ASCII(s)
}

// hasISO2022JP reports whether s holds the escape sequences that switch
// ISO-2022-JP to JIS X 0208 (ESC $ B, ESC $ @), which no decoded text
// keeps.
func hasISO2022JP(s string) bool {
	return strings.Contains(s, "\x1b$B") || strings.Contains(s, "\x1b$@")
}

// decodeUnlabelled decodes text whose charset is not declared: ISO-2022-JP
// when it has its escape sequences, else Shift_JIS or EUC-JP when the
// bytes decode cleanly, else Windows-1252.
func decodeUnlabelled(s string) string {
	try := func(enc encoding.Encoding) (string, bool) {
		d, err := enc.NewDecoder().String(s)
		if err != nil || strings.ContainsRune(d, utf8.RuneError) {
			return "", false
		}
		return d, true
	}
	if strings.Contains(s, "\x1b$") || strings.Contains(s, "\x1b(") {
		if d, ok := try(japanese.ISO2022JP); ok {
			return d
		}
	}
	if utf8.ValidString(s) {
		return s
	}
	for _, enc := range []encoding.Encoding{japanese.ShiftJIS, japanese.EUCJP} {
		if d, ok := try(enc); ok {
			return d
		}
	}
	d, _ := charmap.Windows1252.NewDecoder().String(s)
	return d
}

// htmlText turns HTML into plain text well enough for matching: tags are
// dropped, block ends become line ends and common entities are decoded.
func htmlText(s string) string {
	var b strings.Builder
	low := literal.LowerASCII(s)
	// closeAt holds, per element whose content is skipped, the place of
	// its next end tag (-1: none follows), so that the text is searched
	// for it once however many start tags there are.
	closeAt := map[string]int{}
	for i := 0; i < len(s); {
		if s[i] != '<' {
			b.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		tag := strings.ToLower(s[i+1 : i+end])
		f := strings.Fields(tag)
		if len(f) == 0 {
			i += end + 1
			continue
		}
		if len(f) == 1 && strings.IndexByte(tag, '@') > 0 {
			// An address in angle brackets written into the HTML
			// without escaping ("<user@example.com>: ..."), not a tag.
			b.WriteString(s[i : i+end+1])
			i += end + 1
			continue
		}
		name := strings.TrimLeft(f[0], "/")
		switch name {
		case "br":
			b.WriteByte('\n')
			// The line break of the source after <br> is only
			// white space.
			if i+end+1 < len(s) && s[i+end+1] == '\n' {
				i++
			}
		case "p", "div", "tr", "li", "table", "h1", "h2", "h3", "h4":
			b.WriteByte('\n')
		case "td", "th":
			b.WriteByte(' ')
		case "style", "script":
			if !strings.HasPrefix(tag, "/") {
				at, ok := closeAt[name]
				if !ok || at >= 0 && at < i {
					at = strings.Index(low[i:], "</"+name)
					if at >= 0 {
						at += i
					}
					closeAt[name] = at
				}
				if at >= 0 {
					i = at
					continue
				}
			}
		}
		i += end + 1
	}
	// A no-break space is a blank to the texts that read the result.
	return strings.ReplaceAll(html.UnescapeString(b.String()), "\u00a0", " ")
}

// errUnknownEncoding reports a Content-Transfer-Encoding that cannot be
// decoded; the body is then kept as it is.
var errUnknownEncoding = errors.New("unknown transfer encoding")

// errInvalidBase64 is wrapped by the error for a base64 body with bytes
// that decoding ignored; the body is decoded without them.
var errInvalidBase64 = errors.New("invalid base64")

// decodeTransfer undoes a Content-Transfer-Encoding. It returns what
// could be decoded with an error when the encoding is broken or unknown;
// the error may join more than one (see decodeBase64).
func decodeTransfer(body, enc string) (string, error) {
	switch {
	case enc == "", strings.EqualFold(enc, "7bit"), strings.EqualFold(enc, "8bit"), strings.EqualFold(enc, "binary"):
		return body, nil
	case strings.EqualFold(enc, "base64"):
		return decodeBase64(body)
	case strings.EqualFold(enc, "quoted-printable"):
		return decodeQuotedPrintable(body)
	}
	return body, fmt.Errorf("%w %q: the body is kept encoded", errUnknownEncoding, enc)
}

// errInvalidQuotedPrintable is wrapped by the error for a
// quoted-printable body with an "=" that neither ends a line nor starts
// an escape of two hexadecimal digits; such an "=" is kept as written.
var errInvalidQuotedPrintable = errors.New("invalid quoted-printable")

// decodeQuotedPrintable decodes a quoted-printable body (RFC 2045,
// section 6.7) the robust way the RFC recommends: "=XX" with two
// hexadecimal digits (either case) is the byte XX; "=" at the end of a
// line, after any trailing white space is dropped, joins the line to the
// next; any other "=" and every other byte, a NUL or an 8-bit byte
// included, is kept as written, so that one bad byte loses nothing after
// it. Line ends are kept as written. Bad escapes are counted and
// reported with an error that wraps errInvalidQuotedPrintable. The body
// is read once.
func decodeQuotedPrintable(body string) (string, error) {
	var b strings.Builder
	b.Grow(len(body))
	bad, first := 0, -1
	at := 0 // the offset of line in the body
	for len(body) > 0 {
		line, rest, nl := strings.Cut(body, "\n")
		end := "\n"
		if strings.HasSuffix(line, "\r") {
			line, end = line[:len(line)-1], "\r\n"
		}
		line = strings.TrimRight(line, " \t")
		soft := false
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case c != '=':
				b.WriteByte(c)
			case i == len(line)-1:
				soft = true
			case i+2 < len(line) && isHexDigit(line[i+1]) && isHexDigit(line[i+2]):
				b.WriteByte(hexValue(line[i+1])<<4 | hexValue(line[i+2]))
				i += 2
			default:
				if bad++; first < 0 {
					first = at + i
				}
				b.WriteByte('=')
			}
		}
		if nl && !soft {
			b.WriteString(end)
		}
		at += len(body) - len(rest)
		body = rest
	}
	if bad > 0 {
		return b.String(), fmt.Errorf("%w: %d \"=\" not followed by two hexadecimal digits, the first at byte %d, kept as written", errInvalidQuotedPrintable, bad, first)
	}
	return b.String(), nil
}

// isHexDigit reports whether c is a hexadecimal digit of either case.
func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// hexValue is the value of the hexadecimal digit c.
func hexValue(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// decodeBase64 decodes a base64 body the lenient way RFC 2045 (section
// 6.8) asks for: white space, and any other byte outside the base64
// alphabet, is ignored. Padding ends a group, and decoding goes on after
// it, as in a body joined from pieces encoded one by one. The body is
// read once, with no more state than one group of four characters.
//
// Ignored bytes other than white space, and a character left alone in a
// group that padding ends, are reported with an error that wraps
// errInvalidBase64. Input cut in the middle of a group is decoded up to
// the last whole group and reported as io.ErrUnexpectedEOF. When both
// happen, the two errors come back joined.
func decodeBase64(body string) (string, error) {
	out := make([]byte, 0, len(body)/4*3+3)
	var group [4]byte // the 6-bit values of the group read so far
	n := 0            // the number of values in group
	ignored, first := 0, -1
	for i := 0; i < len(body); i++ {
		c := body[i]
		if v := base64Values[c]; v != noBase64 {
			group[n] = v
			n++
			if n == 4 {
				out = append(out, group[0]<<2|group[1]>>4, group[1]<<4|group[2]>>2, group[2]<<6|group[3])
				n = 0
			}
			continue
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '=':
			switch n {
			case 0:
				// Padding after a whole group, or more of it.
				continue
			case 2:
				out = append(out, group[0]<<2|group[1]>>4)
			case 3:
				out = append(out, group[0]<<2|group[1]>>4, group[1]<<4|group[2]>>2)
			default:
				// One character gives no whole byte: it is lost.
				ignored++
				if first < 0 {
					first = i - 1
				}
			}
			n = 0
			continue
		}
		ignored++
		if first < 0 {
			first = i
		}
	}
	var errs []error
	if ignored > 0 {
		errs = append(errs, fmt.Errorf("%w: %d bytes ignored, the first at byte %d", errInvalidBase64, ignored, first))
	}
	if n > 0 {
		errs = append(errs, io.ErrUnexpectedEOF)
	}
	return string(out), errors.Join(errs...)
}

// noBase64 marks the bytes outside the base64 alphabet in base64Values.
const noBase64 = 0xff

// base64Values maps each byte to its 6-bit value in the base64 alphabet,
// or to noBase64.
var base64Values = func() (t [256]byte) {
	for i := range t {
		t[i] = noBase64
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// decodeCharset decodes text in the named charset to UTF-8. UTF-8 and
// ASCII, and ASCII-only text in a charset that is a superset of ASCII,
// are returned as they are. An unknown charset is an error, and the text
// is returned undecoded.
func decodeCharset(text, label string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	if l == "utf-8" || l == "us-ascii" {
		return text, nil
	}
	if isPlainASCII(text) && commonASCIICharsets[l] {
		return text, nil
	}
	if isUTF7Label(l) {
		return decodeUTF7(text)
	}
	if enc := charsetEncoding(l); enc != nil {
		if isPlainASCII(text) && asciiCompatible(l) {
			return text, nil
		}
		d, err := enc.NewDecoder().String(text)
		if err != nil {
			return text, err
		}
		return d, nil
	}
	r, err := charset.Reader(l, strings.NewReader(text))
	if err != nil {
		return text, err
	}
	if isPlainASCII(text) && asciiCompatible(l) {
		return text, nil
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return text, err
	}
	return string(b), nil
}

// charsetEncoding finds the encoding of a lower-case charset label the
// way go-message's charset package does, for the labels it finds in
// charsetAliases or the IANA registry; nil means the label is left to
// charset.Reader (its own quirks table, "cs" names, the WHATWG names, and
// the error for an unknown charset).
func charsetEncoding(label string) encoding.Encoding {
	if enc, ok := charsetAliases[label]; ok {
		return enc
	}
	switch label {
	case "ansi_x3.110-1983", "x-utf_8j":
		// In go-message's quirks table.
		return nil
	}
	enc, err := ianaindex.MIME.Encoding(label)
	if err != nil {
		return nil
	}
	return enc
}

// commonASCIICharsets are charsets found in bounces that encode ASCII text
// as ASCII: text in them with only 7-bit bytes needs no decoder.
var commonASCIICharsets = map[string]bool{
	"ascii": true, "iso-8859-1": true, "iso-8859-15": true, "windows-1252": true,
	"iso-2022-jp": true, "shift_jis": true, "euc-jp": true, "windows-31j": true,
	"cp932": true, "utf8": true, "gb2312": true, "gbk": true, "big5": true,
	"euc-kr": true, "ks_c_5601-1987": true, "koi8-r": true, "windows-1251": true,
}

// isPlainASCII reports whether s has only 7-bit bytes and no escape,
// which every ASCII-compatible charset decodes to itself.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c == 0x1b || c == 0 {
			return false
		}
	}
	return true
}

// asciiCompatible reports whether a charset encodes ASCII text as ASCII
// bytes. UTF-7, the UTF-16 and UTF-32 families and EBCDIC code pages do
// not.
func asciiCompatible(label string) bool {
	switch {
	case strings.Contains(label, "utf-7"), strings.Contains(label, "utf7"),
		strings.Contains(label, "16"), strings.Contains(label, "32"),
		strings.Contains(label, "ucs"), strings.Contains(label, "ebcdic"),
		strings.Contains(label, "ibm0"), strings.Contains(label, "037"),
		strings.Contains(label, "1047"), strings.Contains(label, "1140"):
		return false
	}
	return true
}
