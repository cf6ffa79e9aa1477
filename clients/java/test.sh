#!/usr/bin/env bash
# The Java client's test: generates the client from proto/ into a temporary
# folder, compiles it and the example with javac against Debian's jars (no
# Maven) and runs the example against the real services.
#   clients/java/test.sh        (ctest: java_client_test)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${here}/../.." && pwd)"
work="$(mktemp -d -t newsdesk-java-XXXXXX)"
trap 'rm -rf "${work}"' EXIT
"${here}/generate.sh" "${work}/src"
classpath="$("${here}/classpath.sh")"
mkdir -p "${work}/classes"
find "${work}/src" -name '*.java' >"${work}/sources"
echo "${here}/example/Example.java" >>"${work}/sources"
javac -nowarn -encoding UTF-8 -d "${work}/classes" -cp "${classpath}" @"${work}/sources"
cd "${repo_root}"
/usr/bin/python3 "${repo_root}/clients/testing/run_example.py" \
  --expect "all three queries found the ingested article" \
  --expect "rejected: INVALID_ARGUMENT: field article.content: content is empty" -- \
  java -cp "${work}/classes:${classpath}" Example
