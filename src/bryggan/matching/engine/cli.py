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
import sys
from pathlib import Path

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


def _load_json(path: str, what: str):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {what} {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{what} {path} is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"{what} {path} is not JSON: {error}") from None


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
        instance = Instance.from_dict(_load_json(args.instance, "instance"))
        if args.command == "solve":
            result = solve(instance, optimal=args.optimal, seed=args.seed)
            result.stable = check(instance, result).ok
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
