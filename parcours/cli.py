"""The `parcours` command: validate, build, explain, new, publish, preview."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from parcours import __version__
from parcours.blocks import BlockPluginError
from parcours.cache import ResultCache
from parcours.diagnostics import FORMATTERS, Code, Reporter, Severity, format_text, summary
from parcours.emit import EmitterError, emitters
from parcours.i18n import N_, _, from_parcours, own_default_domain
from parcours.interrupts import Interrupted, stop_on_signals
from parcours.pipeline import CourseResult, build_course, cache_file, compile_course, files_read
from parcours.project import KeptTexts, Workspace, discover
from parcours.scaffold_kinds import KINDS
from parcours.sources import display_path
from parcours.timings import Timings
from parcours.watch import POLL_SECONDS, Watcher

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
EXIT_INTERNAL = 70  # EX_SOFTWARE


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # the reader stopped reading (`parcours codes | head`): nothing left to say
        return EXIT_ERRORS
    except Exception as error:
        return _failed(error)


def _failed(error: Exception) -> int:
    """Say why a command could not go on, without a traceback for authors to decipher; its status."""
    if isinstance(error, BlockPluginError | EmitterError):
        _complain(str(error))
        return EXIT_ERRORS
    if isinstance(error, OSError):  # the environment: an output folder that can't be written, a full disk
        reason = error.strerror or error
        _complain(_("cannot write '{file}': {reason}").format(file=error.filename, reason=reason) if error.filename
                  else _("cannot write: {reason}").format(reason=reason))
        return EXIT_ERRORS
    # a bug: say so plainly
    _complain(_("internal error ({error}); please report it with the command and the sources that caused it")
              .format(error=f"{type(error).__name__}: {error}"))
    return EXIT_INTERNAL


def console() -> None:
    """The `parcours` command: argparse's words in the author's language (a setting of the whole
    process, so it is made here rather than in `main`), `main` (stopped cleanly by Ctrl+C or `kill`,
    with the status a shell gives a command ended by that signal), then an exit that does not free the
    run's objects one by one, which takes 20 ms after a rebuild with nothing to do (a seventh of
    it) and 40 ms after a large build. By then every file the command writes is closed; its output is
    flushed here, and output that cannot be delivered (a reader that has gone) makes the status an
    error, silently. A command that still has workers or threads (a preview stopped during a build)
    ends the usual way, which waits for them."""
    own_default_domain()
    stop_on_signals()
    try:
        status = main()
    except Interrupted as stopped:  # Ctrl+C, or `kill`: what was being written is not left behind
        _complain(_("interrupted"))
        status = 128 + stopped.signal_number
        processes = sys.modules.get("multiprocessing")
        for worker in processes.active_children() if processes else ():  # not waited for: they stop now
            worker.terminate()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: the command was started with that stream closed
                stream.flush()
        except OSError:
            status = status or EXIT_ERRORS
    processes = sys.modules.get("multiprocessing")  # not imported (11 ms) by a run that started no worker
    if (processes and processes.active_children()) or threading.active_count() > 1:
        sys.exit(status)
    os._exit(status)


def _known_code(value: str) -> str:
    """A code `--ignore` can silence, in capitals: a misspelt one would silence nothing, unsaid."""
    if value.upper() not in {code.code for code in Code}:
        raise argparse.ArgumentTypeError(_("unknown diagnostic code '{code}' (`parcours codes` lists them)")
                                         .format(code=value))
    return value.upper()


def _complain(message: str) -> None:
    """`parcours: message` on stderr, the way every command says why it stopped."""
    print(from_parcours(message), file=sys.stderr)


def _no_courses(path: Path) -> int:
    """What validate, build and fix say of a path without a course."""
    _complain(_("no course.yaml in '{path}' or in its subfolders").format(path=path))
    return EXIT_USAGE


def _run(args: argparse.Namespace) -> int:
    if args.command == "fix":
        return _fix(args)
    if args.command == "explain":
        return _explain(args.code)
    if args.command == "new":
        return _new(args)
    if args.command == "publish":
        return _publish(args)
    if args.command == "preview":
        return _preview(args)
    if args.command == "codes":
        return _codes()
    return _compile(args)


# The words of argparse's own that a parcours command can print. argparse looks them up in gettext's
# default domain, which `console` makes this catalogue: marked here, they are translated there.
ARGPARSE_WORDS = (
    # Translators: argparse writes ":" right after these two headings; end them with a no-break space.
    N_("options"), N_("positional arguments"),
    N_("usage: "), N_("show this help message and exit"),
    N_("show program's version number and exit"), N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"), N_("argument %(argument_name)s: %(message)s"), N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"), N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"), N_("ignored explicit argument %r"),
)


def _parser() -> argparse.ArgumentParser:
    # Every word in the author's language, argparse's own included (ARGPARSE_WORDS, with `console`).
    # argparse %-formats help texts: none of them, in either language, may hold a bare '%'.
    parser = argparse.ArgumentParser(prog="parcours", description=_("Compile Markdown + YAML courses for Open edX."))
    parser.add_argument("--version", action="version", version=f"parcours {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("validate", _("check sources without writing anything")),
                            ("build", _("check, then write packages"))):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("path", type=Path, help=_("a course folder, or a folder of courses"))
        command.add_argument("--format", choices=sorted(FORMATTERS), default="text", dest="output_format",
                             help=_("how diagnostics are printed (default: text)"))
        command.add_argument("--strict", action="store_true", help=_("fail on warnings too"))
        command.add_argument("--ignore", action="append", default=[], metavar="CODE", type=_known_code,
                             help=_("silence a diagnostic code (repeatable)"))
        verbosity = command.add_mutually_exclusive_group()
        verbosity.add_argument("-q", "--quiet", action="store_true", help=_("print diagnostics only"))
        verbosity.add_argument("-v", "--verbose", action="store_true", help=_("also list every file written"))
        command.add_argument("--watch", action="store_true",
                             help=_("then keep watching the sources and do it again on every change (Ctrl+C "
                                    "to stop)"))
        if name == "build":
            command.add_argument("-o", "--output", type=Path, default=Path("build"), help=_("default: build/"))
            command.add_argument("-f", "--formats", default="olx",
                                 help=_("comma-separated package formats (default: olx)"))
            command.add_argument("--timings", action="store_true",
                                 help=_("print how long each stage took (where a large course's time goes)"))
            command.add_argument("--unpacked", action="store_true",
                                 help=_("also write each package's folder, to read or diff it (Studio and "
                                        "partner platforms import the archives)"))
    explain = commands.add_parser("explain", help=_("print the documentation of a diagnostic code"))
    explain.add_argument("code")
    commands.add_parser("codes", help=_("list every diagnostic code"))
    new = commands.add_parser("new", help=_("scaffold commented, valid French sources"))
    new.add_argument("kind", choices=sorted(KINDS))
    new.add_argument("path", type=Path, help=_("the folder (course, module) or file (unit) to create"))
    new.add_argument("--title", help=_("its title (default: from the path)"))
    new.add_argument("--id", dest="identifier",
                     help=_("its id (default: from the path); a course: ORG+NUMBER+RUN"))
    publish_env = "PARCOURS_CLIENT_ID, PARCOURS_CLIENT_SECRET, PARCOURS_STUDIO_URL, PARCOURS_LMS_URL"
    publish = commands.add_parser(
        "publish",
        help=_("import a built OLX package into a course in Studio (credentials and addresses from {variables})")
        .format(variables=publish_env),
        description=_("Import a built OLX package into an existing course in Studio. Credentials and addresses "
                      "come from the environment only: {variables} (--url overrides PARCOURS_STUDIO_URL); "
                      "see docs/publier.md.").format(variables=publish_env))
    publish.add_argument("package", type=Path, help="build/<course>/olx/course.tar.gz")
    publish.add_argument("--course-id", required=True, help=_("an existing course: course-v1:ORG+NUMBER+RUN"))
    publish.add_argument("--url", help=_("Studio's address (default: PARCOURS_STUDIO_URL)"))
    publish.add_argument("--timeout", type=float, default=900,
                         help=_("seconds to wait for the import (default: 900)"))
    preview = commands.add_parser("preview", help=_("serve the course as learners see it, rebuilt on every save"))
    preview.add_argument("path", type=Path, help=_("a course folder"))
    preview.add_argument("--port", type=_port, default=8800, help=_("default: 8800; 0 picks a free port"))
    preview.add_argument("--host", default="127.0.0.1", help=_("default: 127.0.0.1 (this computer only; any other "
                         "address lets the network see the preview, which has no authentication)"))
    fix = commands.add_parser("fix", help=_("apply the French typography fixes to the sources, in place"))
    fix.add_argument("path", type=Path, help=_("a course folder, or a folder of courses"))
    fix.add_argument("--check", action="store_true", help=_("only list the fixes; exit 1 if there are any"))
    return parser


def _explain(code_name: str) -> int:
    code = Code.lookup(code_name)
    if code is None:
        _complain(_("unknown code '{code}' (see `parcours codes`)").format(code=code_name))
        return EXIT_USAGE
    explanation = code.explanation()
    print(_("{code} ({severity}): {summary}").format(code=code.code, severity=code.severity.word(),
                                                     summary=explanation.summary), explanation.doc, sep="\n\n")
    return EXIT_OK


def _codes() -> int:
    width = max(len(severity.word()) for severity in Severity)
    for code in Code:
        print(f"{code.code}  {code.severity.word():<{width}}  {code.explanation().summary}")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from parcours.scaffold import ScaffoldError, create  # needs the YAML and lint machinery: only here

    try:
        written = create(args.kind, args.path, args.title, args.identifier)
    except ScaffoldError as error:
        _complain(str(error))
        return EXIT_USAGE
    for path in dict.fromkeys(path.resolve() for path in written):
        print(display_path(path))
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from parcours.publish import Platform, Polling, PublishError, publish  # HTTP client: this command only

    try:
        platform = Platform.from_environment(os.environ, args.url)
        publish(args.package, args.course_id, platform, Polling(limit=args.timeout),
                say=lambda message: print(message, file=sys.stderr))
    except PublishError as error:
        _complain(str(error))
        return EXIT_USAGE if error.usage else EXIT_ERRORS
    return EXIT_OK


def _preview(args: argparse.Namespace) -> int:
    courses = discover(args.path)
    if len(courses) != 1:
        found = ", ".join(display_path(course) for course in courses) or _("none")
        _complain(_("preview shows one course folder (course.yaml); found: {found}").format(found=found))
        return EXIT_USAGE
    from parcours.preview.server import PreviewError, serve  # the server is only loaded for this command

    try:
        serve(courses[0], args.host, args.port, lambda message: print(message, flush=True))
    except PreviewError as error:
        _complain(str(error))
        return EXIT_USAGE
    return EXIT_OK


def _port(text: str) -> int:
    """--port: a whole number from 0 to 65535 (0: any free port)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a port: use a number from 0 to 65535 (0: any free port)").format(text=text))
    return port


def _fix(args: argparse.Namespace) -> int:
    """Write the typography fixes of each course and list them (`--check`: list only, exit 1 if any)."""
    from parcours.lint import save_source, typography_fixes

    courses = discover(args.path)
    if not courses:
        return _no_courses(args.path)
    unreadable = pending = False
    verb = "would fix" if args.check else "fixed"
    for course_dir in courses:
        workspace = Workspace(Reporter())
        fixes = typography_fixes(course_dir, workspace)
        if workspace.reporter.failed:  # the prose is only known in sources the compiler can read
            _report(workspace.reporter, workspace, "text")
            unreadable = True
        for path, (text, applied) in fixes.items():
            for diagnostic in applied:
                print(f"{diagnostic.span.display()}: {verb}[{diagnostic.code.code}]: {diagnostic.message}")
            if not args.check:
                save_source(path, text)
        pending |= bool(fixes)
    return EXIT_ERRORS if unreadable or (args.check and pending) else EXIT_OK


def _compile(args: argparse.Namespace) -> int:
    courses = discover(args.path)
    if not courses:
        return _no_courses(args.path)
    formats = list(dict.fromkeys(name.strip() for name in getattr(args, "formats", "").split(",") if name.strip()))
    unknown = [name for name in formats if name not in emitters()]
    if unknown:
        _complain(_("unknown format(s) {unknown}; available: {available}").format(
            unknown=", ".join(unknown), available=", ".join(sorted(emitters()))))
        return EXIT_USAGE
    if args.command == "build" and args.output.exists() and not args.output.is_dir():
        _complain(_("the output '{output}' is a file, not a folder").format(output=args.output))
        return EXIT_USAGE
    if args.watch and args.command == "build" and (inside := _written_in_itself(args.output, courses)):
        _complain(_("--watch needs an output folder outside the course: the packages of '{course}' would be "
                    "written in it, and each build would start the next").format(course=display_path(inside)))
        return EXIT_USAGE
    progress = Progress(quiet=args.quiet)
    # --watch: each course's build cache and texts stay in memory from one build to the next.
    kept = {course_dir: _Kept(_build_cache(args, course_dir)) for course_dir in courses} if args.watch else {}
    watchers = _watchers(args, courses)  # before the first build reads a file: a save during it is seen
    failed = False
    for course_dir in courses:
        failed |= _compile_one(course_dir, args, formats, progress, kept.get(course_dir))
    if watchers:
        _watch(watchers, args, formats, progress, kept)  # until Ctrl+C or `kill`
    return EXIT_ERRORS if failed else EXIT_OK


@dataclass
class _Kept:
    """What a watching process keeps of a course between its builds."""

    cache: ResultCache
    texts: KeptTexts = field(default_factory=KeptTexts)
    read: tuple[str, ...] = ()  # the files its last build read


def _compile_one(course_dir: Path, args: argparse.Namespace, formats: list[str], progress: Progress,
                 kept: _Kept | None) -> bool:
    """Validate or build one course and report it; whether it failed. `kept`, for --watch, also
    learns which files the build read."""
    started = time.perf_counter()
    reporter = Reporter(ignore=frozenset(args.ignore), strict=args.strict)
    cache = kept.cache if kept else None
    workspace, timings = Workspace(reporter, kept=kept.texts if kept else None), Timings()
    with progress.live_line(f"{args.command} {display_path(course_dir)}",
                            lambda: _status(timings, workspace)):
        if args.command == "build":
            result = build_course(course_dir, args.output, formats, workspace, args.unpacked, timings, cache)
        else:
            result = CourseResult(course_dir, compile_course(course_dir, workspace, cache=cache, timings=timings))
            if cache is not None and result.course is not None:
                cache.save()  # in memory: keeps one build's worth, as a build does
    if kept:
        kept.read = files_read(workspace, result.course)
    _report(reporter, workspace, args.output_format)
    for path in _written_files(result, args.verbose):
        progress.done(_("wrote {path}").format(path=display_path(path)))
    took = _(" ({seconds:.2f} s)").format(seconds=time.perf_counter() - started) if args.watch else ""
    progress.done(f"{display_path(course_dir)}: {_counts(result, workspace, args.command)}{summary(reporter)}{took}")
    if getattr(args, "timings", False):
        print(timings.table(), file=sys.stderr)
    return reporter.failed


def _build_cache(args: argparse.Namespace, course_dir: Path) -> ResultCache:
    """The build cache a watching process keeps: a build's, loaded from its output; in memory for validate."""
    return ResultCache.load(cache_file(args.output, course_dir)) if args.command == "build" else ResultCache()


def _written_in_itself(output: Path, courses: list[Path]) -> Path | None:
    """The first course whose packages' folder (output/<course>) is the course folder itself."""
    return next((course_dir for course_dir in courses
                 if (output / course_dir.resolve().name).resolve() == course_dir.resolve()), None)


def _watchers(args: argparse.Namespace, courses: list[Path]) -> dict[Path, Watcher]:
    if not args.watch:
        return {}
    # What the builds write may lie in a course folder: writing it is no change.
    written = [args.output / course_dir.resolve().name for course_dir in courses] if args.command == "build" else []
    return {course_dir: Watcher(course_dir, written) for course_dir in courses}


def _watch(watchers: dict[Path, Watcher], args: argparse.Namespace, formats: list[str], progress: Progress,
           kept: dict[Path, _Kept]) -> None:
    """Compile each course again whenever its sources change, for as long as the command runs. A
    build that cannot go on (an output folder that cannot be written, a compiler bug) says why, and
    the watch goes on."""
    progress.done(_("watching for changes (Ctrl+C to stop)"))
    while True:
        time.sleep(POLL_SECONDS)
        for course_dir, watcher in watchers.items():
            watcher.read_by_last_build(kept[course_dir].read)  # a unit listed under a hidden name too
            if watcher.changed():
                try:
                    _compile_one(course_dir, args, formats, progress, kept[course_dir])
                except BrokenPipeError:
                    raise
                except Exception as error:
                    _failed(error)


def _status(timings: Timings, workspace: Workspace) -> str:
    """The progress line's news: the stage running, and how many files have been read."""
    stage = timings.current or _("starting")  # the stages are named in English by the pipeline
    return f"{stage}, " + _("{count} files read").format(count=len(workspace.texts))


def _written_files(result: CourseResult, verbose: bool) -> list[Path]:
    """Every file written with --verbose; else the archives, not the folders they were made from."""
    if not verbose:
        return [path for path in result.written if path.is_file()]
    return [file for path in result.written
            for file in (sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])]


def _counts(result: CourseResult, workspace: Workspace, command: str) -> str:
    """What a run did, before its diagnostics count: files read, modules built, packages written."""
    if result.up_to_date:
        return _("up to date") + ", "
    counts = [_("{count} files read").format(count=len(workspace.texts))]
    if result.course is not None:
        modules = _("{count} modules built") if command == "build" else _("{count} modules checked")
        counts.append(modules.format(count=len(result.course.chapters)))
    if result.course is not None and command == "build":
        counts.append(_("{count} packages written").format(count=sum(path.is_file() for path in result.written)))
    return ", ".join(counts) + ", "


def _report(reporter: Reporter, workspace: Workspace, output_format: str) -> None:
    for diagnostic in reporter.sorted():
        if output_format == "text":
            print(format_text(diagnostic, workspace.texts), file=sys.stderr)
        else:
            print(FORMATTERS[output_format](diagnostic))


class Progress:
    """Progress for people at a terminal: one line redrawn in place while a course compiles. Nothing
    live in CI logs (`CI` set) or off a terminal; nothing but diagnostics with --quiet."""

    def __init__(self, quiet: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = self.stream.isatty() and not os.environ.get("CI") and not quiet

    @contextlib.contextmanager
    def live_line(self, label: str, status: Callable[[], str]) -> Iterator[None]:
        """While the block runs, show `… label — status()`, refreshed every tenth of a second."""
        if not self.live:
            yield
            return
        stop = threading.Event()

        def redraw() -> None:
            while True:
                self.stream.write(f"\r\x1b[2K… {label} — {status()}")
                self.stream.flush()
                if stop.wait(0.1):
                    break

        ticker = threading.Thread(target=redraw, daemon=True)
        ticker.start()
        try:
            yield
        finally:
            stop.set()
            ticker.join()
            self.stream.write("\r\x1b[2K")

    def done(self, message: str) -> None:
        if not self.quiet:
            print(message, file=self.stream)


if __name__ == "__main__":
    console()
