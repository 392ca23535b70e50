"""Initialise the signac data space of the study for a named profile.

    python init.py                      # the demo profile in this directory
    python init.py --profile smoke
    python init.py --profile paper --set engine=hoomd
    python init.py --list

Profiles, state points and parameters: src/softness_entropy/workflow/profiles.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

CONFIG_FILE = Path(__file__).resolve().with_name("signac.rc")


def parse_assignment(text: str) -> tuple[str, object]:
    """Parse KEY=VALUE, the value as JSON when possible (numbers), else a string."""
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, json.loads(raw)
    except json.JSONDecodeError:
        return key, raw


def main(argv: list[str] | None = None) -> int:
    from softness_entropy.workflow.profiles import PROFILES
    from softness_entropy.workflow.setup import init_data_space

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="demo", help="smoke, demo or paper (default: demo)")
    parser.add_argument("--root", default=".", help="project directory (default: here)")
    parser.add_argument(
        "--set", dest="overrides", action="append", type=parse_assignment, default=[],
        metavar="KEY=VALUE", help="override a run parameter (repeatable)",
    )  # fmt: skip
    parser.add_argument("--list", action="store_true", help="list the profiles and exit")
    args = parser.parse_args(argv)
    if args.list:
        for p in PROFILES.values():
            print(f"{p.name:6s} {len(p.statepoints()):4d} jobs  {p.description}")
        return 0
    try:
        project, created = init_data_space(
            args.root, args.profile, CONFIG_FILE, dict(args.overrides)
        )
    except ValueError as err:
        print(f"init.py: error: {err}", file=sys.stderr)
        return 2
    total = len(project)
    print(f"{project.path}: profile {args.profile!r}, {created} jobs created, {total} in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
