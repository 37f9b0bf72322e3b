package main

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"net/http"

	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/examples/internal/present"
	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/ndr/dnscheck"
	"github.com/ndrkit/ndrkit/remedy"
)

//go:embed static
var staticFiles embed.FS

// pageTemplate is the page; the server fills in only the language.
var pageTemplate = template.Must(template.ParseFS(staticFiles, "static/index.html"))

// maxBody is the largest request body: the library's size limit.
const maxBody = ndr.DefaultMaxSize

// contentSecurityPolicy allows the page's own script, style and
// requests only: no inline script or style, no other origin, no frames.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// newHandler returns the page and its endpoints; dnsOpts are the
// options of the DNS checks of POST /api/dnscheck (the resolver, the
// time per lookup).
func newHandler(dnsOpts ...dnscheck.Option) http.Handler {
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", page)
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("POST /api/explain", apiHandler(func(context.Context) reportFunc {
		return func(file string, pos int, rep *ndr.Report, tag language.Tag) []any {
			var out []any
			for _, l := range present.Lines(file, rep) {
				out = append(out, l)
			}
			return out
		}
	}, func(p present.Problem) any { return p }))
	mux.HandleFunc("POST /api/view", apiHandler(func(context.Context) reportFunc {
		return func(file string, pos int, rep *ndr.Report, tag language.Tag) []any {
			var out []any
			for _, r := range rep.Recipients {
				out = append(out, newViewItem(file, pos, rep, r, tag))
			}
			return out
		}
	}, func(p present.Problem) any { return viewItem{Problem: &p} }))
	// The DNS checks of a request share one deadline and one lookup
	// budget per message.
	mux.HandleFunc("POST /api/dnscheck", apiHandler(func(ctx context.Context) reportFunc {
		c := &dnsChecker{ctx: ctx, opts: dnsOpts}
		return func(_ string, pos int, rep *ndr.Report, tag language.Tag) []any {
			return c.check(pos, rep, tag)
		}
	}, func(p present.Problem) any { return dnsItem{Problem: &p, Findings: []dnsFinding{}} }))
	return secure(mux)
}

// secure sets the headers every answer carries.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// requestLanguage is ?lang=ja|en, else the Accept-Language header; ok
// is false for another lang value.
func requestLanguage(r *http.Request) (language.Tag, bool) {
	switch l := r.URL.Query().Get("lang"); l {
	case "":
		return remedy.MatchLanguage(r.Header.Get("Accept-Language")), true
	case "ja", "en":
		return remedy.MatchLanguage(l), true
	}
	return language.Und, false
}

func page(w http.ResponseWriter, r *http.Request) {
	tag, _ := requestLanguage(r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	lang := "en"
	if present.Japanese(tag) {
		lang = "ja"
	}
	if err := pageTemplate.Execute(w, struct{ Lang string }{lang}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// reportFunc builds the items of one report.
type reportFunc func(file string, pos int, rep *ndr.Report, tag language.Tag) []any

// apiHandler reads the body (at most maxBody bytes), explains every
// message in it and answers with a JSON array: the items that the
// request's reportFunc (from newReport, given a context that ends at
// dnsRequestTime) builds for each report, and one problem item for each
// message that is not a bounce or could not be read.
func apiHandler(newReport func(context.Context) reportFunc, problem func(present.Problem) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tag, ok := requestLanguage(r)
		if !ok {
			jsonError(w, http.StatusBadRequest, "lang must be ja or en")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
				jsonError(w, http.StatusRequestEntityTooLarge, (&ndr.LimitError{What: "size", Limit: maxBody}).Error())
				return
			}
			jsonError(w, http.StatusBadRequest, err.Error())
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), dnsRequestTime)
		defer cancel()
		report := newReport(ctx)
		out := []any{}
		const file = "-"
		present.Messages(bytes.NewReader(body), []ndr.Option{ndr.WithLanguage(tag)}, func(pos int, rep *ndr.Report, err error) {
			switch {
			case errors.Is(err, ndr.ErrNotBounce):
				out = append(out, problem(present.Problem{File: file, Message: pos, NotBounce: true}))
			case err != nil:
				out = append(out, problem(present.Problem{File: file, Message: pos, Error: err.Error()}))
			default:
				out = append(out, report(file, pos, rep, tag)...)
			}
		})
		writeJSON(w, http.StatusOK, out)
	}
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}
