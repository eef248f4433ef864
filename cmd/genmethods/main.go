// Command genmethods writes js/methods.js from core's method table, so that
// the JS wrapper's methods and their parameters' names come from the one list
// that dispatch uses. Run it through `go generate ./core`; a test fails when
// the file on disk is not what it would write.
package main

import (
	"flag"
	"log"
	"os"
	"strconv"
	"strings"

	"github.com/localconv/localconv/core"
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
	return strings.ReplaceAll(b.String(), `"`, `'`)
}
