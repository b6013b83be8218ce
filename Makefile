# csplan: make demo runs the example company into ./out; make test is CI.
GO       ?= go
# Every fuzz target, as package:Target:executions; make test runs each for its
# count of executions (about 8 s on 2 cores). A count, not a duration: Go 1.26's
# fuzz coordinator can report its own -fuzztime deadline as a failure
# (golang/go#75804). FUZZTIME=10m make fuzz-smoke runs each for a duration.
FUZZTIME ?=
FUZZ     := ./scenarios:FuzzParse:20000 ./scenarios:FuzzAccountsFile:40000 ./scenarios:FuzzOverride:100000 ./scenarios:FuzzOverridePlanStep:30000 \
            ./scenarios/calibrate:FuzzReadHistory:200000 ./scenarios/calibrate:FuzzReadCosts:200000 \
            ./shard:FuzzDecode:200000 ./scenarios:FuzzParseRange:250000 ./plan:FuzzParseConstraint:100000 ./cmd/csplan:FuzzFlags:12000 ./internal/csvfile:FuzzMapHeader:200000

.PHONY: all build test lint race browser fuzz-smoke bench demo clean

all: build

# The version results and --version name: the commit, when git knows it
# (the go command may not stamp it, as with GOFLAGS=-buildvcs=false).
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/csplan ./cmd/csplan

test: lint race browser fuzz-smoke

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

race:
	$(GO) test -race -count=1 -timeout 20m ./...

# The workspace's browser test, which the race detector would slow tenfold.
browser:
	$(GO) test -count=1 -run Browser ./serve

fuzz-smoke:
	@set -e; for t in $(FUZZ); do pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; \
		budget=$(FUZZTIME); budget=$${budget:-$${rest##*:}x}; \
		echo "fuzz $$pkg $$name for $$budget"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $$budget $$pkg; done

# Benchmarks, benchstat-friendly: make bench > new.txt; benchstat old.txt new.txt
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./sim

demo: build
	./bin/csplan run scenarios/examples/acme-company.yaml -o out

clean:
	rm -rf bin out
