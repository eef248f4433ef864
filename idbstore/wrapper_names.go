package idbstore

// The names the JavaScript wrapper reads itself, before the module has
// loaded, to serve the first page (firstpage.go). cmd/genmethods writes them
// into js/methods.js from here, so they are written once.
const (
	storeMeta     = "meta"
	metaSeq       = "seq"
	metaAccount   = "account" // the account the database belongs to (ensureMeta)
	metaFirstPage = "firstPage"
)

// FirstPageLocation is where the first page is, for cmd/genmethods.
var FirstPageLocation = struct{ Store, Key, SeqKey, AccountKey string }{storeMeta, metaFirstPage, metaSeq, metaAccount}
