"""Reads the body of a `:::{problem}` directive (Open edX Studio problem Markdown) into a `Problem`.

Studio converts this syntax with regular expressions and silently turns whatever it does not
recognise into paragraphs. Here each line must have one of the known shapes, so a typo is reported
at its `file:line:col` instead of appearing in the course. Two passes:

1. `_Scanner` classifies lines into tokens (question text, choice, dropdown, answer, separator) and
   collects the problem-wide parts (demand hints, explanation).
2. `_build_question` turns each `---` section's tokens into one `Question` and checks it.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from parcours.diagnostics import Code, Diagnostic
from parcours.i18n import N_, _
from parcours.quiz.ast import (
    Answer,
    Choice,
    NumberAnswer,
    Problem,
    Question,
    QuestionKind,
    RangeAnswer,
    Text,
    TextAnswer,
)
from parcours.sources import Span


def line_shapes() -> str:
    return _("the lines of a problem are `>>question||description<<`, `( )`/`(x)` choices, "
             "`[ ]`/`[x]` checkboxes, a `[[a, (b), c]]` dropdown, `= answer`, `or= answer`, "
             "`not= answer {{ feedback }}`, `|| hint ||`, `[explanation]` and `---`")


_EXPLANATION_OPEN = re.compile(r"\[explanation\]", re.IGNORECASE)
_EXPLANATION_CLOSE = re.compile(r"\[/?explanation\]", re.IGNORECASE)
_RADIO = re.compile(r"\((?P<mark>[^()]{0,3})\)")
_CHECKBOX = re.compile(r"\[(?P<mark>[^\[\]]{0,3})\]")
_ANSWER = re.compile(r"(?P<operator>=|or=|not=)")
_SEPARATOR = re.compile(r"-{3,}")
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER_RE = re.compile(_NUMBER)
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_TOLERANCE = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")
_RANGE = re.compile(rf"(?P<open>[\[(])\s*(?P<low>{_NUMBER})\s*,\s*(?P<high>{_NUMBER})\s*(?P<close>[\])])")
_RANGE_SHAPE = re.compile(r"[\[(].*,.*[\])]")
# CAPA re-reads dropdown options from a quoted list and only keeps `'` between two ASCII letters.
_SAFE_APOSTROPHE = re.compile(r"(?<=[A-Za-z])'(?=[A-Za-z])")
# Everything outside XML 1.0's Char production (control characters, lone surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CHECKBOX_FEEDBACK_PART = re.compile(r"\s*(?P<which>selected|unselected|s|u)\s*:", re.IGNORECASE)
_CHECKBOX_FEEDBACK_SEPARATOR = re.compile(r"\}\s*,?\s*\{")
_COMMA = re.compile(",")


def parse_problem(body: str, *, file: Path, first_line: int) -> tuple[Problem | None, list[Diagnostic]]:
    """The problem written in `body`, whose first line is line `first_line` of `file`.

    Returns the problem and no diagnostic, or None and every error found (sorted by position).
    """
    scanner = _Scanner(_Source(body, file, first_line))
    scanner.scan()
    questions = []
    sections = _sections(scanner.tokens)
    for section in sections:
        question = _build_question(section, scanner.report)
        if question is not None:
            questions.append(question)
    start = scanner.source.span(0)
    if not sections:
        scanner.report(Code.QUIZ_SYNTAX, _("the problem has no question"), start,
                       _("write a question text `>>…<<` followed by its choices or answers"))
    diagnostics = sorted(scanner.diagnostics, key=Diagnostic.sort_key)
    if diagnostics:
        return None, diagnostics
    problem = Problem(questions=tuple(questions), span=start, hints=tuple(scanner.hints),
                      explanation=scanner.explanation)
    return problem, []


class _Source:
    """The body, its lines, and the way back from an offset in it to a place in the file."""

    def __init__(self, text: str, file: Path, first_line: int) -> None:
        self.text = text
        self.file = file
        self.first_line = first_line
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_index(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def line_bounds(self, index: int) -> tuple[int, int]:
        """Offsets of the first non-blank character of line `index` and of the end of its text."""
        start = self.line_starts[index]
        end = self.line_starts[index + 1] - 1 if index + 1 < self.line_count else len(self.text)
        line = self.text[start:end]
        return start + len(line) - len(line.lstrip()), start + len(line.rstrip())

    def span(self, offset: int) -> Span:
        index = self.line_index(offset)
        return Span(self.file, self.first_line + index, offset - self.line_starts[index] + 1)

    def text_at(self, start: int, end: int) -> Text:
        """The Markdown between two offsets, without surrounding blanks, placed at its first character."""
        raw = self.text[start:end]
        return Text(raw.strip(), self.span(start + len(raw) - len(raw.lstrip())))

    def segments(self, separator: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
        """The offsets of the pieces of `start:end` between matches of `separator`."""
        matches = list(separator.finditer(self.text, start, end))
        starts = [start] + [match.end() for match in matches]
        ends = [match.start() for match in matches] + [end]
        return list(zip(starts, ends, strict=True))


def _part(text: Text, start: int, end: int | None = None) -> Text:
    """`text.markdown[start:end]` without surrounding blanks; `text` must hold on one line."""
    raw = text.markdown[start:end]
    return Text(raw.strip(), text.span.shifted(columns=start + len(raw) - len(raw.lstrip())))


# Tokens: one per line shape (the multi-line forms included), in source order.
@dataclass(frozen=True, slots=True)
class _QuestionText:
    label: Text
    description: Text | None
    span: Span


@dataclass(frozen=True, slots=True)
class _ChoiceLine:
    kind: QuestionKind  # "single" or "multiple"
    choice: Choice

    @property
    def span(self) -> Span:
        return self.choice.span


@dataclass(frozen=True, slots=True)
class _Dropdown:
    choices: tuple[Choice, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class _AnswerLine:
    operator: str  # "=", "or=" or "not="
    value: Text
    feedback: Text | None
    span: Span


@dataclass(frozen=True, slots=True)
class _Separator:
    span: Span


@dataclass(frozen=True, slots=True)
class _Invalid:
    """A line already reported; its question is not checked further, since any check would guess."""

    span: Span


_Token = _QuestionText | _ChoiceLine | _Dropdown | _AnswerLine | _Separator | _Invalid


@dataclass
class _Scanner:
    source: _Source
    tokens: list[_Token] = field(default_factory=list)
    hints: list[Text] = field(default_factory=list)
    explanation: Text | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, code: Code, message: str, span: Span, hint: str | None = None,
               related: tuple[Span, ...] = ()) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, hint, related))

    def error(self, message: str, offset: int, hint: str | None = None) -> None:
        self.report(Code.QUIZ_SYNTAX, message, self.source.span(offset), hint)

    def reject(self, message: str, span: Span, hint: str | None = None,
               related: tuple[Span, ...] = ()) -> None:
        """Reports a broken line of a question and leaves a mark in its place."""
        self.report(Code.QUIZ_SYNTAX, message, span, hint, related)
        self.tokens.append(_Invalid(span))

    # Lines -------------------------------------------------------------------------------------
    def scan(self) -> None:
        for match in _NOT_XML.finditer(self.source.text):
            self.error(_("the character U+{codepoint:04X} cannot be written in Open edX XML").format(
                           codepoint=ord(match[0])), match.start(),
                       _("delete it; invisible control characters often come with text pasted from elsewhere"))
        index = 0
        while index < self.source.line_count:
            index = self._scan_line(index)

    def _scan_line(self, index: int) -> int:
        """Reads the construct starting on line `index`; returns the index of the next unread line."""
        start, end = self.source.line_bounds(index)
        line = self.source.text[start:end]
        if not line:
            return index + 1
        if _EXPLANATION_OPEN.fullmatch(line):
            return self._explanation(index)
        if line.startswith(">>"):
            return self._question_text(index, start)
        if line.startswith("[["):
            return self._dropdown(index, start, end)
        if line.startswith("||"):
            self._demand_hint(start, end)
        elif match := _RADIO.match(line):
            self._choice("single", match, start, end)
        elif match := _CHECKBOX.match(line):
            self._choice("multiple", match, start, end)
        elif match := _ANSWER.match(line):
            self._answer(match, start, end)
        elif _SEPARATOR.fullmatch(line):
            self.tokens.append(_Separator(self.source.span(start)))
        else:
            self.reject(_("this line is not part of the problem syntax"), self.source.span(start), line_shapes())
        return index + 1

    def _explanation(self, index: int) -> int:
        opening = self.source.line_bounds(index)[0]
        for closing_index in range(index + 1, self.source.line_count):
            start, end = self.source.line_bounds(closing_index)
            if _EXPLANATION_CLOSE.fullmatch(self.source.text[start:end]):
                content_end = self.source.line_starts[closing_index] - 1
                self._keep_explanation(opening, self.source.text_at(self.source.line_starts[index + 1], content_end))
                return closing_index + 1
        self.error(_("`[explanation]` is never closed"), opening,
                   _("end the explanation with a line `[explanation]`"))
        return self.source.line_count

    def _keep_explanation(self, opening: int, text: Text) -> None:
        if not text.markdown:
            self.error(_("the explanation is empty"), opening)
        elif self.explanation is not None:
            self.report(Code.QUIZ_SYNTAX, _("a problem has a single explanation"), self.source.span(opening),
                        _("merge the two `[explanation]` blocks"), (self.explanation.span,))
        else:
            self.explanation = text

    def _question_text(self, index: int, start: int) -> int:
        text = self.source.text
        closing = text.find("<<", start + 2)
        next_question = text.find(">>", start + 2)
        if closing < 0 or 0 <= next_question < closing:
            self.error(_("the question text `>>` is never closed with `<<`"), start,
                       _("write the question as `>>question||optional description<<`"))
            return index + 1
        closing_index = self.source.line_index(closing)
        line_end = self.source.line_bounds(closing_index)[1]
        if line_end > closing + 2:
            self.error(_("text after `<<`"), closing + 2, _("put it inside the `>>…<<` description"))
        self._keep_question_text(start, closing)
        return closing_index + 1

    def _keep_question_text(self, start: int, closing: int) -> None:
        bar = self.source.text.find("||", start + 2, closing)
        label_end = closing if bar < 0 else bar
        label = self.source.text_at(start + 2, label_end)
        description = None if bar < 0 else self.source.text_at(bar + 2, closing)
        if not label.markdown:
            self.error(_("the question text is empty"), start, _("write the question between `>>` and `<<`"))
        self.tokens.append(_QuestionText(label, description if description and description.markdown else None,
                                         self.source.span(start)))

    def _demand_hint(self, start: int, end: int) -> None:
        if end - start < 4 or not self.source.text.endswith("||", 0, end):
            self.error(_("a hint `||` is not closed on its line"), start, _("write a hint as `|| hint ||`"))
            return
        hint = self.source.text_at(start + 2, end - 2)
        if not hint.markdown:
            self.error(_("the hint is empty"), start)
        else:
            self.hints.append(hint)

    # Choices -----------------------------------------------------------------------------------
    def _choice(self, kind: QuestionKind, marker: re.Match[str], start: int, end: int) -> None:
        mark = marker["mark"].strip().lower()
        if mark not in ("", "x"):
            hint = _("mark a choice ( ) or (x)") if kind == "single" else _("mark a choice [ ] or [x]")
            self.reject(_("unknown choice marker `{marker}`").format(marker=marker[0]), self.source.span(start), hint)
            return
        parts = self._split_feedback(start + marker.end(), end)
        if parts is None:
            return
        text, feedback = parts
        if not text.markdown:
            self.reject(_("the choice has no text"), self.source.span(start))
            return
        span = self.source.span(start)
        if kind == "single" or feedback is None:
            choice = Choice(text, mark == "x", span, self._text(feedback))
        else:
            selected = self._checkbox_feedback(*feedback)
            if selected is None:
                return
            choice = Choice(text, mark == "x", span, *selected)
        self.tokens.append(_ChoiceLine(kind, choice))

    def _split_feedback(self, start: int, end: int) -> tuple[Text, tuple[int, int] | None] | None:
        """The text before `{{ … }}` and the offsets of what the braces hold; None after an error."""
        text = self.source.text
        opening = text.find("{{", start, end)
        if opening < 0:
            return self.source.text_at(start, end), None
        closing = text.find("}}", opening + 2, end)
        if closing < 0:
            self.reject(_("`{{` without `}}`"), self.source.span(opening),
                        _("close the feedback on the same line: `{{ feedback }}`"))
            return None
        if text[closing + 2:end].strip():
            self.reject(_("text after the feedback `}}`"), self.source.span(closing + 2),
                        _("the feedback `{{ … }}` ends the line"))
            return None
        return self.source.text_at(start, opening), (opening + 2, closing)

    def _text(self, bounds: tuple[int, int] | None) -> Text | None:
        """The feedback between `bounds`; an empty `{{ }}` is reported."""
        if bounds is None:
            return None
        text = self.source.text_at(*bounds)
        if not text.markdown:
            self.error(_("the feedback `{{ }}` is empty"), bounds[0] - 2)
        return text

    def _checkbox_feedback(self, start: int, end: int) -> tuple[Text | None, Text | None] | None:
        """`selected: …}, {unselected: …`, the Studio form of checkbox feedback, in either order."""
        found: dict[str, Text | None] = {}
        for part_start, part_end in self.source.segments(_CHECKBOX_FEEDBACK_SEPARATOR, start, end):
            match = _CHECKBOX_FEEDBACK_PART.match(self.source.text, part_start, part_end)
            which = match and ("selected" if match["which"].lower() in ("s", "selected") else "unselected")
            if not match or which in found:
                self.reject(_("checkbox feedback must say when it shows"), self.source.span(part_start),
                            _("write `{{ selected: … }, { unselected: … }}` (either part may be left out)"))
                return None
            found[which] = self._text((match.end(), part_end))
        return found.get("selected"), found.get("unselected")

    def _dropdown(self, index: int, start: int, end: int) -> int:
        line = self.source.text[start:end]
        if line == "[[":
            return self._multiline_dropdown(index, start)
        if not line.endswith("]]") or len(line) < 5:
            self.reject(_("a dropdown is not closed on its line"), self.source.span(start),
                        _("write `[[a, (b), c]]` on one line, or `[[` alone on a line, "
                          "one option per line, then `]]`"))
        else:
            self._one_line_dropdown(start, end)
        return index + 1

    def _one_line_dropdown(self, start: int, end: int) -> None:
        inner_start, inner_end = start + 2, end - 2
        if self.source.text.find("{{", inner_start, inner_end) >= 0:
            self.reject(_("feedback needs the multi-line dropdown"), self.source.span(start),
                        _("write `[[` alone on a line, then one `option {{ feedback }}` per line, then `]]`"))
            return
        options = [self._option(self.source.text_at(*bounds), None)
                   for bounds in self.source.segments(_COMMA, inner_start, inner_end)]
        self._keep_dropdown(options, start)

    def _multiline_dropdown(self, index: int, start: int) -> int:
        options: list[Choice | None] = []
        line_index = index + 1
        while line_index < self.source.line_count:
            line_start, line_end = self.source.line_bounds(line_index)
            line = self.source.text[line_start:line_end]
            if line == "]]":
                self._keep_dropdown(options, start)
                return line_index + 1
            if _SEPARATOR.fullmatch(line) or line.startswith(">>"):
                break  # the next question: the author forgot `]]`
            if line:
                parts = self._split_feedback(line_start, line_end)
                options.append(parts and self._option(parts[0], self._text(parts[1])))
            line_index += 1
        self.reject(_("the dropdown `[[` is never closed"), self.source.span(start),
                    _("end the options with a line `]]`"))
        return line_index

    def _option(self, text: Text, feedback: Text | None) -> Choice | None:
        """A dropdown option; `(text)` marks the correct one. None (and an error) when unusable."""
        correct = len(text.markdown) > 2 and text.markdown[0] == "(" and text.markdown[-1] == ")"
        if correct:
            text = _part(text, 1, -1)
        if not text.markdown:
            self.reject(_("a dropdown option is empty"), text.span)
            return None
        cut = next((index for index, character in enumerate(text.markdown)
                    if character == "'" and not _SAFE_APOSTROPHE.match(text.markdown, index)), None)
        if cut is not None:
            self.reject(_("Open edX cuts a dropdown option at this `'`"), text.span.shifted(columns=cut),
                        _("write the typographic apostrophe ’ instead"))
            return None
        return Choice(text, correct, text.span, feedback)

    def _keep_dropdown(self, options: list[Choice | None], start: int) -> None:
        if None in options:
            return
        seen: dict[str, Span] = {}
        for option in options:
            if option.text.markdown in seen:
                self.reject(_("the dropdown repeats the option `{option}`").format(option=option.text.markdown),
                            option.span, _("each option must be different"), (seen[option.text.markdown],))
                return
            seen[option.text.markdown] = option.span
        self.tokens.append(_Dropdown(tuple(options), self.source.span(start)))

    # Answers -----------------------------------------------------------------------------------
    def _answer(self, operator: re.Match[str], start: int, end: int) -> None:
        parts = self._split_feedback(start + operator.end(), end)
        if parts is None:
            return
        value, feedback = parts
        if not value.markdown:
            self.reject(_("`{operator}` has no answer").format(operator=operator["operator"]), self.source.span(start))
            return
        self.tokens.append(_AnswerLine(operator["operator"], value, self._text(feedback),
                                       self.source.span(start)))


def _sections(tokens: list[_Token]) -> list[list[_Token]]:
    """The tokens between `---` lines, without the empty sections."""
    sections: list[list[_Token]] = [[]]
    for token in tokens:
        if isinstance(token, _Separator):
            sections.append([])
        else:
            sections[-1].append(token)
    return [section for section in sections if section]


# Questions -------------------------------------------------------------------------------------
_Report = Callable[..., None]  # _Scanner.report


def _build_question(section: list[_Token], report: _Report) -> Question | None:
    if any(isinstance(token, _Invalid) for token in section):
        return None
    texts = [token for token in section if isinstance(token, _QuestionText)]
    answers = [token for token in section if not isinstance(token, _QuestionText)]
    if len(texts) > 1:
        report(Code.QUIZ_SYNTAX, _("a second question text in the same question"), texts[1].span,
               _("separate questions with a `---` line"), (texts[0].span,))
        return None
    if not answers:
        report(Code.QUIZ_SYNTAX, _("this question has no choices or answers"), texts[0].span, line_shapes())
        return None
    if not _check_one_shape(answers, report):
        return None
    question_text = texts[0] if texts else _missing_question_text(answers[0].span, report)
    builder = {"single": _choice_question, "multiple": _choice_question,
               "dropdown": _dropdown_question, "answer": _answer_question}[_shape(answers[0])]
    return builder(question_text, answers, report)


def _missing_question_text(span: Span, report: _Report) -> _QuestionText:
    """Reports the missing text and stands in for it, so the answers are still checked."""
    report(Code.QUIZ_SYNTAX, _("this question has no question text"), span,
           _("write `>>question<<` before its choices or answers"))
    return _QuestionText(Text("", span), None, span)


_SHAPE_NAMES = {"single": N_("`( )` choices"), "multiple": N_("`[ ]` checkboxes"), "dropdown": N_("a dropdown"),
                "answer": N_("`=` answers")}


def _shape(token: _Token) -> str:
    if isinstance(token, _ChoiceLine):
        return token.kind
    return "dropdown" if isinstance(token, _Dropdown) else "answer"


def _check_one_shape(answers: list[_Token], report: _Report) -> bool:
    """A question is answered one way: choices, checkboxes, one dropdown, or `=` lines."""
    shape = _shape(answers[0])
    for token in answers[1:]:
        if _shape(token) != shape or shape == "dropdown":
            other = _("another dropdown") if shape == "dropdown" else _(_SHAPE_NAMES[_shape(token)])
            message = _("this question mixes {shape} with {other}").format(shape=_(_SHAPE_NAMES[shape]), other=other)
            report(Code.QUIZ_SYNTAX, message, token.span,
                   _("a question is answered one way; separate questions with a `---` line"))
            return False
    return True


def _question(kind: QuestionKind, question_text: _QuestionText, **fields: object) -> Question:
    return Question(kind, question_text.label, question_text.span, question_text.description, **fields)


def _choice_question(question_text: _QuestionText, lines: list[_ChoiceLine],
                     report: _Report) -> Question | None:
    choices = tuple(line.choice for line in lines)
    kind = lines[0].kind
    if not _check_correct_count(choices, kind == "single", question_text.span, report):
        return None
    return _question(kind, question_text, choices=choices)


def _dropdown_question(question_text: _QuestionText, dropdowns: list[_Dropdown],
                       report: _Report) -> Question | None:
    choices = dropdowns[0].choices
    if not _check_correct_count(choices, True, question_text.span, report):
        return None
    return _question("dropdown", question_text, choices=choices)


def _check_correct_count(choices: tuple[Choice, ...], single: bool, question: Span, report: _Report) -> bool:
    correct = [choice for choice in choices if choice.correct]
    if not correct:
        report(Code.QUIZ_NO_CORRECT, _("no choice is marked correct"), question,
               _("mark the right choice `(x)`, `[x]`, or `(option)` in a dropdown"))
        return False
    if single and len(correct) > 1:
        report(Code.QUIZ_SINGLE, _("this question takes one answer but several are marked correct"),
               correct[1].span, _("keep one correct choice, or use `[ ]`/`[x]` checkboxes"), (correct[0].span,))
        return False
    return True


def _answer_question(question_text: _QuestionText, lines: list[_AnswerLine],
                     report: _Report) -> Question | None:
    main = [line for line in lines if line.operator == "="]
    if not main:
        report(Code.QUIZ_NO_CORRECT, _("this question has no `=` answer"), question_text.span,
               _("write the expected answer on a line `= answer`; `or=` adds alternatives"))
        return None
    if len(main) > 1:
        report(Code.QUIZ_SYNTAX, _("a second `=` answer"), main[1].span,
               _("alternatives to the first answer are written `or= answer`"), (main[0].span,))
        return None
    alternatives = [line for line in lines if line.operator == "or="]
    wrong = [line for line in lines if line.operator == "not="]
    build = _numeric_question if _looks_numeric(main[0].value.markdown) else _text_question
    return build(question_text, main[0], alternatives, wrong, report)


def _looks_numeric(value: str) -> bool:
    """Whether the author means a number: Studio's test, plus a decimal comma (reported later)."""
    return bool("+-" in value or _RANGE_SHAPE.fullmatch(value) or _NUMBER_RE.fullmatch(value)
                or _DECIMAL_COMMA.fullmatch(value))


def _text_question(question_text: _QuestionText, main: _AnswerLine, alternatives: list[_AnswerLine],
                   wrong: list[_AnswerLine], report: _Report) -> Question | None:
    regexp = main.value.markdown.startswith("|")
    first = _part(main.value, 1) if regexp else main.value
    answers = [TextAnswer(first.markdown, first.span, main.feedback)]
    answers += [TextAnswer(line.value.markdown, line.value.span, line.feedback) for line in alternatives]
    checks = [_check_regexp(answer, report) for answer in answers] if regexp else []
    for line in wrong:
        if line.feedback is None:
            report(Code.QUIZ_SYNTAX, _("`not=` without feedback"), line.span,
                   _("`not=` exists to answer a common mistake: `not= answer {{ feedback }}`"))
            checks.append(False)
    if not all(checks):
        return None
    wrong_answers = tuple(TextAnswer(line.value.markdown, line.value.span, line.feedback) for line in wrong)
    return _question("text", question_text, answers=tuple(answers), wrong_answers=wrong_answers,
                     regexp=regexp)


def _check_regexp(answer: TextAnswer, report: _Report) -> bool:
    hint = _("a `= |…` answer is a regular expression; escape `( ) [ ] . * + ?` with `\\`")
    if not answer.value.strip():
        report(Code.QUIZ_SYNTAX, _("empty regular expression: Open edX refuses a problem without an answer"),
               answer.span, _("write after `= |` the pattern that right answers match"))
        return False
    try:
        re.compile(answer.value)
    except re.error as error:
        report(Code.QUIZ_SYNTAX, _("invalid regular expression: {error}").format(error=error.msg), answer.span, hint)
        return False
    except OverflowError:  # a repetition count beyond what `re` can count, `a{99999999999}`
        report(Code.QUIZ_SYNTAX, _("invalid regular expression: a repetition count is too large"), answer.span, hint)
        return False
    except RecursionError:  # hundreds of nested groups
        report(Code.TOO_DEEP, _("this regular expression nests too deeply to be read"), answer.span,
               _("flatten the structure: a course source never needs hundreds of nested levels"))
        return False
    return True


def _numeric_question(question_text: _QuestionText, main: _AnswerLine, alternatives: list[_AnswerLine],
                      wrong: list[_AnswerLine], report: _Report) -> Question | None:
    for line in wrong:
        report(Code.QUIZ_SYNTAX, _("`not=` in a numeric question"), line.span,
               _("`not=` gives feedback on a text answer; numeric answers are graded by value"))
    first, tolerance = _main_number(main, report)
    others = [_alternative_number(line, report) for line in alternatives]
    if first is None or wrong or None in others:
        return None
    if isinstance(first, RangeAnswer) and alternatives:
        report(Code.QUIZ_SYNTAX, _("a range answer cannot have `or=` alternatives"), alternatives[0].span,
               _("widen the range instead"))
        return None
    return _question("numeric", question_text, answers=(first, *others), tolerance=tolerance)


def _main_number(line: _AnswerLine, report: _Report) -> tuple[Answer | None, str | None]:
    """`= 3.14`, `= 3.14 +- 0.01`, `= 10 +- 5%` or `= [3.1, 3.2]`, and the tolerance."""
    value = line.value
    if _RANGE_SHAPE.fullmatch(value.markdown):
        return _range(line, report), None
    if "+-" not in value.markdown:
        return _number(value, line.feedback, report), None
    operator = value.markdown.index("+-")
    number = _number(_part(value, 0, operator), line.feedback, report)
    tolerance = _part(value, operator + 2)
    if not _TOLERANCE.fullmatch(tolerance.markdown) or not _finite(tolerance.markdown.rstrip("%")):
        message = (_("the tolerance `{tolerance}` is negative") if tolerance.markdown.startswith("-")
                   else _("the tolerance `{tolerance}` is not a number"))
        report(Code.QUIZ_SYNTAX, message.format(tolerance=tolerance.markdown), tolerance.span,
               _("write `+- 0.01` for an absolute tolerance or `+- 5%` for a relative one"))
        return None, None
    return number, tolerance.markdown


def _finite(number: str) -> bool:
    """`1e999` matches the number syntax but is infinite, which CAPA cannot compare with."""
    return math.isfinite(float(number))


def _range(line: _AnswerLine, report: _Report) -> RangeAnswer | None:
    match = _RANGE.fullmatch(line.value.markdown)
    if match is None:
        report(Code.QUIZ_SYNTAX, _("a range is two numbers in brackets"), line.value.span,
               _("write `= [low, high]`; `(` or `)` leaves that end out"))
        return None
    if not (_finite(match["low"]) and _finite(match["high"])):
        report(Code.QUIZ_SYNTAX, _("a range end is too large to be a number"), line.value.span,
               _("write `= [low, high]` with numbers a learner can type"))
        return None
    if float(match["low"]) >= float(match["high"]):
        report(Code.QUIZ_SYNTAX, _("the range is empty: its low end is not below its high end"), line.value.span,
               _("write `= [low, high]`"))
        return None
    return RangeAnswer(match["low"], match["high"], match["open"] == "[", match["close"] == "]",
                       line.value.span, line.feedback)


def _alternative_number(line: _AnswerLine, report: _Report) -> NumberAnswer | None:
    if "+-" in line.value.markdown or _RANGE_SHAPE.fullmatch(line.value.markdown):
        report(Code.QUIZ_SYNTAX, _("an `or=` alternative is a single number"), line.value.span,
               _("the first answer's tolerance applies to every alternative"))
        return None
    return _number(line.value, line.feedback, report)


def _number(value: Text, feedback: Text | None, report: _Report) -> NumberAnswer | None:
    if _NUMBER_RE.fullmatch(value.markdown) and _finite(value.markdown):
        return NumberAnswer(value.markdown, value.span, feedback)
    if _NUMBER_RE.fullmatch(value.markdown):
        report(Code.QUIZ_SYNTAX, _("`{value}` is too large to be a number").format(value=value.markdown), value.span,
               _("write the number the learner is expected to type"))
        return None
    if _DECIMAL_COMMA.fullmatch(value.markdown):
        report(Code.QUIZ_SYNTAX, _("`{value}` uses a decimal comma").format(value=value.markdown), value.span,
               _("numeric answers use a decimal point: `{number}`; to accept the text as written, make it a text "
                 "answer `= |` with a regular expression").format(number=value.markdown.replace(",", ".")))
    else:
        report(Code.QUIZ_SYNTAX, _("`{value}` is not a number").format(value=value.markdown), value.span,
               _("a numeric question takes numbers such as `3.14`, `-2`, `1.5e3`"))
    return None
