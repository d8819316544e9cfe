"""Knowledge checks: the Open edX problem Markdown, parsed into a typed tree and lowered per emitter.

`parse_problem` reads a `:::{problem}` body into a `Problem` (or diagnostics); `capa.to_capa` lowers
it to an Open edX CAPA `<problem>` element.
"""
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
from parcours.quiz.parser import parse_problem

__all__ = ["Answer", "Choice", "NumberAnswer", "Problem", "Question", "QuestionKind", "RangeAnswer", "Text",
           "TextAnswer", "parse_problem"]
