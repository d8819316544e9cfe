"""Properties: generated well-formed problems parse, lower and grade right in the CAPA engine;
no text whatsoever makes the parser raise, and whatever it accepts the engine builds."""
from __future__ import annotations

from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from parcours.quiz import parse_problem
from parcours.quiz.capa import to_capa
from tests.quiz.submissions import correct_submission, wrong_submission
from tests.support.capa import grade, load_problem

LESSON = Path("lesson.md")
# Letters whose case folding round-trips (not ß, µ, ...): text answers are matched ignoring case.
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèàçôÉÈÀ"
PROPERTY_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

words = st.text(alphabet=LETTERS, min_size=1, max_size=12)
phrases = st.lists(words, min_size=1, max_size=4).map(" ".join)
feedbacks = st.none() | phrases.map(lambda text: f" {{{{ {text} }}}}")


@st.composite
def single_choice(draw) -> tuple[str, str]:
    texts = draw(st.lists(phrases, min_size=2, max_size=5))
    right = draw(st.integers(0, len(texts) - 1))
    lines = [f"({'x' if i == right else ' '}) {text}{draw(feedbacks) or ''}" for i, text in enumerate(texts)]
    return "single", "\n".join(lines)


@st.composite
def multiple_choice(draw) -> tuple[str, str]:
    texts = draw(st.lists(phrases, min_size=1, max_size=5))
    correct = draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)).filter(any))
    lines = []
    for text, is_correct in zip(texts, correct, strict=True):
        parts = [f"{which}: {draw(phrases)} " for which in ("selected", "unselected") if draw(st.booleans())]
        hint = f" {{{{ {'}, {'.join(parts)}}}}}" if parts else ""
        lines.append(f"[{'x' if is_correct else ' '}] {text}{hint}")
    return "multiple", "\n".join(lines)


@st.composite
def dropdown(draw) -> tuple[str, str]:
    options = draw(st.lists(phrases, min_size=2, max_size=5, unique=True))
    right = draw(st.integers(0, len(options) - 1))
    marked = [f"({option})" if i == right else option for i, option in enumerate(options)]
    if draw(st.booleans()):
        return "dropdown", f"[[{', '.join(marked)}]]"
    return "dropdown", "\n".join(["[[", *(f"  {option}{draw(feedbacks) or ''}" for option in marked), "]]"])


@st.composite
def text_input(draw) -> tuple[str, str]:
    answers = draw(st.lists(phrases, min_size=1, max_size=3))
    lines = [f"= {answers[0]}{draw(feedbacks) or ''}", *(f"or= {answer}" for answer in answers[1:])]
    lines += [f"not= {draw(phrases)} {{{{ {draw(phrases)} }}}}" for _ in range(draw(st.integers(0, 2)))]
    return "text", "\n".join(lines)


numbers = st.builds(lambda whole, decimals: f"{whole}.{decimals}" if decimals else str(whole),
                    st.integers(-10**6, 10**6), st.none() | st.integers(0, 999))


@st.composite
def numeric_input(draw) -> tuple[str, str]:
    if draw(st.booleans()):
        low, high = sorted(draw(st.lists(st.integers(-1000, 1000), min_size=2, max_size=2, unique=True)))
        return "numeric", f"= {draw(st.sampled_from('[('))}{low}, {high}{draw(st.sampled_from('])'))}"
    tolerance = draw(st.sampled_from(["", " +- 0.5", " +- 2", " +- 5%"]))
    alternatives = [f"or= {number}" for number in draw(st.lists(numbers, max_size=2))]
    return "numeric", "\n".join([f"= {draw(numbers)}{tolerance}{draw(feedbacks) or ''}", *alternatives])


questions = st.one_of(single_choice(), multiple_choice(), dropdown(), text_input(), numeric_input())


@st.composite
def problems(draw) -> tuple[list[str], str]:
    parts = draw(st.lists(questions, min_size=1, max_size=3))
    sections = [f">>{draw(phrases)}{'||' + draw(phrases) if draw(st.booleans()) else ''}<<\n{answers}"
                for _, answers in parts]
    hints = [f"|| {hint} ||" for hint in draw(st.lists(phrases, max_size=2))]
    explanation = [f"[explanation]\n{text}\n[explanation]" for text in draw(st.lists(phrases, max_size=1))]
    return [kind for kind, _ in parts], "\n\n---\n\n".join(sections) + "\n\n" + "\n".join(hints + explanation)


def capa_xml(problem) -> str:
    return etree.tostring(to_capa(problem, markdown.markdown), encoding="unicode")


@PROPERTY_SETTINGS
@given(problems())
def test_well_formed_problems_parse_lower_and_grade_right(generated):
    kinds, body = generated
    problem, diagnostics = parse_problem(body, file=LESSON, first_line=7)
    assert diagnostics == []
    assert [question.kind for question in problem.questions] == kinds
    capa = load_problem(capa_xml(problem))
    assert grade(capa, [correct_submission(q) for q in problem.questions]) == ["correct"] * len(kinds)
    assert grade(capa, [wrong_submission(q) for q in problem.questions]) == ["incorrect"] * len(kinds)


SHAPES = [">>Question?<<", ">>", "<<", "||", "|| indice ||", "( ) a", "(x) b {{ c }}", "[x] d {{ s: e }}",
          "[ ]", "[[a, (b)]]", "[[", "]]", "(c)", "= 3.14 +- 0.1", "= [1, 2)", "or= x", "not= y {{ z }}",
          "= |a(", "[explanation]", "---", "{{", "}}", "'", ",", "", " "]
soup = st.lists(st.sampled_from(SHAPES) | st.text(max_size=12), max_size=12).map("\n".join)



@st.composite
def damaged_problems(draw) -> str:
    """A well-formed problem with a few characters inserted somewhere: the edge of the grammar."""
    _, body = draw(problems())
    at = draw(st.integers(0, len(body)))
    return body[:at] + draw(st.text(min_size=1, max_size=3)) + body[at:]


@PROPERTY_SETTINGS
@given(st.text() | soup | damaged_problems())
def test_any_text_gets_a_problem_or_diagnostics_inside_the_body_never_an_exception(body):
    problem, diagnostics = parse_problem(body, file=LESSON, first_line=7)
    assert (problem is None) == bool(diagnostics)
    line_count = body.count("\n") + 1
    for diagnostic in diagnostics:
        assert 7 <= diagnostic.span.line < 7 + line_count and diagnostic.span.column >= 1
    if problem is not None:
        assert load_problem(capa_xml(problem)).responders
