package dnscheck

// The remedy catalogue entries (remedy.Default) that findings confirm or
// rule out. The tests check that each exists.
const (
	idSenderDomainUnresolvable = "sender-domain-unresolvable"
	idSPFMissing               = "spf-missing"
	idSPFDuplicate             = "spf-duplicate"
	idSPFTooManyLookups        = "spf-too-many-lookups"
	idSPFSenderNotListed       = "spf-sender-not-listed"
	idDKIMSetup                = "dkim-m365-setup"
	idDKIMMissing              = "dkim-missing"
	idDKIMCNAME                = "dkim-cname-registrar"
	idDMARCMissing             = "dmarc-missing"
	idDMARCAlignment           = "dmarc-alignment"
	idPropagation              = "dns-propagation"
	idRecipientDomain          = "recipient-domain-not-found"
	idNotAccept                = "reason-notaccept"
	idPTRMissing               = "ptr-missing"
	idDNSBLListed              = "dnsbl-listed"
)

// remedyIDs lists the constants above.
var remedyIDs = []string{
	idSenderDomainUnresolvable,
	idSPFMissing,
	idSPFDuplicate,
	idSPFTooManyLookups,
	idSPFSenderNotListed,
	idDKIMSetup,
	idDKIMMissing,
	idDKIMCNAME,
	idDMARCMissing,
	idDMARCAlignment,
	idPropagation,
	idRecipientDomain,
	idNotAccept,
	idPTRMissing,
	idDNSBLListed,
}
