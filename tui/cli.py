"""The `kindred` command: the app, and command-line tools that never start a screen."""

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def kindred_version() -> str:
    try:
        return version("kindred")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kindred",
        description="Plan, write and rehearse a family intervention, with a guide beside you.",
    )
    parser.add_argument("--version", action="version", version=f"kindred {kindred_version()}")
    parser.add_argument(
        "--content",
        type=Path,
        metavar="DIR",
        help="read the guide from another directory of Markdown files",
    )
    parser.add_argument(
        "--no-mouse", action="store_true", help="do not ask the terminal for mouse events"
    )
    return parser


def run_app(args: argparse.Namespace) -> int:
    from tui.guide import ContentError, load_guide

    try:
        guide = load_guide(args.content)
    except ContentError as error:
        print(f"kindred: {error}", file=sys.stderr)
        return 2
    from tui.app import KindredApp

    KindredApp(guide).run(mouse=not args.no_mouse)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_app(args)
