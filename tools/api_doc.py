#!/usr/bin/python3
"""Writes docs/API.md from the comments of proto/newsdesk/v1: every RPC with
its request, response, errors and an example, then every message and enum.

    tools/api_doc.py           rewrite docs/API.md
    tools/api_doc.py --check   exit 1 when docs/API.md is not what this
                               script writes (ctest: api_doc_current)

The proto comments are the source: an RPC's comment ends with a sentence
"Errors: ..." naming the codes it returns (the codes every call can return
are listed once at the top). Examples come from docs/api_examples.json when
it has one for the RPC (each is parsed as the request message, so a stale
example fails), otherwise they are built from the request's Required fields.
Needs protoc and python3-protobuf (Debian), run by /usr/bin/python3.
"""

import argparse
import base64
import difflib
import json
import os
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROTO_ROOT = os.path.join(REPO, "proto")
OUTPUT = os.path.join(REPO, "docs", "API.md")
EXAMPLES = os.path.join(REPO, "docs", "api_examples.json")
PACKAGE = "newsdesk.v1"
# gRPC ports of the services in scripts/quickstart.sh, for the grpcurl examples.
GRPC_PORTS = {"IngestService": 50051, "ArticleLogService": 50051, "QueryService": 50052}
REST_PORTS = {"IngestService": 9451, "QueryService": 9452, "ArticleLogService": 9451}

# FileDescriptorProto field numbers used in SourceCodeInfo paths.
MESSAGE, ENUM, SERVICE = 4, 5, 6
FIELD, NESTED, NESTED_ENUM = 2, 3, 4
METHOD, VALUE = 2, 2

COMMON_ERRORS = """\
| code | HTTP | when |
| --- | --- | --- |
| `INVALID_ARGUMENT` | 400 | the request is malformed; the message says which field and why |
| `NOT_FOUND` | 404 | the named resource does not exist (and, over REST, an unknown path) |
| `DEADLINE_EXCEEDED` | 504 | the caller's deadline passed first |
| `UNAVAILABLE` | 503 | the service is starting, stopping or cannot reach its store; retry with backoff |
| `RESOURCE_EXHAUSTED` | 429 | the service is at its limit of calls at once (`--max_concurrent_calls`), or the request message is larger than `--max_receive_message_bytes`; retry with backoff |
| `INTERNAL` | 500 | a fault on the server; the message is generic and the server log has details |
"""


def load_descriptors():
    """Runs protoc over proto/ and returns the FileDescriptorSet, with
    comments."""
    protos = sorted(
        os.path.relpath(os.path.join(d, f), PROTO_ROOT)
        for d, _, files in os.walk(os.path.join(PROTO_ROOT, PACKAGE.replace(".", "/")))
        for f in files if f.endswith(".proto"))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "api.binpb")
        subprocess.run(["protoc", "-I", PROTO_ROOT, "--include_imports",
                        "--include_source_info", "--descriptor_set_out=" + out] + protos,
                       check=True)
        files = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            files.ParseFromString(f.read())
    return files


def comment_text(raw):
    """A proto comment as one paragraph per blank-line-separated block."""
    paragraphs, current = [], []
    for line in raw.strip("\n").split("\n"):
        line = line[1:] if line.startswith(" ") else line
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


class Api:
    """The services, messages and enums of the package, with comments."""

    def __init__(self, files):
        self.pool = descriptor_pool.DescriptorPool()
        for f in files.file:
            self.pool.Add(f)
        self.factory = message_factory.MessageFactory(self.pool)
        self.comments = {}  # full name -> comment
        self.services, self.messages, self.enums = [], {}, {}
        for f in files.file:
            if f.package != PACKAGE:
                continue
            by_path = {tuple(loc.path): loc.leading_comments
                       for loc in f.source_code_info.location}
            for si, service in enumerate(f.service):
                name = "%s.%s" % (PACKAGE, service.name)
                self.comments[name] = by_path.get((SERVICE, si), "")
                self.services.append((f.name, name))
                for mi, method in enumerate(service.method):
                    self.comments[name + "." + method.name] = by_path.get(
                        (SERVICE, si, METHOD, mi), "")
            for mi, message in enumerate(f.message_type):
                self._add_message(by_path, (MESSAGE, mi), PACKAGE, message)
            for ei, enum in enumerate(f.enum_type):
                self._add_enum(by_path, (ENUM, ei), PACKAGE, enum)

    def _add_message(self, by_path, path, scope, message):
        name = scope + "." + message.name
        self.messages[name] = f_name = name
        self.comments[f_name] = by_path.get(path, "")
        for fi, field in enumerate(message.field):
            self.comments[name + "." + field.name] = by_path.get(path + (FIELD, fi), "")
        for ni, nested in enumerate(message.nested_type):
            if not nested.options.map_entry:
                self._add_message(by_path, path + (NESTED, ni), name, nested)
        for ei, enum in enumerate(message.enum_type):
            self._add_enum(by_path, path + (NESTED_ENUM, ei), name, enum)

    def _add_enum(self, by_path, path, scope, enum):
        name = scope + "." + enum.name
        self.enums[name] = name
        self.comments[name] = by_path.get(path, "")
        for vi, value in enumerate(enum.value):
            self.comments[name + "." + value.name] = by_path.get(path + (VALUE, vi), "")

    def comment(self, full_name):
        return comment_text(self.comments.get(full_name, ""))


def short(full_name):
    return full_name[len(PACKAGE) + 1:] if full_name.startswith(PACKAGE + ".") else full_name


def anchor(full_name):
    return short(full_name).lower().replace(".", "")


def type_name(field):
    """The field's type as Markdown, linked when it is one of ours."""
    fd = field
    if fd.type == fd.TYPE_MESSAGE:
        name = fd.message_type.full_name
        text = "[`%s`](#%s)" % (short(name), anchor(name)) if name.startswith(PACKAGE) \
            else "`%s`" % name
    elif fd.type == fd.TYPE_ENUM:
        name = fd.enum_type.full_name
        text = "[`%s`](#%s)" % (short(name), anchor(name))
    else:
        text = "`%s`" % {
            fd.TYPE_STRING: "string", fd.TYPE_BYTES: "bytes", fd.TYPE_BOOL: "bool",
            fd.TYPE_INT32: "int32", fd.TYPE_INT64: "int64", fd.TYPE_UINT32: "uint32",
            fd.TYPE_UINT64: "uint64", fd.TYPE_DOUBLE: "double", fd.TYPE_FLOAT: "float",
        }.get(fd.type, "scalar")
    if fd.label == fd.LABEL_REPEATED:
        text = "repeated " + text
    return text


def field_table(api, descriptor):
    if not descriptor.fields:
        return "No fields.\n"
    rows = ["| field (JSON) | type | description |", "| --- | --- | --- |"]
    for field in descriptor.fields:
        text = api.comment(descriptor.full_name + "." + field.name).replace("\n\n", " ")
        rows.append("| `%s` (`%s`) | %s | %s |" % (
            field.name, field.json_name, type_name(field), text.replace("|", "\\|")))
    return "\n".join(rows) + "\n"


def skeleton(api, descriptor, depth=0):
    """A request built from the fields whose comment starts 'Required.'."""
    out = {}
    for field in descriptor.fields:
        if not api.comment(descriptor.full_name + "." + field.name).startswith("Required."):
            continue
        if field.type == field.TYPE_MESSAGE:
            if field.message_type.full_name == "google.protobuf.Timestamp":
                value = "2023-04-26T00:00:00Z"
            elif depth < 2:
                value = skeleton(api, field.message_type, depth + 1)
            else:
                value = {}
        elif field.type == field.TYPE_ENUM:
            value = field.enum_type.values[-1].name
        elif field.type == field.TYPE_STRING:
            value = "..."
        elif field.type == field.TYPE_BYTES:
            value = base64.b64encode(b"An article.").decode()
        elif field.type == field.TYPE_BOOL:
            value = True
        else:
            value = 1
        out[field.json_name] = [value] if field.label == field.LABEL_REPEATED else value
    return out


def example_for(api, method, examples):
    """The example request of `method` as JSON text; checks it parses."""
    key = method.full_name
    example = examples.get(key)
    if example is None:
        example = skeleton(api, method.input_type)
        if method.client_streaming:
            example = [example]
    message_class = api.factory.GetPrototype(method.input_type)
    for item in (example if method.client_streaming else [example]):
        try:
            json_format.ParseDict(item, message_class())
        except json_format.ParseError as e:
            raise SystemExit("api_doc: the example of %s in %s is not a %s: %s" % (
                key, os.path.relpath(EXAMPLES, REPO), method.input_type.full_name, e))
    return json.dumps(example, indent=2)


def render(api, examples):
    out = []
    w = out.append
    w("# newsdesk API reference (`newsdesk.v1`)\n")
    w("<!-- Written by tools/api_doc.py from the comments in proto/newsdesk/v1; "
      "do not edit: change the protos (or docs/api_examples.json) and run "
      "tools/api_doc.py. -->\n")
    w("Every RPC below is served over gRPC (`proto/newsdesk/v1/`, reflection and "
      "`grpc.health.v1` on both services) and as REST/JSON on the service's HTTP "
      "port: `POST /v1/{Service}/{Method}` with the request in the proto JSON "
      "mapping (field names as in the JSON column; `bytes` in base64; `int64` as "
      "strings; timestamps in RFC 3339; enums by name; a `read_mask` as one string "
      "of lowerCamelCase paths joined by commas, `\"articleId,title,publishTime\"`). "
      "A client-streaming call "
      "takes a JSON array of requests. A server-streaming call answers with "
      "newline-delimited JSON (`application/x-ndjson`): a line "
      "`{\"result\": {...}}` per response message and, when the stream ends "
      "with an error, a last line `{\"error\": {...}}` with the status as below; "
      "an idle stream sends an empty line every 15 s, and the HTTP port streams "
      "at most 2 calls at once (`RESOURCE_EXHAUSTED` beyond). The examples use "
      "the ports of `scripts/quickstart.sh`: ingest HTTP 9451, query HTTP 9452.\n")
    w("## Errors every call can return\n")
    w("Each RPC lists the codes it returns for bad requests. Besides those:\n")
    w(COMMON_ERRORS)
    w("Errors carry a `google.rpc.Status` in the standard `grpc-status-details-bin` "
      "trailer: `INVALID_ARGUMENT` with a `google.rpc.BadRequest` whose field "
      "violation names the request field when the service knows it "
      "(`article.content`), `UNAVAILABLE` and `RESOURCE_EXHAUSTED` with a "
      "`google.rpc.RetryInfo` (retry after `retryDelay`, backing off). Over REST "
      "an error is the HTTP status above with that `google.rpc.Status` as JSON "
      "plus the code's name: `{\"code\": 3, \"status\": \"INVALID_ARGUMENT\", "
      "\"message\": \"content is empty\", \"details\": [{\"@type\": "
      "\"type.googleapis.com/google.rpc.BadRequest\", \"fieldViolations\": "
      "[{\"field\": \"article.content\", \"description\": \"content is empty\"}]}]}`. "
      "Every response carries the call's request id in `x-request-id` "
      "(metadata, or the `X-Request-Id` header).\n")

    referenced = []
    order = ["IngestService", "QueryService"]  # what callers use first
    services = sorted(api.services, key=lambda s: (
        order.index(short(s[1])) if short(s[1]) in order else len(order), s[1]))
    for file_name, service_name in services:
        service = api.pool.FindServiceByName(service_name)
        w("## %s\n" % short(service_name))
        w("Defined in `proto/%s`.\n" % file_name)
        w(api.comment(service_name) + "\n")
        for method in service.methods:
            full = method.full_name
            text = api.comment(full)
            errors = ""
            if "Errors:" in text:
                text, _, errors = text.partition("Errors:")
                text, errors = text.strip(), errors.strip()
            w("### %s.%s\n" % (short(service_name), method.name))
            kind = ("server-streaming" if method.server_streaming else
                    "client-streaming" if method.client_streaming else "unary")
            w("`rpc %s(%s%s) returns (%s%s)`: %s.\n" % (
                method.name, "stream " if method.client_streaming else "",
                short(method.input_type.full_name),
                "stream " if method.server_streaming else "",
                short(method.output_type.full_name), kind))
            w(text + "\n")
            w("**Request** `%s`\n" % short(method.input_type.full_name))
            w(field_table(api, method.input_type))
            w("**Response** `%s`\n" % short(method.output_type.full_name))
            w(field_table(api, method.output_type))
            w("**Errors** " + (errors if errors else "only those every call can return.") + "\n")
            example = example_for(api, method, examples)
            w("**Example**\n")
            if method.server_streaming:
                w("```sh\ngrpcurl -plaintext -d '%s' 127.0.0.1:%d %s/%s\n```\n" % (
                    json.dumps(json.loads(example)), GRPC_PORTS.get(short(service_name), 50051),
                    service_name, method.name))
            else:
                w("```sh\ncurl -s -X POST http://127.0.0.1:%d/v1/%s/%s -d @- <<'JSON'\n%s\nJSON\n```\n"
                  % (REST_PORTS.get(short(service_name), 9451), short(service_name),
                     method.name, example))
            for d in (method.input_type, method.output_type):
                referenced.append(d.full_name)

    w("## Messages\n")
    for name in sorted(api.messages):
        if name in referenced:
            continue  # shown with its RPC
        d = api.pool.FindMessageTypeByName(name)
        w('### %s\n' % short(name))
        w(api.comment(name) + "\n")
        w(field_table(api, d))
    w("## Enums\n")
    for name in sorted(api.enums):
        d = api.pool.FindEnumTypeByName(name)
        w("### %s\n" % short(name))
        w(api.comment(name) + "\n")
        w("| value | number | meaning |\n| --- | --- | --- |")
        for value in d.values:
            w("| `%s` | %d | %s |" % (value.name, value.number,
                                    api.comment(name + "." + value.name).replace("\n\n", " ")))
        w("")
    return "\n".join(out).rstrip("\n") + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail when docs/API.md is not current")
    args = parser.parse_args()
    with open(EXAMPLES, encoding="utf-8") as f:
        examples = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    text = render(Api(load_descriptors()), examples)
    if args.check:
        try:
            with open(OUTPUT, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = ""
        if current != text:
            sys.stdout.writelines(difflib.unified_diff(
                current.splitlines(True), text.splitlines(True),
                "docs/API.md", "tools/api_doc.py output", n=1))
            print("api_doc: docs/API.md is stale: run tools/api_doc.py and commit it",
                  file=sys.stderr)
            return 1
        print("api_doc: docs/API.md is current", file=sys.stderr)
        return 0
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(text)
    print("api_doc: wrote docs/API.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
