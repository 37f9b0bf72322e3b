package mime

import (
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/ndrkit/ndrkit/internal/literal"
)

// contentType is a parsed Content-Type field.
type contentType struct {
	// mediaType is the lower-case media type; "" when the field is absent
	// or cannot be parsed.
	mediaType string
	// multipart is set for a multipart type with its boundary.
	multipart bool
	boundary  string
	// charset is the charset parameter; hasCharset tells whether the
	// parameter was given.
	charset    string
	hasCharset bool
	reportType string
}

// parseContentType parses a Content-Type value the way mime.ParseMediaType
// does. A value that does not parse has no media type; parameter values
// carrying RFC 2047 encoded words are decoded.
func parseContentType(v string) contentType {
	if v == "" {
		return contentType{}
	}
	if ct, ok := parseSimpleContentType(v); ok {
		return ct
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil {
		// An unparsable value may still name a multipart type, which then
		// has no usable boundary.
		return contentType{multipart: strings.HasPrefix(v, "multipart/")}
	}
	ct := contentType{mediaType: mt}
	ct.charset, ct.hasCharset = params["charset"]
	ct.charset = paramValue(ct.charset)
	ct.reportType = strings.ToLower(paramValue(params["report-type"]))
	if strings.HasPrefix(mt, "multipart/") {
		ct.multipart = true
		ct.boundary = paramValue(params["boundary"])
	}
	return ct
}

// parseSimpleContentType parses the common shape of a Content-Type
// value, a media type and parameters with token or quoted-string values
// without escapes, without allocating. ok is false for anything else
// (RFC 2231 parameters, escapes, comments, repeated parameters), which
// mime.ParseMediaType then reads.
func parseSimpleContentType(v string) (ct contentType, ok bool) {
	mt, rest, _ := strings.Cut(v, ";")
	mt = strings.TrimSpace(mt)
	typ, sub, found := strings.Cut(mt, "/")
	if !found || !isToken(typ) || !isToken(sub) {
		return contentType{}, false
	}
	ct.mediaType = literal.LowerASCII(mt)
	ct.multipart = strings.HasPrefix(ct.mediaType, "multipart/")
	var keys [8]string
	n := 0
	for {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			break
		}
		eq := strings.IndexByte(rest, '=')
		if eq < 0 || n == len(keys) {
			return contentType{}, false
		}
		key := strings.TrimRight(rest[:eq], " \t")
		if !isToken(key) || strings.Contains(key, "*") {
			return contentType{}, false
		}
		for _, k := range keys[:n] {
			if strings.EqualFold(k, key) {
				return contentType{}, false
			}
		}
		keys[n] = key
		n++
		rest = strings.TrimLeft(rest[eq+1:], " \t")
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexAny(rest[1:], "\"\\\r\n")
			if end < 0 || rest[1+end] != '"' {
				return contentType{}, false
			}
			val, rest = rest[1:1+end], rest[2+end:]
			if !utf8.ValidString(val) {
				// mime.ParseMediaType reads it rune by rune, as U+FFFD.
				return contentType{}, false
			}
		} else {
			end := 0
			for end < len(rest) && isTokenByte(rest[end]) {
				end++
			}
			if end == 0 {
				return contentType{}, false
			}
			val, rest = rest[:end], rest[end:]
		}
		if strings.Contains(val, "=?") {
			return contentType{}, false
		}
		switch {
		case strings.EqualFold(key, "boundary"):
			if ct.multipart {
				ct.boundary = val
			}
		case strings.EqualFold(key, "charset"):
			ct.charset, ct.hasCharset = val, true
		case strings.EqualFold(key, "report-type"):
			ct.reportType = literal.LowerASCII(val)
		}
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			break
		}
		if rest[0] != ';' {
			return contentType{}, false
		}
		rest = rest[1:]
	}
	return ct, true
}

// isToken reports whether s is a non-empty RFC 2045 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return true
}

func isTokenByte(c byte) bool { return tokenBytes[c] }

// tokenBytes marks the bytes allowed in an RFC 2045 token: printable
// ASCII except the tspecials.
var tokenBytes = func() (t [256]bool) {
	for c := '!'; c < 0x7f; c++ {
		t[c] = !strings.ContainsRune(`()<>@,;:\"/[]?=`, c)
	}
	return t
}()

// paramValue decodes encoded words in a parameter value.
func paramValue(v string) string {
	if strings.Contains(v, "=?") {
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			return d
		}
	}
	return v
}
