"""Property: from_element(to_element(data)) == data for any data of the schema's shape.

Hypothesis is a dev dependency of the 3.12 environment; the 3.11 run skips this module without it.
"""
import pytest

pytest.importorskip("hypothesis")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from municipal_case_study import codec  # noqa: E402

from .test_codec import reparsed  # noqa: E402

# XML 1.0 text: no surrogates, no control characters other than tab, line feed and carriage return.
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\t\n\r"), max_size=12)
IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,8}", fullmatch=True)
NUMBERS = st.integers(0, 100) | st.floats(0, 100, allow_nan=False, allow_infinity=False)
LISTS = {"max_size": 3}


def record(required, optional=None):
    return st.fixed_dictionaries(required, optional=optional or {})


LEVEL = record({"label": TEXT, "points": NUMBERS}, {"description": TEXT})
OPTION = record({"id": IDS, "label": TEXT, "consequence": TEXT},
                {"feedback": TEXT, "points": NUMBERS, "next": IDS})
STEP = st.one_of(
    record({"id": IDS, "type": st.just("decision"), "title": TEXT, "prompt": TEXT,
            "options": st.lists(OPTION, **LISTS)}, {"next": IDS}),
    record({"id": IDS, "type": st.just("reflection"), "title": TEXT, "prompt": TEXT,
            "max_length": st.integers(1, 10_000), "expert_analysis": TEXT},
           {"min_length": st.integers(0, 10_000), "next": IDS}),
    record({"id": IDS, "type": st.just("rubric"), "title": TEXT, "criteria": st.lists(record(
        {"id": IDS, "label": TEXT, "expected": TEXT, "levels": st.lists(LEVEL, **LISTS)},
        {"description": TEXT}), **LISTS)}, {"prompt": TEXT, "reflection": IDS, "next": IDS}),
    record({"id": IDS, "type": st.just("debrief"), "title": TEXT, "key_lessons": st.lists(TEXT, **LISTS)},
           {"body": TEXT}),
)
EXHIBIT = st.one_of(
    record({"kind": st.just("table"), "caption": TEXT, "header": st.lists(TEXT, **LISTS),
            "rows": st.lists(st.lists(TEXT | NUMBERS, **LISTS), **LISTS)}, {"note": TEXT}),
    record({"kind": st.just("figure"), "caption": TEXT, "image": TEXT, "alt": TEXT}, {"description": TEXT}),
    record({"kind": st.just("file"), "title": TEXT, "file": TEXT}, {"description": TEXT}),
)
REFERENCE = record({"title": TEXT, "url": TEXT, "consulted": TEXT}, {"publisher": TEXT, "note": TEXT})
CASE = record(
    {"title": TEXT,
     "municipality": record({"name": TEXT, "fictional": st.booleans(), "region": TEXT,
                             "population": st.integers(0, 10**8)},
                            {"services": st.lists(TEXT, **LISTS), "context": TEXT}),
     "steps": st.lists(STEP, max_size=4)},
    {"introduction": TEXT,
     "sections": st.lists(record({"title": TEXT, "body": TEXT}), **LISTS),
     "stakeholders": st.lists(record({"name": TEXT, "interests": st.lists(TEXT, **LISTS)}, {"role": TEXT}), **LISTS),
     "exhibits": st.lists(EXHIBIT, **LISTS),
     "sources": st.lists(REFERENCE, **LISTS),
     "further_reading": st.lists(REFERENCE, **LISTS),
     "settings": record({}, {"allow_reset": st.booleans(), "scoring": st.sampled_from(["none", "decisions"]),
                             "weight": NUMBERS}).filter(bool)},
)


@settings(max_examples=300, deadline=None)
@given(CASE)
def test_from_element_inverts_to_element_for_any_shaped_data(data):
    assert codec.from_element(reparsed(codec.to_element(data))) == data


