#!/usr/bin/env bash
# The Go client's test: generates the client from proto/ into a temporary
# GOPATH, builds the example offline against Debian's Go packages and runs it
# against the real services (clients/testing/run_example.py).
#   clients/go/test.sh        (ctest: go_client_test)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${here}/../.." && pwd)"
work="$(mktemp -d -t newsdesk-go-XXXXXX)"
trap 'rm -rf "${work}"' EXIT
"${here}/generate.sh" "${work}/gopath"
mkdir -p "${work}/gopath/src/newsdesk-example"
cp "${here}/example/main.go" "${work}/gopath/src/newsdesk-example/"
export GO111MODULE=off GOPROXY=off GOCACHE="${NEWSDESK_GO_CACHE:-${work}/cache}"
export GOPATH="${work}/gopath:/usr/share/gocode"
(cd "${work}/gopath/src/newsdesk-example" && go build -o "${work}/example" .)
cd "${repo_root}"
/usr/bin/python3 "${repo_root}/clients/testing/run_example.py" \
  --expect "all three queries found the ingested article" \
  --expect "rejected: InvalidArgument: field article.content: content is empty" \
  -- "${work}/example"
