package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// repo builds a small repository: what is served and what must not be.
func repo(t *testing.T) string {
	root := t.TempDir()
	for name, body := range map[string]string{
		".git/config":                        "[core]",
		"go.mod":                             "module x",
		"node_modules/a/b.js":                "x",
		"node_modules/mobx/dist/mobx.esm.js": "x",
		"core/service.go":                    "package core",
		"web/index.html":                     "<title>demo</title>",
		"js/localconv.js":                    "export {}",
		"js/.hidden":                         "x",
		"bench/bench.html":                   "bench",
		"examples/ext/a.js":                  "x",
		"test/pages/blank.html":              "blank",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return root
}

func get(h http.Handler, path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	return w
}

func TestServesThePagesFoldersOnly(t *testing.T) {
	h := handler(repo(t), served)
	root := get(h, "/")
	assert.Equal(t, http.StatusFound, root.Code)
	assert.Equal(t, "/web/", root.Header().Get("Location"))
	for _, p := range []string{"/web/", "/js/localconv.js", "/bench/bench.html", "/examples/ext/a.js"} {
		assert.Equal(t, http.StatusOK, get(h, p).Code, p)
	}
	for _, p := range []string{
		"/.git/config", "/go.mod", "/node_modules/a/b.js", "/core/service.go", "/js/.hidden",
		"/js/", "/examples/", "/web/../go.mod", "/js/%2e%2e/go.mod", "/test/pages/blank.html",
	} {
		assert.Equal(t, http.StatusNotFound, get(h, p).Code, p)
	}
}

func TestServesTestPagesForTheTests(t *testing.T) {
	h := handler(repo(t), append(append(served, "test"), testDeps...))
	assert.Equal(t, http.StatusOK, get(h, "/test/pages/blank.html").Code)
	assert.Equal(t, http.StatusOK, get(h, "/node_modules/mobx/dist/mobx.esm.js").Code, "a dev dependency a test page loads")
	assert.Equal(t, http.StatusNotFound, get(h, "/node_modules/a/b.js").Code, "any other package")
	assert.Equal(t, http.StatusNotFound, get(h, "/node_modules/mobx/../a/b.js").Code)
	assert.Equal(t, http.StatusNotFound, get(h, "/.git/config").Code)
}
