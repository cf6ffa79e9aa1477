#!/usr/bin/env bash
# Checks that clients/generate.sh regenerates every client from proto/: runs
# it into a temporary folder and expects each language's files for every
# service. (ctest: clients_generate)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(mktemp -d -t newsdesk-clients-XXXXXX)"
trap 'rm -rf "${out}"' EXIT
"${repo_root}/clients/generate.sh" "${out}"
status=0
for service in ingest_service query_service article_log_service entity_alias_service; do
  camel="$(echo "${service}" | sed -E 's/(^|_)([a-z])/\U\2/g')"
  for file in \
      "python/newsdesk/v1/${service}_pb2.py" "python/newsdesk/v1/${service}_pb2_grpc.py" \
      "go/src/github.com/newsdesk/newsdesk/gen/go/newsdesk/v1/${service}_grpc.pb.go" \
      "java/io/newsdesk/v1/${camel}Grpc.java" \
      "cpp/newsdesk/v1/${service}.grpc.pb.h"; do
    if [[ ! -s "${out}/${file}" ]]; then
      echo "check_generate: ${file} was not generated" >&2
      status=1
    fi
  done
done
for service in IngestService QueryService; do
  if [[ ! -s "${out}/node/newsdesk/v1/${service}.ts" ]]; then
    echo "check_generate: node/newsdesk/v1/${service}.ts was not generated" >&2
    status=1
  fi
done
[[ ${status} -eq 0 ]] && echo "check_generate: every client generated" >&2
exit "${status}"
