# civicpoints: the two commands a newcomer needs are `make demo` and `make test`.

BIN      ?= ./bin/civicpoints
DEMO_DB  ?= ./civicpoints-demo.db
DEMO_ADDR ?= 127.0.0.1:8080
GO       ?= go

# Tests run against PostgreSQL as well as SQLite; CI sets the same DSN.
CIVICPOINTS_TEST_PG ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
export CIVICPOINTS_TEST_PG

.PHONY: all build demo test bench fmt crash

all: build

build:
	$(GO) build -o $(BIN) ./cmd/civicpoints

# Seeds the demo database when it is missing (into a temporary file first, so a
# failed seed never leaves a half-seeded demo behind); on an existing database
# `civicpoints demo` changes nothing and prints the logins again. Then serves it.
demo: build
	@if [ ! -f $(DEMO_DB) ]; then \
		echo "seeding $(DEMO_DB) (first run only)…"; \
		rm -f $(DEMO_DB).tmp $(DEMO_DB).tmp-wal $(DEMO_DB).tmp-shm; \
		$(BIN) demo --db $(DEMO_DB).tmp && mv $(DEMO_DB).tmp $(DEMO_DB) && echo "moved into place as $(DEMO_DB)"; \
	else \
		$(BIN) demo --db $(DEMO_DB); \
	fi
	@echo "serving the demo on http://$(DEMO_ADDR) (Ctrl-C to stop)"
	$(BIN) serve --db $(DEMO_DB) --addr $(DEMO_ADDR) --migrate

test:
	$(GO) vet ./...
	$(GO) test -race ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fmt:
	gofmt -l -w .

# More targets go below (the ledger's `make crash` lands here).

# Kill the real binary mid-load (SIGKILL), restart, replay every request with
# its key; at least 5 cycles on each engine.
CRASH_CYCLES ?= 5
crash:
	CIVICPOINTS_CRASH_CYCLES=$(CRASH_CYCLES) $(GO) test -count=1 -v -run 'TestCrash' ./internal/crashtest/
