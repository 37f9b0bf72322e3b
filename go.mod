module github.com/ndrkit/ndrkit

go 1.26.8

require (
	github.com/emersion/go-message v0.18.2
	github.com/emersion/go-msgauth v0.7.0
	github.com/google/go-cmp v0.7.0
	github.com/miekg/dns v1.1.73
	golang.org/x/net v0.63.0
	golang.org/x/text v0.44.0
)

require golang.org/x/sys v0.50.0 // indirect
