"""Diagnostics: every problem the compiler finds is a value with a code, a severity, a place and a hint.

Stages report into a `Reporter` and carry on, so an author sees every mistake of a run at once; the
reporter decides at the gates whether the build may go on. Exceptions are kept for bugs and for the
environment (an unreadable output folder), never for bad input.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from pathlib import Path

from parcours.sources import Span, display_path


class Severity(IntEnum):
    NOTE = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()


class Code(Enum):
    """Every diagnostic the compiler can report. `parcours explain CODE` prints the documentation."""

    def __init__(self, code: str, severity: Severity, summary: str, doc: str) -> None:
        self.code = code
        self.severity = severity
        self.summary = summary
        self.doc = doc

    # 1xx: reading files
    YAML_SYNTAX = ("PC101", Severity.ERROR, "YAML could not be parsed.",
                   "The YAML text (a .yaml file, a front matter or a block body) is not well formed: "
                   "an unclosed quote, a bad indentation, a tab. The position is where the parser "
                   "gave up; the mistake is often just before it.")
    YAML_DUPLICATE_KEY = ("PC102", Severity.ERROR, "A YAML mapping repeats a key.",
                          "YAML would silently keep the last value. Remove or rename one of them.")
    YAML_IMPLICIT_BOOL = ("PC103", Severity.WARNING, "An unquoted yes/no/on/off.",
                          "YAML 1.1 tools (PyYAML's safe_load, Open edX itself) read yes, no, on, off, "
                          "y and n as booleans: `langues: [fr, no]` becomes `[fr, false]`. Parcours "
                          "reads them as text, as YAML 1.2 does, but other tools will not: quote the "
                          "value, or write true / false if a boolean is meant.")
    FRONT_MATTER = ("PC104", Severity.ERROR, "A front matter is not closed.",
                    "A lesson that starts with a `---` line must close its front matter with a "
                    "second `---` line.")
    UNREADABLE = ("PC105", Severity.ERROR, "A source file cannot be read, or is not UTF-8 text.",
                  "Save the file as UTF-8 (every editor can); the position is the first byte that is "
                  "not. A file the system refuses to read (permissions) is reported here too.")
    TOO_DEEP = ("PC106", Severity.ERROR, "A source nests too deeply to be read.",
                "YAML or Markdown nested hundreds of levels deep (brackets, lists, quotes) cannot be "
                "read; no course needs it. The position is where the nested text starts.")
    # 2xx: the shape of the sources
    SCHEMA = ("PC201", Severity.ERROR, "A value does not match the schema.",
              "Each YAML file and front matter is checked against its JSON Schema in schemas/. "
              "The message says which rule failed; the schema's description of the field says "
              "what is expected.")
    UNKNOWN_BLOCK = ("PC202", Severity.ERROR, "A `:::{name}` directive names no known block.",
                     "The directives are `problem` and the custom blocks installed in this "
                     "environment (entry points of the group `parcours.blocks`).")
    DIRECTIVE_SYNTAX = ("PC203", Severity.ERROR, "A `:::` directive is malformed.",
                        "A directive opens with `:::{name} id` on a line of its own, may continue "
                        "with `:option: value` lines and closes with a `:::` line.")
    PAGE_ID = ("PC204", Severity.ERROR, "A page heading has no id.",
               "Each level-2 heading starts a page (an Open edX unit) and must carry a stable id, "
               "`## Title {#my-id}`, so that retitling or moving it never renames the unit.")
    BAD_ID = ("PC205", Severity.ERROR, "An id uses characters Open edX does not accept.",
              "Ids become Open edX url_names: letters, digits, `-`, `_` and `.` only, starting with "
              "a letter or digit.")
    # 3xx: references between files
    DUPLICATE_ID = ("PC301", Severity.ERROR, "Two things share an id.",
                    "Open edX keys learner state by id (url_name); a duplicate would be renamed "
                    "with a hash on import and lose that state.")
    MISSING_FILE = ("PC302", Severity.ERROR, "A module or unit is listed but its file is missing.",
                    "course.yaml lists module folders and module.yaml lists unit files, relative "
                    "to the file that lists them.")
    MISSING_ASSET = ("PC303", Severity.ERROR, "An image or link target does not exist.",
                     "Relative links and images are resolved from the Markdown or YAML file that "
                     "contains them, and published under /static/.")
    ASSET_OUTSIDE = ("PC304", Severity.ERROR, "A path leaves the course folder.",
                     "A course is self-contained: every file it uses must sit inside its folder "
                     "so the package carries it.")
    BROKEN_REF = ("PC306", Severity.ERROR, "A block links to a module or unit the course lacks.",
                  "A custom block may point at course content by id (a self-assessment recommends "
                  "modules by their `id`). The id must be one of the course's: a module id, or a "
                  "qualified id such as `donnees.qualite`.")
    REMOTE_IMAGE = ("PC307", Severity.WARNING, "An image is not a file of the course.",
                    "An image given by a web address or an absolute path is not published with the "
                    "course: a SCORM or Common Cartridge package, which must work offline, shows "
                    "nothing, and the LMS shows it only while that site serves it. Copy the image "
                    "into the course folder (check its licence) and link it with a relative path.")
    UNUSED_FILE = ("PC305", Severity.WARNING, "A Markdown or YAML file is not listed anywhere.",
                   "The file sits in a module folder but no module.yaml lists it, so it is not "
                   "built. List it under `units:` or delete it.")
    # 4xx: grading and dates
    GRADER_TYPE = ("PC401", Severity.ERROR, "A graded unit's type is not in the grading policy.",
                   "`graded: <type>` must name one of `grading.graders[].type` in course.yaml, "
                   "otherwise Open edX silently leaves the unit out of the grade.")
    GRADER_WEIGHTS = ("PC402", Severity.ERROR, "The grader weights do not add up to 1.",
                      "The weights of `grading.graders` are shares of the final grade.")
    DATES = ("PC403", Severity.ERROR, "Dates are inconsistent.",
             "The course must end after it starts, and every due date must fall within the course.")
    GRADER_DROP = ("PC405", Severity.ERROR, "A grader drops every assignment it counts.",
                   "`drop_count` lowest scores are left out of `min_count` assignments: with as many "
                   "dropped as counted (or more), that share of the grade can only be zero.")
    UNGRADED_TYPE = ("PC404", Severity.WARNING, "A grader type is used by no unit.",
                     "A grader with `min_count` greater than 0 and no graded unit counts zeros "
                     "in every learner's grade.")
    # 5xx: learner state
    ID_REMOVED = ("PC501", Severity.WARNING, "An id of the previous build disappeared.",
                  "The previous build's ids.lock.json lists an id that no longer exists. If the "
                  "course already ran, learners' answers and progress keyed by it are orphaned. "
                  "Keep the id, or accept the loss and rebuild.")
    # 6xx: knowledge checks
    QUIZ_SYNTAX = ("PC601", Severity.ERROR, "A problem's text cannot be read.",
                   "Problems use the Open edX Markdown problem syntax inside a `:::{problem} id` "
                   "directive; see docs/ for each question type.")
    QUIZ_NO_CORRECT = ("PC602", Severity.ERROR, "A question has no correct answer.",
                       "Mark at least one choice as correct: `(x)` for single choice, `[x]` for "
                       "multiple choice, `(option)` inside `[[ ]]` for a dropdown, `= answer` for "
                       "text and numeric input.")
    QUIZ_SINGLE = ("PC603", Severity.ERROR, "A single-choice question has several correct answers.",
                   "Use `[x]` checkboxes for a question with several correct answers.")
    # 7xx: custom blocks
    BLOCK_INVALID = ("PC701", Severity.ERROR, "A custom block's data breaks one of its rules.",
                     "Besides its schema, each block checks its own rules (for example a case "
                     "study's branching graph: no dangling `next`, no unreachable step, no cycle "
                     "without an exit).")

    # 8xx: French typography (only in courses whose language is French; `parcours fix` applies them)
    TYPO_COLON = ("PC801", Severity.WARNING, "A colon lacks its no-break space.",
                  "French typography puts a space before the colon, and it must not break: with an "
                  "ordinary space the colon can start a line on its own, with no space it reads as "
                  "English. Write U+00A0 (no-break space) before `:` (U+202F is accepted too). Only "
                  "prose is checked: code, URLs, link targets, HTML, ids and dates are left alone.")
    TYPO_PUNCTUATION = ("PC802", Severity.WARNING, "An ordinary space before `;`, `!` or `?`.",
                        "An ordinary space lets `;`, `!` or `?` wrap to the next line alone. The "
                        "OQLF accepts a narrow no-break space (U+202F) or no space at all before "
                        "them; U+00A0 is accepted too. The fix writes U+202F.")
    TYPO_GUILLEMETS = ("PC803", Severity.WARNING, "Guillemets lack their no-break spaces.",
                       "The text inside « » is separated from the guillemets by no-break spaces "
                       "(U+00A0, or U+202F), never by an ordinary space or by nothing: `« texte »`. "
                       "A guillemet at the end or start of a source line is left alone.")
    TYPO_STRAIGHT_QUOTES = ("PC804", Severity.WARNING, "Straight double quotes in French text.",
                            "French text quotes with guillemets: `\"texte\"` becomes `« texte »` with "
                            "no-break spaces inside. Quotes in code, HTML attributes and link titles "
                            "are not checked.")
    TYPO_ELLIPSIS = ("PC805", Severity.WARNING, "Three dots instead of an ellipsis.",
                     "Write the ellipsis character `…` (U+2026), which keeps its dots together and "
                     "spaced as one sign.")
    # 9xx: accessibility of content (Markdown lessons; WCAG 2.1 success criteria in brackets)
    IMAGE_ALT = ("PC901", Severity.ERROR, "An image has no text alternative.",
                 "`![](image.png)` or an `<img>` without `alt` leaves screen-reader users with a file "
                 "name or nothing [1.1.1, level A], so it stops the build. Describe what the image "
                 "shows or teaches: `![Cycle de vie des données en quatre étapes](image.png)`. A "
                 "purely decorative image takes an explicit empty alternative: `<img src=\"…\" alt=\"\">`.")
    HEADING_LEVEL = ("PC902", Severity.WARNING, "A heading skips a level.",
                     "Screen-reader users navigate a page by its heading outline [1.3.1, 2.4.6]. Each "
                     "`## Title {#id}` starts a page (a level-2 heading), so the page's sections are "
                     "`###`, their subsections `####`, and so on without skipping a level; a level-1 "
                     "`#` inside a lesson would compete with the course title. A warning: the page "
                     "stays usable, but its outline is wrong.")
    LINK_TEXT = ("PC903", Severity.WARNING, "A link's text does not say where it goes.",
                 "Links are often read out of context, in a list of the page's links [2.4.4]. Texts "
                 "such as « ici », « cliquez ici », « lien », « en savoir plus », an address as text "
                 "or no text at all tell nothing: name the destination, `[la Loi 25 (LégisQuébec)]"
                 "(https://…)`. A warning, because the surrounding sentence sometimes gives the "
                 "context the criterion allows.")
    TABLE_HEADER = ("PC904", Severity.ERROR, "A table has no header row.",
                    "A data table needs header cells so that each value is announced with its column "
                    "[1.3.1, level A]. A Markdown table whose first row is empty (written only to get "
                    "a table without headers), or an HTML `<table>` without `<th>`, stops the build: "
                    "give each column a name.")

    @classmethod
    def lookup(cls, code: str) -> Code | None:
        return next((member for member in cls if member.code == code.upper()), None)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: Code
    message: str
    span: Span | None = None
    hint: str | None = None
    related: tuple[Span, ...] = ()
    severity: Severity | None = None  # None: the code's own severity

    @property
    def level(self) -> Severity:
        return self.code.severity if self.severity is None else self.severity

    def sort_key(self) -> tuple:
        span = self.span or Span(Path(""), 0, 0)
        return (str(span.file), span.line, span.column, self.code.code, self.message)


@dataclass
class Reporter:
    """Collects diagnostics; `ignore` silences codes, `strict` turns warnings into failures."""

    ignore: frozenset[str] = frozenset()
    strict: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def emit(self, diagnostic: Diagnostic) -> None:
        if diagnostic.code.code not in self.ignore:
            self.diagnostics.append(diagnostic)

    def error(self, code: Code, message: str, span: Span | None = None, hint: str | None = None,
              related: Iterable[Span] = ()) -> None:
        self.emit(Diagnostic(code, message, span, hint, tuple(related)))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.emit(diagnostic)

    def counts(self) -> Counter[Severity]:
        return Counter(d.level for d in self.diagnostics)

    @property
    def failed(self) -> bool:
        counts = self.counts()
        return counts[Severity.ERROR] > 0 or (self.strict and counts[Severity.WARNING] > 0)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=Diagnostic.sort_key)


def format_text(diagnostic: Diagnostic, sources: dict[Path, str] | None = None, root: Path | None = None) -> str:
    """`path:line:col: error[PC201]: message`, the source line with a caret, then the hint."""
    where = f"{diagnostic.span.display(root)}: " if diagnostic.span else ""
    lines = [f"{where}{diagnostic.level.label}[{diagnostic.code.code}]: {diagnostic.message}"]
    excerpt = _excerpt(diagnostic.span, sources or {})
    if excerpt:
        lines.extend(excerpt)
    lines.extend(f"  = note: first here: {span.display(root)}" for span in diagnostic.related)
    if diagnostic.hint:
        lines.append(f"  = hint: {diagnostic.hint}")
    return "\n".join(lines)


def _excerpt(span: Span | None, sources: dict[Path, str]) -> list[str]:
    text = sources.get(span.file) if span else None
    if text is None:
        return []
    source_lines = text.split("\n")
    if not 0 < span.line <= len(source_lines):
        return []
    gutter = str(span.line)
    return [f"  {gutter} | {source_lines[span.line - 1]}",
            f"  {' ' * len(gutter)} | {' ' * (span.column - 1)}^"]


def format_json(diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    return json.dumps({
        "code": diagnostic.code.code,
        "severity": diagnostic.level.label,
        "file": display_path(span.file) if span else None,
        "line": span.line if span else None,
        "column": span.column if span else None,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }, ensure_ascii=False, sort_keys=True)


def format_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, shown as an annotation on the pull request."""
    command = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(diagnostic.level, "notice")
    span = diagnostic.span
    properties = [f"file={display_path(span.file)}", f"line={span.line}", f"col={span.column}"] if span else []
    properties.append(f"title={diagnostic.code.code}")
    text = diagnostic.message + (f" — {diagnostic.hint}" if diagnostic.hint else "")
    return (f"::{command} " + ",".join(_github_escape(p, property=True) for p in properties)
            + f"::[{diagnostic.code.code}] {_github_escape(text)}")


def _github_escape(text: str, *, property: bool = False) -> str:
    """GitHub's escaping of workflow commands; in a property value, also `:` and `,` (not in `key=`)."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property:
        key, _, value = escaped.partition("=")
        return f"{key}={value.replace(':', '%3A').replace(',', '%2C')}"
    return escaped


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}


def summary(reporter: Reporter) -> str:
    counts = reporter.counts()
    return f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s)"


def codes_markdown() -> str:
    """docs/diagnostics.md, generated from the codes themselves so the two never disagree."""
    lines = ["# Codes de diagnostic / Diagnostic codes", "",
             "Généré par `make docs` à partir de `parcours/diagnostics.py`; `parcours explain CODE` "
             "affiche la même chose. / Generated by `make docs`; `parcours explain CODE` prints the same.", ""]
    for code in Code:
        lines += [f"## {code.code} — {code.summary}", "", f"*{code.severity.label}* · `{code.name}`", "",
                  code.doc, ""]
    return "\n".join(lines)
