"""`framedrpc`: list, describe and call the services of any FramedRPC server, as grpcurl does
for gRPC, without generated code: the server's reflection service
(framedrpc.reflection.v1) supplies the descriptors.

    framedrpc list localhost:50051 --cacert ca.pem
    framedrpc describe localhost:50051 framedrpc.testing.TestService --cacert ca.pem
    framedrpc call localhost:50051 /framedrpc.testing.TestService/UnaryCall \\
        -d '{"responseSize": 3}' -H 'x-grpc-test-echo-initial: hi' --cacert ca.pem

Exit status: 0 on success; 64 + the status code when a call ends with a status other than OK
(as grpcurl does: 64 + 2 = 66 for UNKNOWN), so that it cannot be confused with 1 (any other
failure: connection, reflection, a request that does not parse) or 2 (a usage error).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import os
import ssl
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from .client import Client
from .connection import Connection
from .describe import describe
from .dynamic import find_method, parse_json, split_method_name
from .framing import ProtocolError
from .invoke import InputError, invoke, requests_from_lines
from .metadata import Metadata, Value, is_binary_key
from .reflection_client import ReflectionError, ServerReflection
from .status import RpcError
from .stub import CallKind, MethodDescriptor
from .tls import TlsConfig

EXIT_FAILURE = 1
"""Anything that is not a call's status or a usage error (2, argparse's): connection,
reflection, a request that does not parse."""
STATUS_EXIT_OFFSET = 64
"""A call that ends with status code N exits with 64 + N, as grpcurl does."""
EXIT_INTERRUPTED = 130
"""Ctrl-C, as shells report SIGINT."""
STDIN = "@"
"""The value of -d that reads the requests from stdin, one JSON object per line."""


class CliError(Exception):
    """A failure the CLI reports as `framedrpc: <message>` (or as a usage error, when the
    arguments are at fault)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the CLI with `argv` (default: the process's arguments); returns the exit status."""
    parser, commands = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in commands:
        parser.parse_args(argv)  # prints the help, or the usage error naming the commands
        parser.error("give a command")  # not reached: parse_args has exited
    parser = commands[argv[0]]
    # Intermixed, so that options may come before, between or after the positional arguments
    # (`describe HOST --cacert ca.pem SYMBOL`): plain parse_args would take an optional
    # positional as absent once it has seen HOST, and then reject SYMBOL.
    args = parser.parse_intermixed_args(argv[1:])
    try:
        metadata = parse_headers(args.header)
        tls = tls_config(args)
        host, port = parse_address(args.address)
    except CliError as error:
        parser.error(str(error))  # exits with 2
    try:
        with connect(host, port, tls) as connection:
            status: int = args.run(args, Client(connection), metadata, sys.stdout)
            return status
    except (CliError, ReflectionError) as error:
        print(f"framedrpc: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except RpcError as error:
        print(f"ERROR: {error.code.name}: {error.message}", file=sys.stderr)
        return STATUS_EXIT_OFFSET + int(error.code)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # stdout closed early (`| head`): stop quietly, and keep Python from complaining
        # again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser, and the parser of each command (each with the connection
    options) by name."""
    parser = argparse.ArgumentParser(
        prog="framedrpc",
        description="List, describe and call the services of a FramedRPC server through its "
                    "reflection service (start the server with --reflection). Options follow "
                    "the command: framedrpc list HOST:PORT --cacert ca.pem",
        epilog="A call that ends with a status other than OK prints 'ERROR: CODE: message' on "
               "stderr and exits with 64 + the status code; other failures exit with 1.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="the services, or the methods of SERVICE")
    _add_connection_options(listing)
    listing.add_argument("service", nargs="?", metavar="SERVICE")
    listing.set_defaults(run=run_list)

    describing = commands.add_parser(
        "describe", help="a service, method, message, enum or field as proto text")
    _add_connection_options(describing)
    describing.add_argument("symbols", nargs="*", metavar="SYMBOL",
                            help="fully qualified names; none describes every service")
    describing.set_defaults(run=run_describe)

    calling = commands.add_parser("call", help="call a method with JSON requests")
    _add_connection_options(calling)
    calling.add_argument("method", type=_method_name, metavar="METHOD",
                         help="/pkg.Service/Method (or pkg.Service/Method, pkg.Service.Method)")
    calling.add_argument("-d", "--data", default="{}", metavar="JSON",
                         help="the request as JSON (default {}); '@' reads requests from "
                              "stdin, one JSON object per line, as streaming requests need")
    calling.add_argument("-v", "--verbose", action="store_true",
                         help="also print the response's initial and trailing metadata "
                              "on stderr")
    calling.set_defaults(run=run_call)
    return parser, {"list": listing, "describe": describing, "call": calling}


def _add_connection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("address", metavar="HOST:PORT")
    parser.add_argument("-H", "--header", action="append", default=[], metavar="'KEY: VALUE'",
                        help="call metadata, repeatable, also sent with the reflection call; "
                             "a key ending in -bin takes base64")
    parser.add_argument("--cacert", metavar="FILE",
                        help="PEM CA bundle to trust (default: the system's CAs)")
    parser.add_argument("--cert", metavar="FILE", help="client certificate chain (PEM)")
    parser.add_argument("--key", metavar="FILE", help="client private key (PEM)")
    parser.add_argument("--servername", metavar="NAME",
                        help="the name to verify the server certificate against, also sent "
                             "as SNI (default: HOST)")
    parser.add_argument("--timeout", type=_positive_seconds, metavar="SECONDS",
                        help="deadline of each call, reflection included (default: none)")


# Commands


def run_list(args: argparse.Namespace, client: Client, metadata: Metadata, out: TextIO) -> int:
    """Services one per line, sorted; with SERVICE, its methods as pkg.Service.Method."""
    with ServerReflection(client, metadata=metadata, timeout=args.timeout) as reflection:
        if args.service is None:
            names = reflection.list_services()
        else:
            reflection.load_symbol(args.service)
            try:
                service = reflection.pool.FindServiceByName(  # type: ignore[no-untyped-call]
                    args.service.lstrip("."))
            except KeyError:
                raise CliError(f"{args.service} is not a service") from None
            names = sorted(method.full_name for method in service.methods)
    out.write("".join(f"{name}\n" for name in names))
    return 0


def run_describe(args: argparse.Namespace, client: Client, metadata: Metadata,
                 out: TextIO) -> int:
    """Each symbol (or every service) as proto text with its comments, blank-line separated."""
    with ServerReflection(client, metadata=metadata, timeout=args.timeout) as reflection:
        texts = []
        for symbol in args.symbols or reflection.list_services():
            text = describe(reflection.load_symbol(symbol), symbol)
            if text is None:
                raise CliError(f"{symbol} is not a service, method, message, enum or field")
            texts.append(text)
    out.write("\n\n".join(texts) + "\n")
    return 0


def run_call(args: argparse.Namespace, client: Client, metadata: Metadata, out: TextIO) -> int:
    """Resolves the method through reflection, then calls it; responses are JSON lines."""
    service, method_name = args.method
    with ServerReflection(client, metadata=metadata, timeout=args.timeout) as reflection:
        reflection.load_symbol(service)
        try:
            method = find_method(reflection.pool, service, method_name)
        except LookupError as error:
            raise CliError(str(error)) from None
    try:
        invoke(client, method, _requests(args.data, method), metadata=metadata,
               timeout=args.timeout, out=out, log=sys.stderr if args.verbose else None)
    except InputError as error:
        raise CliError(str(error)) from None
    return 0


def _requests(data: str, method: MethodDescriptor[Any, Any]) -> Iterable[Any]:
    if data == STDIN:
        return requests_from_lines(sys.stdin, method)
    if method.kind in (CallKind.CLIENT_STREAMING, CallKind.BIDI_STREAMING):
        raise CliError(f"{method.path} is {method.kind.value}: give its requests on stdin, one "
                       "JSON object per line, with -d @")
    try:
        return [parse_json(data, method.request_type)]
    except ValueError as error:
        raise CliError(f"-d: {error}") from None


# Options


def parse_headers(headers: Sequence[str]) -> Metadata:
    """Metadata from -H 'key: value' options (keys lowercased; `-bin` values in base64)."""
    entries: list[tuple[str, Value]] = []
    for header in headers:
        key, separator, text = header.partition(":")
        key, value = key.strip().lower(), text.strip()
        if not separator or not key:
            raise CliError(f"-H {header!r}: write 'key: value'")
        if is_binary_key(key):
            try:  # unpadded base64 is common in metadata: pad it
                entries.append((key, base64.b64decode(value + "=" * (-len(value) % 4),
                                                      validate=True)))
            except binascii.Error:
                raise CliError(f"-H {header!r}: a key ending in -bin takes base64") from None
        else:
            entries.append((key, value))
    try:
        return Metadata(entries)
    except ValueError as error:
        raise CliError(f"-H: {error}") from None


def parse_address(address: str) -> tuple[str, int]:
    """(host, port) from HOST:PORT; an IPv6 host is written in brackets: [::1]:50051."""
    host, separator, port = address.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not separator or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CliError(f"{address!r} is not HOST:PORT")
    return host, int(port)


def tls_config(args: argparse.Namespace) -> TlsConfig:
    """The TLS settings of the options, checked now so that a bad file is reported as such."""
    if args.key is not None and args.cert is None:
        raise CliError("--key needs --cert (the client certificate it belongs to)")
    tls = TlsConfig(cafile=args.cacert, certfile=args.cert, keyfile=args.key,
                    server_hostname=args.servername)
    try:
        tls.create_context()
    except (OSError, ssl.SSLError) as error:
        raise CliError(f"cannot use the TLS files: {error}") from None
    return tls


def connect(host: str, port: int, tls: TlsConfig) -> Connection:
    """A connection over TLS (FramedRPC servers serve nothing else); CliError if it fails."""
    try:
        return Connection.connect(host, port, tls=tls)
    except (OSError, ssl.SSLError, ProtocolError) as error:
        raise CliError(f"cannot connect to {host}:{port}: {error}") from None


def _method_name(text: str) -> tuple[str, str]:
    try:
        return split_method_name(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return seconds
