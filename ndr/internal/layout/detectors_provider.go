package layout

import (
	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// providerDetectors read the layouts of mail providers and receivers, in
// the order they are tried.
var providerDetectors = []detector{
	{name: "googlegroups", detect: detectGoogleGroups},
	{name: "gmail", detect: detectGmail},
	{name: "yahoo", detect: detectYahoo},
	{name: "zoho", detect: detectZoho},
	{name: "gmx", detect: detectGMX},
	{name: "einsundeins", detect: detectEinsUndEins},
	{name: "ezweb", detect: detectEzweb},
	{name: "kddi", detect: detectKDDI},
	{name: "biglobe", detect: detectBiglobe},
	{name: "amazonworkmail", detect: detectAmazonWorkMail},
	{name: "receivingses", detect: detectReceivingSES},
	{name: "amazonses", detect: detectAmazonSES, authoritative: true},
	{name: "outlook", detect: detectOutlook},
	{name: "rfc3464", detect: detectDSNText},
}

// dsnInText reads delivery-status fields that a report writes into its
// text instead of a message/delivery-status part: the blocks of
// "Field: value" lines that name a recipient (Final-Recipient or
// Original-Recipient), with the per-message fields before them. edit is
// as for found.addDSN.
func dsnInText(text string, out *found, edit func(r *record.Recipient) bool) {
	out.addDSN(dsn.Parse(text, false), edit)
}
