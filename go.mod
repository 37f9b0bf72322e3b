module github.com/ndrkit/ndrkit

go 1.26.8

require (
	github.com/emersion/go-message v0.18.2
	github.com/google/go-cmp v0.7.0
	golang.org/x/text v0.43.0
)
