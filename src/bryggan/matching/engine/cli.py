"""Command line: solve, check and explain instances in the engine's JSON format.

    python -m bryggan.matching solve INSTANCE.json [--optimal student|unit] [--seed N]
    python -m bryggan.matching check INSTANCE.json RESULT.json
    python -m bryggan.matching explain INSTANCE.json RESULT.json

Exit codes: 0 done (check: stable and within capacities), 1 check found problems,
2 malformed input (the reason on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from bryggan.matching.engine import reader
from bryggan.matching.engine.algorithm import STUDENT, UNIT, solve
from bryggan.matching.engine.checker import check
from bryggan.matching.engine.explain import explain
from bryggan.matching.engine.model import (
    Instance,
    InstanceError,
    Result,
    ResultError,
    gc_paused,
)


class UsageError(Exception):
    pass


def _read(path: str, what: str) -> tuple[bytearray, int]:
    """The file's bytes in a buffer with the fast reader's padding after them."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            buffer = bytearray(size + reader.PADDING)
            read = handle.readinto(memoryview(buffer)[:size])
            if read != size:  # changed under us (or not a regular file): read it as it is
                handle.seek(0)
                data = handle.read()
                buffer, size = bytearray(data) + bytearray(reader.PADDING), len(data)
    except OSError as error:
        raise UsageError(f"cannot read {what} {path}: {error.strerror}") from None
    return buffer, size


def _json(buffer: bytearray, size: int, path: str, what: str):
    try:
        text = str(memoryview(buffer)[:size], "utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{what} {path} is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"{what} {path} is not JSON: {error}") from None


def _load_json(path: str, what: str):
    return _json(*_read(path, what), path, what)


def _load_instance(path: str) -> Instance:
    """The usual file is read straight into arrays; anything else by the general parser."""
    buffer, size = _read(path, "instance")
    parts = reader.parse(buffer, size)
    if parts is None:
        return Instance.from_dict(_json(buffer, size, path, "instance"))
    del buffer  # the parts hold what is needed: 25 MB less while they are assembled
    return parts.instance()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bryggan.matching",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    solve_p = sub.add_parser("solve", help="solve an instance; the result is printed as JSON")
    solve_p.add_argument("instance")
    solve_p.add_argument("--optimal", choices=[STUDENT, UNIT], default=STUDENT)
    solve_p.add_argument("--seed", type=int, default=0)
    for name, text in (("check", "verify a result"), ("explain", "explain a result")):
        p = sub.add_parser(name, help=text)
        p.add_argument("instance")
        p.add_argument("result")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with gc_paused():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        instance = _load_instance(args.instance)
        if args.command == "solve":
            result = solve(instance, optimal=args.optimal, seed=args.seed)
            result.stable = check(instance, result).ok
            del instance  # its arrays make room for the printed result
            sys.stdout.write(json.dumps(result.to_dict(), separators=(",", ":")))
            sys.stdout.write("\n")
            return 0
        result = Result.from_dict(_load_json(args.result, "result"))
    except (UsageError, InstanceError, ResultError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.command == "check":
        report = check(instance, result)
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        if not report.ok:
            for s, u in report.blocking_pairs:
                print(f"blocking pair: student {s} and unit {u}", file=sys.stderr)
            for violation in report.violations:
                print(f"violation: {violation}", file=sys.stderr)
        return 0 if report.ok else 1
    reasons = explain(instance, result)
    json.dump(
        {s: [r.to_dict() for r in rs] for s, rs in reasons.items()},
        sys.stdout,
        ensure_ascii=False,
        indent=1,
    )
    sys.stdout.write("\n")
    return 0
