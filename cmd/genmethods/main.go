// Command genmethods writes js/methods.js from core's method table, so that
// the JS wrapper's methods and their parameters' names come from the one list
// that dispatch uses; and, for the wrapper's read of the first page before
// the module has loaded, the default database name and where the first page
// is kept (core and idbstore own them). Run it through `go generate ./core`; a test fails when
// the file on disk is not what it would write.
package main

import (
	"flag"
	"log"
	"os"
	"strconv"
	"strings"

	"github.com/localconv/localconv/core"
	"github.com/localconv/localconv/idbstore"
)

func main() {
	out := flag.String("o", "js/methods.js", "file to write")
	flag.Parse()
	if err := os.WriteFile(*out, []byte(source()), 0o644); err != nil {
		log.Fatal(err)
	}
}

// source is js/methods.js's text.
func source() string {
	var b strings.Builder
	b.WriteString(`// Generated from core/methods.go by ` + "`go generate ./core`" + `; do not edit.
// Every method of the service: its parameters' names (the argument encoder and
// the error messages use them) and whether it only reads.
export const METHODS = Object.freeze({
`)
	for _, m := range core.Methods() {
		quoted := make([]string, 0, 4)
		for _, p := range core.MethodParams(m) {
			quoted = append(quoted, strconv.Quote(p))
		}
		b.WriteString("  " + m + ": Object.freeze({ params: Object.freeze([" + strings.Join(quoted, ", ") + "]), query: " + strconv.FormatBool(core.IsQuery(m)) + " }),\n")
	}
	b.WriteString("});\n")
	loc := idbstore.FirstPageLocation
	prefix := core.DefaultDBName("")
	if core.DefaultDBName("a") != prefix+"a" {
		panic("core.DefaultDBName is no longer a prefix and the account: FIRST_PAGE.dbPrefix cannot say it")
	}
	b.WriteString(`
// Where the module keeps the first page (core/firstpage.go) for the wrapper
// to serve before the module has loaded: with the storage that keeps it (the
// default), in a database named dbPrefix+accountId unless open() names one,
// its store, the keys of the page, of the change sequence it must match and
// of the account, and the page format.
export const FIRST_PAGE = Object.freeze({
  storage: ` + strconv.Quote(core.StorageIndexedDB) + `,
  dbPrefix: ` + strconv.Quote(prefix) + `,
  store: ` + strconv.Quote(loc.Store) + `,
  key: ` + strconv.Quote(loc.Key) + `,
  seqKey: ` + strconv.Quote(loc.SeqKey) + `,
  accountKey: ` + strconv.Quote(loc.AccountKey) + `,
  format: ` + strconv.Itoa(core.FirstPageFormat) + `,
});
`)
	return strings.ReplaceAll(b.String(), `"`, `'`)
}
