# localconv — see README.md. `make demo` runs the demo, `make test` runs every test.
SHELL := /bin/bash
GO ?= go
WASM_ENV := GOOS=js GOARCH=wasm
WBT := $(CURDIR)/bin/wasmbrowsertest
# A count, not a duration: a duration's deadline races the workers in Go 1.26's
# fuzz coordinator and fails a target with "context deadline exceeded" under
# load (go.dev/issue/75804); a count has no deadline to race.
FUZZTIME ?= 20000x
# No inlining: the module is about 7% smaller brotli'd (820 KB this round:
# README, Benchmarks), at a cost of 10-25% CPU in Go-heavy paths (a load's decode,
# a batch's bookkeeping); IndexedDB's own time dominates both.
WASM_GCFLAGS ?= all=-l

.PHONY: test test-go test-fuzz test-browser test-js build demo

# The module and the Go runtime's loader, where js/localconv.js finds them.
build: js/localconv.wasm js/wasm_exec.js

js/localconv.wasm: go.mod go.sum $(shell find core idbstore internal wasm -name '*.go' -not -name '*_test.go' 2>/dev/null)
	$(WASM_ENV) $(GO) build -ldflags="-s -w" -gcflags="$(WASM_GCFLAGS)" -trimpath -o $@ ./wasm
	$(GO) run ./cmd/precompress $@

js/wasm_exec.js: $(shell $(GO) env GOROOT)/lib/wasm/wasm_exec.js
	cp $< $@

bin/devserver: go.mod $(wildcard cmd/devserver/*.go)
	$(GO) build -o $@ ./cmd/devserver

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# The wrapper, the page-level behaviour and the demo in headless Chromium, and
# the public API's tests in Firefox and WebKit (test/drivers/run.mjs); in each,
# the several-tabs tests again with the module in a SharedWorker.
# LOCALCONV_BROWSERS=chromium (or firefox,webkit, ...) runs fewer engines.
LOCALCONV_BROWSERS ?= chromium,firefox,webkit
export LOCALCONV_BROWSERS
test-js: build bin/devserver node_modules extension
	node test/drivers/run.mjs

# The example Manifest V3 extension (examples/extension/README.md) loads
# unpacked once the wrapper and the module are in its localconv/ folder.
.PHONY: extension
extension: build
	mkdir -p examples/extension/localconv
	cp js/*.js js/localconv.wasm examples/extension/localconv/

demo: build bin/devserver
	bin/devserver -addr localhost:8080 -root .

test: test-go test-fuzz test-browser test-js test-bundlers

# The package as apps get it: packed (its prepack check included), installed
# from the tarball into examples/vite, examples/webpack and examples/esbuild by
# npm ci from their lockfiles, built for production and run in headless
# Chromium in every placement; plus the tarball's contents and open() in Node.
.PHONY: test-bundlers
test-bundlers: build node_modules
	node --test --test-concurrency=1 test/bundlers.test.mjs

# Native: the core, the JSON reader and writer, and the store's codecs
# (idbstore's other files need js/wasm and run in test-browser).
NATIVE := ./core/... ./internal/... ./idbstore/... ./cmd/...

test-go:
	$(GO) vet $(NATIVE)
	$(GO) test -count=1 -timeout 10m $(NATIVE)

# Each fuzz target for 20,000 inputs (a few seconds) on top of its committed seed corpus.
test-fuzz:
	@for p in ./core ./internal/jsonx ./idbstore; do \
		for t in $$($(GO) test -list '^Fuzz' $$p | grep '^Fuzz'); do \
			echo "fuzz $$p $$t"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$p || exit 1; \
		done; \
	done

# The test runner that runs GOOS=js tests in headless Chromium, built for the host.
$(WBT): go.mod go.sum
	env -u GOOS -u GOARCH $(GO) build -o $@ github.com/agnivade/wasmbrowsertest

# chromedp predates this Chromium and logs an unknown enum value per request;
# the noise is dropped, the exit status kept.
test-browser: $(WBT)
	set -o pipefail; $(WASM_ENV) $(GO) test -count=1 -timeout 15m -exec $(WBT) ./idbstore/... ./wasm/... 2>&1 \
		| { grep -v 'unknown IPAddressSpace value' || true; }

# The browser benchmark (bench/README.md): the module beside a
# raw-IndexedDB baseline in headless Chromium; writes bench/out/report.{json,md,html}.
# Not part of `make test`. bench-quick: 1k and 10k only, under two minutes.
# BENCH_BROWSER=firefox|webkit runs it in another engine.
BENCH_BROWSER ?= chromium
.PHONY: bench bench-quick bench-smoke
bench: build bin/devserver node_modules
	node bench/run.mjs --browser $(BENCH_BROWSER)

bench-quick: build bin/devserver node_modules
	node bench/run.mjs --quick --browser $(BENCH_BROWSER)

# Every scenario once on 300 conversations, its report written: run by CI so
# that a broken bench fails it. The figures mean nothing.
bench-smoke: build bin/devserver node_modules
	rm -rf bench/out/smoke
	node bench/run.mjs --smoke --out bench/out/smoke
	test -s bench/out/smoke/report.json && test -s bench/out/smoke/report.md
