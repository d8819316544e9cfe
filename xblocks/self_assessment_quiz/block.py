"""The self-assessment quiz XBlock: fields, scoring, views, handlers.

Thin on purpose: OLX is `codec`, checks are `validation`, scoring is `scoring`, HTML is
`rendering`/`feedback`, class results are `aggregates` (all pure and tested alone);
request checks are `endpoints`, sentences outside templates `messages`.
"""
from __future__ import annotations

import logging
from html import escape as _escape
from importlib import resources
from string import Template

from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.fields import Dict, Float, Integer, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score

from . import aggregates, authoring, codec
from .defaults import DEFAULT_QUIZ, DEFAULT_TITLE
from .endpoints import HandlerError, json_endpoint, json_response
from .feedback import result_payload
from .i18n import LANGUAGES, language_or_default, translation
from .messages import ERROR_MESSAGES, _, studio_strings, ui_strings
from .rendering import dom_prefix, form_html, public_quiz, staff_html
from .scoring import AnswerError, normalize_answers, score

log = logging.getLogger(__name__)

EVENT_PREFIX = "parcours.self_assessment."
# Keys of the authored data kept in settings fields; everything else is `quiz` (content).
SETTINGS_KEYS = ("language", "weight", "max_attempts")


def _resource(path: str) -> str:
    return resources.files(__package__).joinpath(path).read_text(encoding="utf-8")


@XBlock.needs("i18n")  # ScorableXBlockMixin.rescore asks for it (the interface uses our catalogues)
@XBlock.wants("user", "replace_urls")
@XBlock.supports("multi_device")
class SelfAssessmentQuizBlock(ScorableXBlockMixin, XBlock):
    """Knowledge questions and self-ratings -> a profile per dimension with recommendations."""

    has_custom_completion = True
    completion_method = "completable"
    icon_class = "problem"

    display_name = String(display_name=_("Title"), default=DEFAULT_TITLE, scope=Scope.settings)
    language = String(display_name=_("Interface language"), default="", scope=Scope.settings,
                      values=["", *LANGUAGES], help=_("fr or en; empty: French."))
    weight = Float(display_name=_("Weight"), default=1.0, scope=Scope.settings,
                   help=_("Points of this block in the course grade."))
    max_attempts = Integer(display_name=_("Allowed attempts"), default=0, scope=Scope.settings,
                           help=_("0 means unlimited."))
    quiz = Dict(display_name=_("Quiz"), default=DEFAULT_QUIZ, scope=Scope.content,
                help=_("Intro, scale, dimensions and questions (see the JSON Schema)."))

    answers = Dict(default={}, scope=Scope.user_state, help="Last submitted answers, normalized.")
    attempts = Integer(default=0, scope=Scope.user_state)
    raw_earned = Float(default=None, scope=Scope.user_state)
    raw_possible = Float(default=None, scope=Scope.user_state)
    contribution = Dict(default={}, scope=Scope.user_state,
                        help="What this learner's last submission added to the class results.")
    class_results = Dict(default={}, scope=Scope.user_state_summary,
                         help="Anonymous aggregates (see aggregates.py).")

    # ----- authored data <-> fields ------------------------------------------------------

    def authored_data(self) -> dict:
        """The data an author writes (codec format), from the fields."""
        data = {"title": self.display_name}
        for key in SETTINGS_KEYS:
            if self.fields[key].is_set_on(self):
                data[key] = getattr(self, key)
        data.update(self.quiz)
        return data

    def apply_data(self, data: dict) -> None:
        """Set every field from valid data (unset settings go back to their defaults)."""
        self.display_name = data["title"]
        for key in SETTINGS_KEYS:
            if key in data:
                setattr(self, key, data[key])
            else:
                self.fields[key].delete_from(self)
        self.quiz = {key: value for key, value in data.items() if key != "title" and key not in SETTINGS_KEYS}

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        data = codec.from_element(node)
        problems = codec.validate(data)
        if problems:
            details = "; ".join(f"{'/'.join(map(str, p.path)) or '(root)'}: {p.message}" for p in problems[:10])
            raise ValueError(f"invalid {codec.TAG} OLX: {details}")
        block = runtime.construct_xblock_from_class(cls, keys)
        block.apply_data(data)
        return block

    def add_xml_to_node(self, node):
        element = codec.to_element(self.authored_data())
        node.tag = element.tag
        node.set("xblock-family", self.entry_point)
        for name, value in element.attrib.items():
            node.set(name, value)
        node.extend(list(element))

    # ----- scoring (ScorableXBlockMixin) -----------------------------------------------

    def max_score(self) -> float:
        knowledge = [q for q in self.quiz.get("questions", []) if q["type"] != "likert"]
        return float(sum(q.get("points", 1) for q in knowledge)) if knowledge else 1.0

    def has_submitted_answer(self) -> bool:
        return bool(self.answers)

    def get_score(self) -> Score:
        return Score(self.raw_earned or 0.0, self.raw_possible or self.max_score())

    def set_score(self, score_: Score) -> None:
        self.raw_earned, self.raw_possible = score_.raw_earned, score_.raw_possible

    def calculate_score(self) -> Score:
        result = score(self.quiz, normalize_answers(self.quiz, self.answers))
        return Score(result.raw_earned, result.raw_possible)

    def _publish_grade(self, score_, only_if_higher=None):
        if self._in_course():
            super()._publish_grade(score_, only_if_higher)

    def _in_course(self) -> bool:
        """Grades and completion only make sense in a course (not a v2 library, not the workbench)."""
        context = getattr(self.scope_ids.usage_id, "context_key", None)
        return bool(getattr(context, "is_course", False))

    def _attempts_left(self) -> bool:
        return self.max_attempts == 0 or self.attempts < self.max_attempts

    # ----- views -------------------------------------------------------------------------

    def student_view(self, context=None):
        _ = self._gettext
        prefix = dom_prefix(self.scope_ids.usage_id)
        public = public_quiz(self.quiz, self._expand_urls)
        html = Template(_resource("templates/student_view.html")).substitute(
            prefix=prefix,
            language=self._language(),
            title=_escape(self.display_name),
            intro=public["intro_html"],
            attempts=_escape(self._attempts_text()),
            form=form_html(public, prefix, _),
            submit_label=_escape(_("Submit")),
            retry_label=_escape(_("Try again")),
            result_title=_escape(_("Your profile")),
            staff=self._staff_panel(prefix) if self._is_staff() else "",
        )
        fragment = Fragment(html)
        fragment.add_css(_resource("static/css/self_assessment_quiz.css"))
        for script in ("quiz_ui.js", "lms_backend.js", "self_assessment_quiz.js"):
            fragment.add_javascript(_resource(f"static/js/{script}"))
        fragment.initialize_js("SelfAssessmentQuizBlock", {
            "prefix": prefix,
            "language": self._language(),
            "strings": ui_strings(self._gettext),
            "dimensions": public["dimensions"],
            "state": self._learner_state(),
        })
        return fragment

    def studio_view(self, context=None):
        _ = self._gettext
        prefix = dom_prefix(self.scope_ids.usage_id)
        html = Template(_resource("templates/studio_view.html")).substitute(
            prefix=prefix,
            language=self._language(),
            help=_escape(_("Edit the whole block as YAML, in the same format as a course module "
                           "(see the block's README). Invalid data is refused and nothing is saved.")),
            label=_escape(_("Self-assessment data (YAML)")),
            yaml=_escape(authoring.dump(self.authored_data())),
            save_label=_escape(_("Save")),
            cancel_label=_escape(_("Cancel")),
        )
        fragment = Fragment(html)
        fragment.add_css(_resource("static/css/self_assessment_quiz.css"))
        for script in ("lms_backend.js", "studio.js"):
            fragment.add_javascript(_resource(f"static/js/{script}"))
        fragment.initialize_js("SelfAssessmentQuizStudio", {"strings": studio_strings(self._gettext)})
        return fragment

    def student_view_data(self, context=None) -> dict:
        """For the mobile apps: the quiz without answers, feedback or bands."""
        return {
            "title": self.display_name,
            "language": self._language(),
            "weight": self.weight,
            "max_attempts": self.max_attempts,
            **public_quiz(self.quiz, self._expand_urls),
        }

    # ----- handlers ----------------------------------------------------------------------

    @XBlock.handler
    def student_view_user_state(self, request, suffix=""):
        """For the mobile apps: attempts and, once submitted, answers and result."""
        return json_response(self._learner_state())

    @json_endpoint
    def submit(self, payload: dict) -> dict:
        """{"answers": {question id: answer}} -> the result. Scores on the server only."""
        if set(payload) != {"answers"}:
            raise HandlerError(400, "invalid_payload")
        if not self._attempts_left():
            raise HandlerError(409, "no_attempts_left")
        try:
            answers = normalize_answers(self.quiz, payload["answers"])
        except AnswerError as error:
            raise HandlerError(400, error.code, question_id=error.question_id) from None
        result = score(self.quiz, answers)
        self._record_submission(answers, result)
        return self._learner_state()

    @json_endpoint
    def log_event(self, payload: dict) -> dict:
        """Allow-listed learner events; the server builds every payload itself."""
        action = payload.get("action")
        if action == "retry_started":
            self._check_can_retry(payload)
            self._publish_event("retry_started", {"attempts": self.attempts, "max_attempts": self.max_attempts})
        elif action == "recommendation_opened":
            self._publish_event("recommendation_opened", self._opened_recommendation(payload))
        else:
            raise HandlerError(400, "unknown_action")
        return {"ok": True}

    @XBlock.handler
    def export_csv(self, request, suffix=""):
        """Anonymous class results as CSV (course staff only)."""
        if not self._is_staff():
            return self._error_response(HandlerError(403, "staff_only"))
        table = aggregates.summary(self.quiz, self.class_results, self._gettext)
        self._publish_event("results_exported", {"learners": table["learners"]})
        response = Response(aggregates.to_csv(table), content_type="text/csv", charset="utf-8")
        response.content_disposition = f'attachment; filename="{codec.TAG}-results.csv"'
        return response

    @json_endpoint
    def studio_submit(self, payload: dict) -> dict:
        """{"yaml": text} -> saved, or every problem (with its line) and nothing saved."""
        if not isinstance(payload.get("yaml"), str):
            raise HandlerError(400, "invalid_payload")
        data, problems = authoring.parse(payload["yaml"])
        if problems:
            raise HandlerError(400, "invalid_quiz", problems=[p._asdict() for p in problems])
        self.apply_data(data)
        return {"ok": True}

    # ----- helpers -----------------------------------------------------------------------

    def _record_submission(self, answers: dict, result) -> None:
        """All checks passed: update state, class results, grade, completion, events."""
        part = aggregates.contribution(self.quiz, answers, result)
        class_results = self.class_results
        if self.contribution:
            class_results = aggregates.add(class_results, self.contribution, sign=-1)
        self.class_results = aggregates.add(class_results, part)
        self.contribution = part
        self.answers = answers
        self.attempts += 1
        self.set_score(Score(result.raw_earned, result.raw_possible))
        self._publish_grade(self.get_score())
        if self._in_course():
            self.runtime.publish(self, "completion", {"completion": 1.0})
        self._publish_event("submitted", {
            "attempt": self.attempts,
            "max_attempts": self.max_attempts,
            "answers": answers,
            "raw_earned": result.raw_earned,
            "raw_possible": result.raw_possible,
            "dimensions": {dim: outcome.score for dim, outcome in result.dimensions.items()},
            "bands": part["bands"],
        })

    def _learner_state(self) -> dict:
        state = {
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "attempts_text": self._attempts_text(),
            "can_submit": self._attempts_left(),
            "submission": None,
        }
        if self.answers:
            try:
                answers = normalize_answers(self.quiz, self.answers)
            except AnswerError:
                log.info("stored answers no longer match the quiz %s", self.scope_ids.usage_id)
                return state
            reveal = not self._attempts_left()
            state["submission"] = {
                "answers": answers,
                "result": result_payload(self.quiz, answers, score(self.quiz, answers), reveal_answers=reveal,
                                         expand_urls=self._expand_urls, module_href=self._module_href),
            }
        return state

    def _check_can_retry(self, payload: dict) -> None:
        if set(payload) != {"action"}:
            raise HandlerError(400, "invalid_payload")
        if not self.answers:
            raise HandlerError(400, "not_submitted")
        if not self._attempts_left():
            raise HandlerError(409, "no_attempts_left")

    def _opened_recommendation(self, payload: dict) -> dict:
        if set(payload) != {"action", "dimension", "index"} or type(payload["index"]) is not int:  # noqa: E721
            raise HandlerError(400, "invalid_payload")
        state = self._learner_state()
        if state["submission"] is None:
            raise HandlerError(400, "not_submitted")
        for dimension in state["submission"]["result"]["dimensions"]:
            band = dimension["band"]
            items = band["recommendations"] if band else []
            if dimension["id"] == payload["dimension"] and 0 <= payload["index"] < len(items):
                item = items[payload["index"]]
                return {"dimension": dimension["id"], "band": band["label"], "kind": item["kind"],
                        "target": item.get("module") or item["href"], "title": item["title"]}
        raise HandlerError(400, "unknown_recommendation")

    def _publish_event(self, action: str, data: dict) -> None:
        self.runtime.publish(self, EVENT_PREFIX + action, data)

    def _error_response(self, error: HandlerError) -> Response:
        message = self._gettext(ERROR_MESSAGES[error.code])
        return json_response({"error": {"code": error.code, "message": message, **error.details}}, error.status)

    def _staff_panel(self, prefix: str) -> str:
        table = aggregates.summary(self.quiz, self.class_results, self._gettext)
        csv_url = self.runtime.handler_url(self, "export_csv")
        return staff_html(table, csv_url, prefix, self._gettext)

    def _is_staff(self) -> bool:
        service = self.runtime.service(self, "user")
        if service is None:
            return False
        user = service.get_current_user()
        return bool(getattr(user, "opt_attrs", {}).get("edx-platform.user_is_staff", False))

    def _expand_urls(self, html: str) -> str:
        """/static/… and /jump_to_id/… links of the course, where the LMS can rewrite them."""
        service = self.runtime.service(self, "replace_urls")
        return service.replace_urls(html) if service and html else html

    def _module_href(self, module_id: str) -> str | None:
        if not self._in_course():
            return None
        return f"/courses/{self.scope_ids.usage_id.context_key}/jump_to_id/{module_id}"

    def _language(self) -> str:
        return language_or_default(self.language)

    @property
    def _gettext(self):
        return translation(self._language()).gettext

    def _attempts_text(self) -> str:
        _ = self._gettext
        if self.max_attempts == 0:
            return _("Attempts used: {attempts} (unlimited)").format(attempts=self.attempts)
        return _("Attempts used: {attempts} of {max}").format(attempts=self.attempts, max=self.max_attempts)

    @staticmethod
    def workbench_scenarios():
        """Scenarios from scenarios/*.xml, titled by each file's first comment."""
        scenarios = []
        folder = resources.files(__package__).joinpath("scenarios")
        for entry in sorted(folder.iterdir(), key=lambda item: item.name):
            if entry.name.endswith(".xml"):
                text = entry.read_text(encoding="utf-8")
                scenarios.append((_scenario_title(text, entry.name), text))
        return scenarios


def _scenario_title(xml: str, fallback: str) -> str:
    start = xml.find("<!--")
    if start == -1:
        return fallback
    return xml[start + 4:xml.find("-->", start)].strip()
