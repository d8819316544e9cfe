"""The Studio editor's YAML: same format as a module file, refused whole when invalid."""
from self_assessment_quiz import authoring


def test_dump_then_parse_gives_back_the_data(quiz_data):
    data, problems = authoring.parse(authoring.dump(quiz_data))
    assert problems == [] and data == quiz_data


def test_a_block_copied_from_a_module_file_with_type_and_id_is_accepted(quiz_data):
    text = "type: self_assessment_quiz\nid: autodiag\n" + authoring.dump(quiz_data)
    data, problems = authoring.parse(text)
    assert problems == [] and data == quiz_data


def test_yaml_syntax_errors_name_the_line():
    data, problems = authoring.parse("title: Test\nquestions:\n  - id: q1\n    type: [single\n")
    assert data is None
    assert problems[0].message.startswith("YAML syntax")
    assert problems[0].line == 5


def test_validation_problems_name_the_location_and_the_yaml_line(quiz_data):
    quiz_data["questions"][1]["choices"][1]["correct"] = True
    text = authoring.dump(quiz_data)
    data, problems = authoring.parse(text)
    assert data is None
    problem = problems[0]
    assert problem.location == "questions[1].choices"
    assert "exactly one correct choice" in problem.message
    assert text.splitlines()[problem.line - 1].strip() == "choices:"


def test_a_problem_at_a_missing_key_points_at_its_parent(quiz_data):
    del quiz_data["questions"][0]["prompt"]
    text = authoring.dump(quiz_data)
    _, problems = authoring.parse(text)
    assert problems[0].location == "questions[0]"
    assert "- id: q-hallucination" in text.splitlines()[problems[0].line - 1]


def test_text_that_is_not_a_mapping_is_refused():
    assert authoring.parse("- un\n- deux\n")[1][0].message.startswith("the text must be a YAML mapping")


def test_oversized_text_is_refused_before_parsing():
    data, problems = authoring.parse("a" * (authoring.MAX_YAML_CHARS + 1))
    assert data is None and "longer than" in problems[0].message
