#!/usr/bin/env bash
# Offline validation of deploy/ with the tools Debian offers (no cluster, no
# container engine, no registry needed):
#   - yamllint: every YAML file parses and is tidy;
#   - docker-compose config: the compose file is valid;
#   - kubectl kustomize: both overlays render; check_manifests.py then checks
#     what a client-side dry run cannot without a cluster (probes, resources,
#     selectors, references, replica counts);
#   - the Containerfiles: multi-stage where they build, Debian bookworm base,
#     a non-root user and a HEALTHCHECK, and runtime packages for every
#     library the built programs link (check_images.py).
# Building the images needs podman or buildah and network access to a Debian
# mirror; it is not done here (see docs/DEPLOY.md). A missing tool skips its
# part with a message; exit 77 (skipped) when no tool at all is there.
set -uo pipefail
cd "$(dirname "$0")"
failed=0
ran=0
fail() { echo "FAIL: $*"; failed=1; }

if command -v yamllint >/dev/null; then
  ran=1
  yamllint -d '{extends: relaxed, rules: {line-length: {max: 120}}}' compose.yaml k8s \
    || fail "yamllint"
else
  echo "skipped: yamllint is not installed"
fi

if command -v docker-compose >/dev/null; then
  ran=1
  docker-compose -f compose.yaml config -q || fail "compose file"
else
  echo "skipped: docker-compose is not installed"
fi

# The kustomizations use kustomize 4+ fields (labels, replicas, patches);
# Debian bookworm's kubernetes-client (kubectl 1.20) bundles kustomize 2.
kustomize_major=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p')
if [ -n "${kustomize_major:-}" ] && [ "$kustomize_major" -lt 4 ]; then
  echo "skipped: kubectl's kustomize is v$kustomize_major; the manifests need v4 or later"
elif command -v kubectl >/dev/null && /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
  ran=1
  for overlay in k8s/overlays/*/; do
    rendered=$(kubectl kustomize "$overlay") || { fail "kustomize $overlay"; continue; }
    /usr/bin/python3 check_manifests.py <<<"$rendered" || fail "manifests of $overlay"
  done
else
  echo "skipped: kubectl or python3-yaml is not installed"
fi

ran=1
for file in containers/*.Containerfile; do
  grep -q '^FROM docker.io/library/debian:bookworm' "$file" || fail "$file: not on Debian bookworm"
  grep -q '^USER [1-9]' "$file" || fail "$file: no non-root USER"
  grep -q '^HEALTHCHECK' "$file" || fail "$file: no HEALTHCHECK"
  if grep -q 'cmake' "$file" && [ "$(grep -c '^FROM' "$file")" -lt 2 ]; then
    fail "$file: builds in the runtime image (not multi-stage)"
  fi
done

# The runtime stages install the package of every library the programs of
# a local build link (deploy/check_images.py; skipped without a build).
/usr/bin/python3 check_images.py "${NEWSDESK_BIN_DIR:-../build/bin}"
case $? in
  0) ;;
  77) ;;
  *) fail "runtime packages of the images" ;;
esac

if [ "$ran" -eq 0 ]; then exit 77; fi
if [ "$failed" -ne 0 ]; then exit 1; fi
echo "deploy/ checks passed"
