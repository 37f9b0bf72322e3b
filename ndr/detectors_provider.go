package ndr

// providerDetectors read the layouts of mail providers and receivers, in
// the order they are tried.
var providerDetectors = []detector{
	{name: "googlegroups", detect: detectGoogleGroups},
	{name: "gmail", detect: detectGmail},
	{name: "yahoo", detect: detectYahoo},
}
