# csplan: make demo runs the example company into ./out; make test is CI.
GO       ?= go
FUZZTIME ?= 10s
# Every fuzz target, as package:Target; make test runs each for FUZZTIME.
FUZZ     := ./scenarios:FuzzParse ./scenarios:FuzzAccountsFile ./scenarios:FuzzOverride \
            ./scenarios/calibrate:FuzzReadHistory ./scenarios/calibrate:FuzzReadCosts ./shard:FuzzDecode \
            ./plan:FuzzParseRange ./cmd/csplan:FuzzFlags

.PHONY: all build test lint race fuzz-smoke bench demo clean

all: build

build:
	$(GO) build -o bin/csplan ./cmd/csplan

test: lint race fuzz-smoke

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

race:
	$(GO) test -race -count=1 ./...

fuzz-smoke:
	@set -e; for t in $(FUZZ); do pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg; done

# Benchmarks, benchstat-friendly: make bench > new.txt; benchstat old.txt new.txt
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./sim

demo: build
	./bin/csplan run scenarios/examples/acme-company.yaml -o out

clean:
	rm -rf bin out
