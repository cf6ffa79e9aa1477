#!/usr/bin/env bash
# Prints the class path of the Java client: Debian's protobuf, gRPC and
# Netty jars in /usr/share/java (single Netty jars: Debian's netty-all.jar is
# empty), geronimo-annotation for the javax.annotation.Generated the
# generated stubs carry (JDK 17 has none), and google.rpc error details.
set -euo pipefail
jars=(protobuf grpc-api grpc-context grpc-core grpc-netty grpc-protobuf
  grpc-protobuf-lite grpc-stub guava perfmark-api gson
  error_prone_annotations geronimo-annotation-1.3-spec proto-google-common-protos
  netty-buffer netty-codec netty-codec-http netty-codec-http2 netty-common
  netty-handler netty-resolver netty-transport netty-transport-native-unix-common)
path=""
for jar in "${jars[@]}"; do
  if [[ ! -f "/usr/share/java/${jar}.jar" ]]; then
    echo "classpath.sh: /usr/share/java/${jar}.jar missing (scripts/install_deps.sh installs it)" >&2
    exit 1
  fi
  path="${path:+${path}:}/usr/share/java/${jar}.jar"
done
echo "${path}"
