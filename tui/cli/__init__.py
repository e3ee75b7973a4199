"""The `kindred` command: the app, and command-line tools that never start a screen."""

import argparse
import gc
import os
import sys
from pathlib import Path

from tui import kindred_version
from tui.core.safe_text import shown_path


class _VersionAction(argparse.Action):
    """Prints the version; looked up only when asked, so other commands start faster."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"kindred {kindred_version()}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """Its messages name the arguments given, which can be file names others chose."""

    def error(self, message: str):
        super().error(shown_path(message))


def _add_data_option(parser: argparse.ArgumentParser, default=None) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=default,
        metavar="PATH",
        help="the plan file (default: $KINDRED_DATA, else your private data directory)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kindred",
        description="Plan, write and rehearse a family intervention, with a guide beside you.",
    )
    parser.add_argument("--version", action=_VersionAction)
    _add_data_option(parser)
    parser.add_argument(
        "--content",
        type=Path,
        metavar="DIR",
        help="read the guide from another directory of Markdown files",
    )
    parser.add_argument(
        "--no-mouse", action="store_true", help="do not ask the terminal for mouse events"
    )
    parser.set_defaults(handler=run_app)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    export = commands.add_parser(
        "export",
        help="print the plan as Markdown or JSON, a printable page (html) or a calendar (ics)",
    )
    export.add_argument("--format", choices=("md", "json", "html", "ics"), default="md")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    _add_data_option(export, default=argparse.SUPPRESS)
    export.set_defaults(handler=run_export)

    load = commands.add_parser("import", help="load a plan from a JSON file")
    load.add_argument("file", type=Path, metavar="FILE")
    load.add_argument(
        "--replace",
        action="store_true",
        help="replace the existing plan (it is kept beside it until you remove it)",
    )
    _add_data_option(load, default=argparse.SUPPRESS)
    load.set_defaults(handler=run_import)

    doctor = commands.add_parser("doctor", help="print what a helper needs when something is wrong")
    _add_data_option(doctor, default=argparse.SUPPRESS)
    doctor.add_argument(
        "--content",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="check this guide directory instead of the shipped one",
    )
    doctor.set_defaults(handler=run_doctor)

    share = commands.add_parser(
        "share", help="let named people on this computer read and change the plan"
    )
    share.add_argument("users", nargs="*", metavar="USER", help="their account names")
    share.add_argument(
        "--read-only", action="store_true", help="they may read and export it, not change it"
    )
    share.add_argument(
        "--list", action="store_true", help="show who can read and change the plan, and why"
    )
    share.add_argument("--yes", action="store_true", help="do not ask before changing anything")
    _add_data_option(share, default=argparse.SUPPRESS)
    share.set_defaults(handler=run_share)

    unshare = commands.add_parser("unshare", help="take the plan away from named people again")
    unshare.add_argument("users", nargs="+", metavar="USER", help="their account names")
    unshare.add_argument("--yes", action="store_true", help="do not ask before changing anything")
    _add_data_option(unshare, default=argparse.SUPPRESS)
    unshare.set_defaults(handler=run_unshare)
    return parser


def data_path(args: argparse.Namespace) -> Path:
    from tui.core.store import default_data_path

    return args.data if args.data else default_data_path()


def run_app(args: argparse.Namespace) -> int:
    from tui.core.countries import country_from_locale
    from tui.core.guide import ContentError, default_cache_path, load_guide

    try:
        # The locale's country, as a new plan takes it; once the plan is open, its own.
        guide = load_guide(args.content, default_cache_path(), country_from_locale(os.environ))
    except ContentError as error:
        print(f"kindred: {error}", file=sys.stderr)
        return 2
    from tui.ui.app import KindredApp

    app = KindredApp(guide, data_path(args))
    # What exists by now lives as long as the app: garbage collections need not look at it
    # again (a full one would otherwise hold up the first frame for tens of milliseconds).
    gc.freeze()
    gc.enable()
    app.run(mouse=not args.no_mouse)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from tui.cli.export_import import export_command

    return export_command(data_path(args), args.format, args.output)


def run_import(args: argparse.Namespace) -> int:
    from tui.cli.export_import import import_command

    return import_command(data_path(args), args.file, replace=args.replace)


def run_doctor(args: argparse.Namespace) -> int:
    from tui.cli.doctor import doctor_command

    return doctor_command(data_path(args), args.content)


def run_share(args: argparse.Namespace) -> int:
    from tui.cli.share import list_command, share_command

    if args.list:
        if args.users or args.read_only:
            return _usage("share --list takes no names and no --read-only")
        return list_command(data_path(args))
    if not args.users:
        return _usage("give the account names of the people to share the plan with, or --list")
    return share_command(data_path(args), args.users, read_only=args.read_only, yes=args.yes)


def run_unshare(args: argparse.Namespace) -> int:
    from tui.cli.share import unshare_command

    return unshare_command(data_path(args), args.users, yes=args.yes)


def _usage(problem: str) -> int:
    print(f"kindred: {problem}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    # Start-up and the commands make many objects but no garbage worth collecting: the
    # collector waits until the command is done, or until the app is about to start.
    gc.disable()
    try:
        return _run(build_parser().parse_args(argv))
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    try:
        return args.handler(args)
    except BrokenPipeError:
        # The reader went away (e.g. `kindred export | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130
