"""Initialise (or extend) the signac data space of a study.

    python init.py                      # the demo profile in this directory
    python init.py --profile smoke      # a shipped study (python init.py --list)
    python init.py --study my.toml      # your own study file (docs/studies.md)
    python init.py --profile paper --set engine=hoomd
    python init.py --list

Re-running with a study that extends the data space (colder temperatures, more
replicas, another system) adds the new jobs and keeps every result.  Study files:
docs/studies.md; parameters: src/softness_entropy/workflow/parameters.py.
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
    from softness_entropy.workflow.setup import init_data_space
    from softness_entropy.workflow.studies import get_profile, load_study, profile_names

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--profile", help="a shipped study: smoke, demo, workstation or paper (default: demo)"
    )
    source.add_argument("--study", metavar="FILE", help="a study file (docs/studies.md)")
    parser.add_argument("--root", default=".", help="project directory (default: here)")
    parser.add_argument(
        "--set", dest="overrides", action="append", type=parse_assignment, default=[],
        metavar="KEY=VALUE", help="override a run parameter (repeatable)",
    )  # fmt: skip
    parser.add_argument("--list", action="store_true", help="list the profiles and exit")
    args = parser.parse_args(argv)
    try:
        if args.list:
            for name in profile_names():
                p = get_profile(name)
                print(f"{p.name:12s} {len(p.statepoints()):4d} jobs  {p.description}")
            return 0
        study = load_study(args.study) if args.study else get_profile(args.profile or "demo")
        project, created = init_data_space(args.root, study, CONFIG_FILE, dict(args.overrides))
    except ValueError as err:
        print(f"init.py: error: {err}", file=sys.stderr)
        return 2
    total = len(project)
    print(f"{project.path}: study {study.name!r}, {created} jobs created, {total} in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
