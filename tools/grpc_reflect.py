#!/usr/bin/python3
"""A small gRPC reflection and health client, in Python with Debian's
grpcio: what `grpcurl list|describe` and `grpc_health_probe` do, for
machines without them.

    tools/grpc_reflect.py HOST:PORT list               services the server offers
    tools/grpc_reflect.py HOST:PORT describe SYMBOL    a service, method or message
    tools/grpc_reflect.py HOST:PORT health [SERVICE]   grpc.health.v1 status

It speaks grpc.reflection.v1alpha (what gRPC C++ 1.51 serves) and
grpc.health.v1, generating their stubs at run time from the .proto files of
Debian's grpc-proto package (copied under grpc_reflection/ and grpc_health/
so they do not shadow the `grpc` package). Exit status: 0 on success (and for
health, only when SERVING), 1 otherwise.
"""

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool

GRPC_PROTO = "/usr/share/grpc-proto"
PROTOS = {  # Debian's file -> where it is compiled from
    "grpc/reflection/v1alpha/reflection.proto": "grpc_reflection/v1alpha/reflection.proto",
    "grpc/health/v1/health.proto": "grpc_health/v1/health.proto",
}


def load_stubs(work):
    for source, target in PROTOS.items():
        path = os.path.join(GRPC_PROTO, source)
        if not os.path.exists(path):
            sys.exit("grpc_reflect: %s missing: apt-get install grpc-proto" % path)
        os.makedirs(os.path.dirname(os.path.join(work, target)), exist_ok=True)
        shutil.copy(path, os.path.join(work, target))
    subprocess.run(["protoc", "-I", work, "--python_out", work, "--grpc_python_out", work,
                    "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin"]
                   + list(PROTOS.values()), check=True)
    sys.path.insert(0, work)
    return {name: importlib.import_module(name) for name in (
        "grpc_reflection.v1alpha.reflection_pb2",
        "grpc_reflection.v1alpha.reflection_pb2_grpc",
        "grpc_health.v1.health_pb2", "grpc_health.v1.health_pb2_grpc")}


class Reflection:
    """Asks one server's reflection service, one request per stream."""

    def __init__(self, channel, stubs):
        self.pb = stubs["grpc_reflection.v1alpha.reflection_pb2"]
        self.stub = stubs["grpc_reflection.v1alpha.reflection_pb2_grpc"].ServerReflectionStub(
            channel)

    def ask(self, **request):
        responses = self.stub.ServerReflectionInfo(
            iter([self.pb.ServerReflectionRequest(**request)]), timeout=10)
        response = next(iter(responses))
        if response.HasField("error_response"):
            raise LookupError(response.error_response.error_message)
        return response

    def services(self):
        return sorted(s.name for s in self.ask(list_services="").list_services_response.service)

    def pool_for(self, symbol):
        """A descriptor pool holding the file that defines `symbol` and its imports."""
        pool, seen = descriptor_pool.DescriptorPool(), set()
        files = {}
        pending = list(self.ask(file_containing_symbol=symbol)
                       .file_descriptor_response.file_descriptor_proto)
        while pending:
            proto = descriptor_pb2.FileDescriptorProto.FromString(pending.pop())
            if proto.name in seen:
                continue
            seen.add(proto.name)
            files[proto.name] = proto
            for dependency in proto.dependency:
                if dependency not in seen:
                    pending.extend(self.ask(file_by_filename=dependency)
                                   .file_descriptor_response.file_descriptor_proto)
        added = set()

        def add(name):
            if name in added:
                return
            for dependency in files[name].dependency:
                add(dependency)
            pool.Add(files[name])
            added.add(name)
        for name in sorted(files):
            add(name)
        return pool


def type_of(field):
    names = {field.TYPE_STRING: "string", field.TYPE_BYTES: "bytes", field.TYPE_BOOL: "bool",
             field.TYPE_INT32: "int32", field.TYPE_INT64: "int64", field.TYPE_UINT32: "uint32",
             field.TYPE_UINT64: "uint64", field.TYPE_DOUBLE: "double", field.TYPE_FLOAT: "float"}
    if field.type == field.TYPE_MESSAGE:
        name = field.message_type.full_name
    elif field.type == field.TYPE_ENUM:
        name = field.enum_type.full_name
    else:
        name = names.get(field.type, "?")
    return ("repeated " if field.label == field.LABEL_REPEATED else "") + name


def describe(reflection, symbol):
    pool = reflection.pool_for(symbol)
    service_name, _, method_name = symbol.rpartition(".")
    for finder, text in (
            (pool.FindServiceByName, lambda d: "service %s {\n%s}" % (d.full_name, "".join(
                "  %s\n" % rpc(m) for m in d.methods))),
            (lambda n: pool.FindServiceByName(service_name).FindMethodByName(method_name),
             rpc),
            (pool.FindMessageTypeByName, lambda d: "message %s {\n%s}" % (d.full_name, "".join(
                "  %s %s = %d;\n" % (type_of(f), f.name, f.number) for f in d.fields))),
            (pool.FindEnumTypeByName, lambda d: "enum %s {\n%s}" % (d.full_name, "".join(
                "  %s = %d;\n" % (v.name, v.number) for v in d.values)))):
        try:
            found = finder(symbol)
        except (KeyError, AttributeError):
            continue
        if found is not None:
            return text(found)
    raise LookupError("no service, method, message or enum named %s" % symbol)


def rpc(method):
    return "rpc %s(%s%s) returns (%s%s);" % (
        method.name, "stream " if method.client_streaming else "",
        method.input_type.full_name, "stream " if method.server_streaming else "",
        method.output_type.full_name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address")
    parser.add_argument("command", choices=["list", "describe", "health"])
    parser.add_argument("symbol", nargs="?", default="")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="grpc-reflect-")
    try:
        stubs = load_stubs(work)
        with grpc.insecure_channel(args.address) as channel:
            if args.command == "health":
                health = stubs["grpc_health.v1.health_pb2"]
                stub = stubs["grpc_health.v1.health_pb2_grpc"].HealthStub(channel)
                status = stub.Check(health.HealthCheckRequest(service=args.symbol),
                                    timeout=10).status
                name = health.HealthCheckResponse.ServingStatus.Name(status)
                print(name)
                return 0 if name == "SERVING" else 1
            reflection = Reflection(channel, stubs)
            if args.command == "list":
                print("\n".join(reflection.services()))
            else:
                if not args.symbol:
                    parser.error("describe wants a symbol")
                print(describe(reflection, args.symbol))
        return 0
    except grpc.RpcError as e:
        print("grpc_reflect: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
        return 1
    except LookupError as e:
        print("grpc_reflect: %s" % e, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
