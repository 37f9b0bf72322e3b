package enhancedcode

import "golang.org/x/text/language"

//go:generate go run gen.go

// Entry is one row of the IANA registry of enhanced status codes
// (RFC 5248): a class ("5.XXX.YYY"), a subject ("X.1.YYY") or a detail
// ("X.1.1"), with its short name and description in English and
// Japanese.
type Entry struct {
	// Code is the code as the registry writes it: "2.XXX.YYY",
	// "4.XXX.YYY" or "5.XXX.YYY" for a class, "X.1.YYY" for a subject
	// and "X.1.1" for a detail, where X stands for any class.
	Code string
	// ReplyCodes lists the SMTP reply codes the registry gives as
	// samples for a detail, such as "451, 550"; it is "Not given" or
	// "Any" as in the registry, and "-" for class and subject rows.
	ReplyCodes string
	// Reference names the documents that define the code, such as
	// "RFC 3463" or "RFC 7372, RFC 7208".
	Reference string

	name, desc [numLangs]string
}

// lang indexes the texts of an Entry.
type lang int

// The languages of the registry texts; English comes first and is the
// default.
const (
	langEN   lang = 0
	langJA   lang = 1
	numLangs lang = 2
)

// matcher picks English or Japanese for a language tag; English is the
// default for any other language.
var matcher = language.NewMatcher([]language.Tag{language.English, language.Japanese})

// langOf returns the language of the texts to show for tag.
func langOf(tag language.Tag) lang {
	_, i, conf := matcher.Match(tag)
	if conf == language.No || i < 0 || i >= int(numLangs) {
		return langEN
	}
	return lang(i)
}

// Name returns the short name of the entry in Japanese for a Japanese
// tag (ja, ja-JP, ...) and in English otherwise. The English names are
// the registry's own.
func (e Entry) Name(tag language.Tag) string { return e.name[langOf(tag)] }

// Description returns a one- or two-sentence description of the entry
// in Japanese for a Japanese tag and in English otherwise.
func (e Entry) Description(tag language.Tag) string { return e.desc[langOf(tag)] }

// Lookup returns the registry row for the subject and detail of c: for
// 4.2.2 the row X.2.2 ("Mailbox full"). It reports false when c's class
// is not 2, 4 or 5 (the zero Code included) or when the detail is not
// registered, as for Microsoft's 4.7.650.
func Lookup(c Code) (Entry, bool) {
	switch c.Class() {
	case Success, Transient, Permanent:
	default:
		return Entry{}, false
	}
	if c[1] < 0 || c[1] > 7 || c[2] < 0 || c[2] > 999 {
		return Entry{}, false
	}
	i, ok := detailIndex[c[1]*1000+c[2]]
	if !ok {
		return Entry{}, false
	}
	return registry[i], true
}

// LookupSubject returns the registry row of a subject, X.0.YYY to
// X.7.YYY, and reports false for any other value.
func LookupSubject(s Subject) (Entry, bool) {
	i, ok := subjectIndex[s]
	if !ok {
		return Entry{}, false
	}
	return registry[i], true
}

// LookupClass returns the registry row of a class, 2.XXX.YYY, 4.XXX.YYY
// or 5.XXX.YYY, and reports false for any other value.
func LookupClass(c Class) (Entry, bool) {
	i, ok := classIndex[c]
	if !ok {
		return Entry{}, false
	}
	return registry[i], true
}

// Registry returns every row of the registry in registry order: the
// classes, the subjects, then the details of each subject. The slice is
// a copy that the caller may change.
func Registry() []Entry {
	out := make([]Entry, len(registry))
	copy(out, registry[:])
	return out
}
