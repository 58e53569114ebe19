# Linkbase: the everyday commands. The README's two commands are `make run`
# and `make test` spelled out, so nothing here is required.

.PHONY: run test parity lint fuzz build

run:
	go run . serve

test:
	go test -race ./...

# Timing comparisons (enumeration parity), skipped under -race.
parity:
	go test -count=1 -run 'EnumerationParity' -v ./routes

lint:
	test -z "$$(gofmt -l .)" || (gofmt -l . && exit 1)
	go vet ./...

# Brief fuzzing of every fuzz target (CI runs this too).
fuzz:
	go test ./account -run '^$$' -fuzz '^FuzzNormalisation$$' -fuzztime 8s
	for target in FuzzAccountBodies FuzzTokens FuzzResetPassword FuzzReferralEndpoints; do \
		go test ./routes -run '^$$' -fuzz "^$$target\$$" -fuzztime 8s || exit 1; \
	done

build:
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o linkbase .
