# Linkbase: the everyday commands. The README's two commands are `make run`
# and `make test` spelled out, so nothing here is required.

.PHONY: run test e2e parity lint fuzz build cluster-test

run:
	go run . serve

test:
	go test -race ./...

# Only the browser tests (go test runs them too, through e2e/e2e_test.go);
# needs Debian's chromium. Screenshots land in e2e/artifacts/.
e2e:
	cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund && npm test

# Timing comparisons (enumeration parity): behind the parity build tag, so
# never part of the default suite; run without -race, printing the figures.
parity:
	go test -tags parity -count=1 -run 'EnumerationParity' -v ./routes

lint:
	test -z "$$(gofmt -l .)" || (gofmt -l . && exit 1)
	go vet ./...

# Brief fuzzing of every fuzz target (CI runs this too).
fuzz:
	go test ./account -run '^$$' -fuzz '^FuzzNormalisation$$' -fuzztime 8s
	go test ./redirect -run '^$$' -fuzz '^FuzzLocal$$' -fuzztime 8s
	go test ./linkbio -run '^$$' -fuzz '^FuzzParseSocials$$' -fuzztime 8s
	for target in FuzzAccountBodies FuzzTokens FuzzResetPassword FuzzReferralEndpoints; do \
		go test ./routes -run '^$$' -fuzz "^$$target\$$" -fuzztime 8s || exit 1; \
	done

build:
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o linkbase .

# The cluster test (deploy/cluster_test.go, build tag "cluster"): a 3-node
# cluster on the loopback through deploy/local-cluster.sh. Needs root and
# /dev/fuse; installs Debian's fuse3, haproxy and redis-server and the
# pinned LiteFS and Litestream when missing. Prints the lag and failover
# figures.
cluster-test:
	go vet -tags cluster ./deploy
	go test -tags cluster -count=1 -v -timeout 20m ./deploy
