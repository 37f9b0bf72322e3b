package ndr

// mtaDetectors read the layouts of sending MTAs and mail gateways, in the
// order they are tried.
var mtaDetectors = []detector{}
