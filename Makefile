# nfr — Network Flight Recorder. `make demo` and `make test` are the two
# entry points; both install what they need first (make deps).
SHELL   := /bin/bash
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS := -s -w -X github.com/netflightrecorder/nfr/build.Version=$(VERSION) -X github.com/netflightrecorder/nfr/build.Commit=$(COMMIT)
CORPUS  ?= ../shared/corpus
FUZZTIME ?= 30s
export CGO_ENABLED := 1

.PHONY: all deps build nfr sniffer plugin pgo test demo bench eval fuzz lint model prior deb docs clean

all: build

deps:
	@bash build/deps.sh

build: nfr sniffer plugin

nfr:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/nfr ./cmd/nfr

sniffer:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/nfr-sniffer ./cmd/nfr-sniffer

# The plugin is built with plugin/fluentbit/default.pgo, the profile of its
# flush benchmarks (go build's -pgo=auto reads it); make pgo rewrites it.
plugin:
	$(GO) build -trimpath -buildmode=c-shared -ldflags '$(LDFLAGS)' -o bin/out_nfr.so ./plugin/fluentbit

pgo:
	@bash build/pgo.sh

test: deps build
	$(GO) test -count=1 ./...

demo: deps nfr
	@bash examples/demo/run.sh

bench: deps build
	@bash build/deps.sh bench
	@bash build/bench.sh

eval: build
	@bash build/deps.sh model
	@bash build/eval.sh "$(CORPUS)"

fuzz:
	@bash build/fuzz.sh "$(FUZZTIME)"

lint: deps
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

model:
	@bash build/deps.sh model
	$(GO) run ./scoring/dga/train -out scoring/dga/model.bin -corpus $(CORPUS)/domains

prior:
	$(GO) run ./build/popularity -corpus $(CORPUS) -out scoring/intel/popular.txt

docs:
	$(GO) run ./build/configref

deb: build
	@bash build/deb.sh

clean:
	rm -rf bin dist
