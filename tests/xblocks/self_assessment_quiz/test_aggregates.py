"""Anonymous class results: one count per learner, CSV without identities or formulas."""
import csv
import io

from self_assessment_quiz import aggregates
from self_assessment_quiz.scoring import normalize_answers, score

from .helpers import correct_answers, wrong_answers


def _part(quiz, answers):
    answers = normalize_answers(quiz, answers)
    return aggregates.contribution(quiz, answers, score(quiz, answers))


def identity(text):
    return text


def test_two_learners_are_counted_with_means_and_bands(quiz_data):
    totals = aggregates.add(aggregates.add({}, _part(quiz_data, correct_answers(quiz_data))),
                            _part(quiz_data, wrong_answers(quiz_data)))
    table = aggregates.summary(quiz_data, totals, identity)
    assert table["learners"] == 2
    assert {row["id"]: row["mean"] for row in table["dimensions"]} == {
        "comprendre": 50.0, "donnees": 50.0, "gouvernance": 50.0}
    usage = {(row["id"], row["item_id"]): row["count"] for row in table["choices"]}
    assert usage[("q-usage", "a")] == 1 and usage[("q-usage", "b")] == 1 and usage[("q-usage", "c")] == 0
    assert usage[("q-donnees-pratique", "4")] == 1 and usage[("q-donnees-pratique", "1")] == 1
    bands = {(row["id"], row["item_label"]): row["count"] for row in table["bands"]}
    assert bands[("comprendre", "Acquis")] == 1 and bands[("comprendre", "À consolider")] == 1
    assert bands[("comprendre", "En progression")] == 0


def test_taking_a_contribution_back_out_restores_the_totals(quiz_data):
    first = aggregates.add({}, _part(quiz_data, correct_answers(quiz_data)))
    second = aggregates.add(first, _part(quiz_data, wrong_answers(quiz_data)))
    back = aggregates.add(second, _part(quiz_data, wrong_answers(quiz_data)), sign=-1)
    assert aggregates.summary(quiz_data, back, identity) == aggregates.summary(quiz_data, first, identity)


def test_add_does_not_mutate_its_input(quiz_data):
    totals = aggregates.add({}, _part(quiz_data, correct_answers(quiz_data)))
    snapshot = repr(totals)
    aggregates.add(totals, _part(quiz_data, wrong_answers(quiz_data)))
    assert repr(totals) == snapshot


def test_empty_results_have_no_mean(quiz_data):
    table = aggregates.summary(quiz_data, {}, identity)
    assert table["learners"] == 0 and all(row["mean"] is None for row in table["dimensions"])


def test_csv_has_a_header_every_row_and_no_formula_cells(quiz_data):
    quiz_data["questions"][1]["choices"][0]["text"] = "=HYPERLINK(\"http://x\")"
    totals = aggregates.add({}, _part(quiz_data, correct_answers(quiz_data)))
    rows = list(csv.reader(io.StringIO(aggregates.to_csv(aggregates.summary(quiz_data, totals, identity)))))
    assert rows[0] == aggregates.CSV_COLUMNS
    assert rows[1] == ["learners", "", "", "", "", "1", ""]
    assert ["choice", "q-usage", quiz_data["questions"][1]["prompt"], "a", "'=HYPERLINK(\"http://x\")", "1", ""] in rows
    assert ["dimension", "donnees", "Données et renseignements personnels", "", "", "1", "100.0"] in rows
    assert ["band", "comprendre", "Comprendre l’IA", "80-100", "Acquis", "1", ""] in rows
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
