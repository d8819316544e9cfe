"""The municipal case-study XBlock: a thin shell over the pure modules beside it.

Fields → scoring → views → handlers. Navigation and what the learner may see live in progress.py,
scores in scoring.py, OLX in codec.py, HTML in render.py, staff counts in staff.py.
"""
from __future__ import annotations

import hashlib
import json
import logging
from importlib import resources

import yaml
from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import CompletableXBlockMixin, XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score

from . import authoring, codec, i18n, markup, progress, render, staff
from .defaults import DEFAULT_CASE, DEFAULT_TITLE
from .messages import ERRORS, STAFF, STUDIO, UI
from .progress import ActionError, LearnerState
from .validation import XML_INCOMPATIBLE

log = logging.getLogger(__name__)

EVENT_PREFIX = "parcours.case_study."
# The only analytics events the block publishes; none is ever named by the browser.
EVENTS = frozenset({"decision_made", "step_entered", "draft_saved", "reflection_submitted", "rubric_rated",
                    "completed", "reset"})
SETTINGS = ("allow_reset", "scoring", "weight")
MAX_BODY_BYTES = 128 * 1024
# Deepest nesting of arrays and objects in a request (an action needs 2 levels). Deeper bodies
# are refused: 10 KB of "[" already exhausts the recursion of json and of any walk.
MAX_JSON_DEPTH = 16
_ = i18n.N_


def _resource(path: str) -> str:
    return resources.files(__package__).joinpath(path).read_text(encoding="utf-8")


@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("replace_urls")
class MunicipalCaseStudyBlock(ScorableXBlockMixin, CompletableXBlockMixin, XBlock):
    """A fictional municipal case: context, branching decisions, reflections, self-evaluation, debrief."""

    # --- Fields: authored content and settings -------------------------------------------------
    display_name = String(display_name=_("Display name"), default=DEFAULT_TITLE, scope=Scope.settings)
    case = Dict(
        display_name=_("Case"), default=DEFAULT_CASE, scope=Scope.content,
        help=_("The case as authored (see schema.json), without its title and settings."),
    )
    allow_reset = Boolean(display_name=_("Allow starting over"), default=False, scope=Scope.settings)
    scoring = String(
        display_name=_("Scoring mode"), default="none", scope=Scope.settings,
        values=[{"value": mode, "display_name": mode} for mode in ("none", "completion", "decisions", "rubric")],
    )
    weight = Float(display_name=_("Weight"), default=1.0, scope=Scope.settings, values={"min": 0})

    # --- Fields: the learner's state --------------------------------------------------------
    path = List(default=[], scope=Scope.user_state, help=_("Steps visited, with the option chosen at each."))
    drafts = Dict(default={}, scope=Scope.user_state, help=_("Unsubmitted reflection drafts by step."))
    answers = Dict(default={}, scope=Scope.user_state, help=_("Submitted reflections by step."))
    ratings = Dict(default={}, scope=Scope.user_state, help=_("Self-ratings by rubric step and criterion."))
    raw_earned = Float(default=None, scope=Scope.user_state, help=_("Score last published, out of 1."))

    # --- Fields: anonymous aggregates ----------------------------------------------------
    decision_counts = Dict(default={}, scope=Scope.user_state_summary)
    rating_counts = Dict(default={}, scope=Scope.user_state_summary)
    completion_count = Integer(default=0, scope=Scope.user_state_summary)

    has_custom_completion = True
    completion_mode = XBlockCompletionMode.COMPLETABLE
    icon_class = "problem"
    public_dir = "static"  # figures of the workbench scenarios are served from static/img

    # --- Data ---------------------------------------------------------------------------
    def authored_data(self) -> dict:
        """The case as its author wrote it: settings only where explicitly set (exact OLX round trip)."""
        data = {**self.case, "title": self.display_name}
        settings = {name: getattr(self, name) for name in SETTINGS if self.fields[name].is_set_on(self)}
        if settings:
            data["settings"] = settings
        return data

    def store(self, data: dict) -> None:
        """Replace the authored content by validated ``data`` (settings left out fall back to defaults)."""
        self.display_name = data["title"]
        self.case = {key: value for key, value in data.items() if key not in ("title", "settings")}
        settings = data.get("settings", {})
        for name in SETTINGS:
            if name in settings:
                setattr(self, name, settings[name])
            else:
                delattr(self, name)

    def _case(self) -> progress.Case:
        settings = {"allow_reset": self.allow_reset, "scoring": self.scoring}
        return progress.Case({**self.case, "title": self.display_name, "settings": settings})

    def _state(self, case: progress.Case) -> LearnerState:
        stored = LearnerState.from_fields(self.path, self.drafts, self.answers, self.ratings)
        return progress.normalize(case, stored)

    def _save_state(self, state: LearnerState) -> None:
        for name, value in state.to_fields().items():
            setattr(self, name, value)

    # --- Scoring (ScorableXBlockMixin): computed only here, from the stored state -------------
    @property
    def has_score(self) -> bool:
        return self.scoring != "none"

    def max_score(self):
        return 1.0 if self.has_score else None

    def has_submitted_answer(self) -> bool:
        case = self._case()
        return progress.is_completed(case, self._state(case))

    def get_score(self) -> Score:
        return Score(self.raw_earned or 0.0, 1.0)

    def set_score(self, score: Score) -> None:
        self.raw_earned = score.raw_earned

    def calculate_score(self) -> Score:
        case = self._case()
        return Score(progress.score(case, self._state(case)) or 0.0, 1.0)

    def _in_course(self) -> bool:
        """Grades and completion only count in a course, not in a content library (v2 keys say so)."""
        context = getattr(self.scope_ids.usage_id, "context_key", None)
        return bool(getattr(context, "is_course", True))

    def _publish_result(self) -> None:
        if not self._in_course():
            return
        if self.has_score:
            score = self.calculate_score()
            self.set_score(score)
            self._publish_grade(score)
        self.emit_completion(1.0)

    # --- Language ----------------------------------------------------------------------
    def _language(self) -> str:
        return i18n.interface_language(self.runtime.service(self, "i18n"))

    def _gettext(self):
        return i18n.translations(self._language()).gettext

    def _strings(self, table: dict) -> dict:
        gettext = self._gettext()
        return {key: gettext(message) for key, message in table.items()}

    def _error_message(self, error: ActionError) -> str:
        return self._gettext()(ERRORS[error.code]).format(**error.params)

    # --- Rendering helpers ----------------------------------------------------------------
    @property
    def id_prefix(self) -> str:
        """Unique per instance and stable: derived from the usage id, never from the content."""
        return "mcs-" + hashlib.sha1(str(self.scope_ids.usage_id).encode("utf-8")).hexdigest()[:12]

    def _replace_urls(self, html: str) -> str:
        service = self.runtime.service(self, "replace_urls")
        return service.replace_urls(html) if service else html

    def _render_markdown(self, source: str) -> str:
        return self._replace_urls(markup.render_markdown(source))

    def _view(self, case: progress.Case, state: LearnerState) -> dict:
        return progress.learner_view(case, state, self._render_markdown)

    def _is_staff(self) -> bool:
        service = self.runtime.service(self, "user")
        user = service.get_current_user() if service else None
        return bool(user and user.opt_attrs.get("edx-platform.user_is_staff"))

    # --- Views ---------------------------------------------------------------------------
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        case = self._case()
        strings = self._strings(UI)
        panel = self._staff_panel(case) if self._is_staff() else None
        view_json = json.dumps(self._view(case, self._state(case)), ensure_ascii=False)
        html = render.case_html(case.data, self.id_prefix, strings.__getitem__, self._language(),
                                markup.render_markdown, view_json, panel)
        fragment = Fragment(self._replace_urls(html))
        fragment.add_css(_resource("static/css/municipal_case_study.css"))
        fragment.add_javascript(_resource("static/js/municipal_case_study.js"))
        fragment.initialize_js("MunicipalCaseStudyBlock", {"prefix": self.id_prefix, "strings": strings})
        return fragment

    def _staff_panel(self, case: progress.Case):
        tables = staff.summary(case.steps, self.decision_counts, self.rating_counts)
        csv_url = self.runtime.handler_url(self, "staff_csv")
        return render.staff_panel(self.id_prefix, tables, self.completion_count, csv_url,
                                  self._strings(STAFF).__getitem__)

    def studio_view(self, context=None):
        strings = self._strings(STUDIO)
        html = render.studio_html(self.id_prefix, authoring.dump(self.authored_data()), strings.__getitem__)
        fragment = Fragment(html)
        fragment.add_css(_resource("static/css/municipal_case_study.css"))
        fragment.add_javascript(_resource("static/js/studio.js"))
        fragment.initialize_js("MunicipalCaseStudyStudio", {"prefix": self.id_prefix, "strings": strings})
        return fragment

    def student_view_data(self, context=None):
        """For the mobile apps: the public case; nothing that must be earned (see progress.public_step)."""
        case = self._case()
        data = case.data
        public = {key: data[key] for key in ("title", "municipality", "stakeholders", "sources", "further_reading")
                  if key in data}
        public["municipality"] = {key: value for key, value in data["municipality"].items() if key != "context"}
        if "introduction" in data:
            public["introduction_html"] = self._render_markdown(data["introduction"])
        if "context" in data["municipality"]:
            public["municipality"]["context_html"] = self._render_markdown(data["municipality"]["context"])
        public["sections"] = [{"title": s["title"], "body_html": self._render_markdown(s["body"])}
                              for s in data.get("sections", ())]
        public["exhibits"] = [self._public_exhibit(exhibit) for exhibit in data.get("exhibits", ())]
        public["steps"] = [progress.public_step(step, self._render_markdown) for step in case.steps]
        public["settings"] = {"allow_reset": self.allow_reset, "scoring": self.scoring, "weight": self.weight}
        return public

    def _public_exhibit(self, exhibit: dict) -> dict:
        public = dict(exhibit)
        for key in ("image", "file"):
            if key in public:
                public[key] = self._asset_url(public[key])
        markdown_key = {"table": "note", "figure": "description"}.get(exhibit["kind"])
        if markdown_key in public:
            public[f"{markdown_key}_html"] = self._render_markdown(public.pop(markdown_key))
        return public

    def _asset_url(self, url: str) -> str:
        """The platform rewrites /static/… only inside quotes, as in HTML attributes."""
        return self._replace_urls(f'"{url}"')[1:-1]

    # --- Handlers ------------------------------------------------------------------------
    @XBlock.handler
    def learner_action(self, request, suffix=""):
        """Every learner action (choose, save_draft, submit, rate, advance, reset): JSON in, learner view out."""
        case = self._case()
        before = self._state(case)
        try:
            payload = _json_body(request)
            after, events = progress.apply(case, before, payload)
        except ActionError as error:
            return self._error_response(error)
        self._save_state(after)
        self._record(events)
        if progress.is_completed(case, after) and not progress.is_completed(case, before):
            self._publish_result()
        return _json_response({"view": self._view(case, after)})

    def _record(self, events) -> None:
        for name, payload in events:
            if name not in EVENTS:
                raise ValueError(f"event {name!r} is not in the documented allow-list")
            self.runtime.publish(self, EVENT_PREFIX + name, payload)
        if any(name in staff.COUNTED for name, _ in events):
            self.decision_counts, self.rating_counts, self.completion_count = staff.tally(
                self.decision_counts, self.rating_counts, self.completion_count, events)

    @XBlock.handler
    def student_view_user_state(self, request, suffix=""):
        """For the mobile apps: what this learner sees now (nothing unearned)."""
        case = self._case()
        return _json_response(self._view(case, self._state(case)))

    @XBlock.handler
    def staff_csv(self, request, suffix=""):
        """Anonymous counts as CSV, for staff only."""
        if not self._is_staff():
            return self._error_response(ActionError("staff_only", 403))
        case = self._case()
        body = staff.to_csv(case.steps, self.decision_counts, self.rating_counts, self.completion_count)
        return Response(body=body.encode("utf-8"), status=200, content_type="text/csv", charset="utf-8",
                        content_disposition='attachment; filename="case-study-summary.csv"')

    @XBlock.handler
    def studio_submit(self, request, suffix=""):
        """Replace the case with the author's YAML, all or nothing."""
        try:
            source = _json_body(request).get("source")
        except ActionError as error:
            return self._error_response(error)
        if not isinstance(source, str):
            return self._error_response(ActionError("invalid_field", field="source"))
        if len(source) > authoring.MAX_SOURCE_CHARS:
            return self._error_response(ActionError("payload_too_large", 413))
        strings = self._strings(STUDIO)
        try:
            data = authoring.load(source)
        except yaml.YAMLError as error:
            return _studio_refusal(strings["yaml_error"].format(error=error), [])
        if not isinstance(data, dict):
            return _studio_refusal(strings["not_mapping"], [])
        problems = codec.validate(data)
        if problems:
            return _studio_refusal(strings["invalid"], problems)
        self.store(data)
        return _json_response({"saved": True, "message": strings["saved"]})

    def _error_response(self, error: ActionError) -> Response:
        return _json_response({"error": {"code": error.code, "message": self._error_message(error)}}, error.status)

    # --- OLX (same codec as the course compiler) -----------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys):
        data = codec.from_element(node)
        problems = codec.validate(data)
        if problems:
            details = "; ".join(f"{authoring.format_path(p.path)}: {p.message}" for p in problems)
            raise codec.CodecError(f"invalid {codec.TAG} {node.get('url_name', '')}: {details}")
        block = runtime.construct_xblock_from_class(cls, keys)
        block.store(data)
        # Platform fields written on the element (due, visible_to_staff_only…) are set as usual.
        for name, value in node.items():
            if name not in codec.ROOT_ATTRIBUTES and name in block.fields:
                cls._set_field_if_present(block, name, value, {})
        return block

    def add_xml_to_node(self, node):
        element = codec.to_element(self.authored_data())
        node.tag = self.xml_element_name()
        node.set("xblock-family", self.entry_point)
        for name, value in element.items():
            node.set(name, value)
        node.extend(list(element))
        # Platform settings set on this block (due, visible_to_staff_only…) export as usual.
        for name, field in self.fields.items():
            if field.scope == Scope.settings and name not in codec.ROOT_ATTRIBUTES and field.is_set_on(self):
                self._add_field(node, name, field)

    # --- Workbench ---------------------------------------------------------------------
    @staticmethod
    def workbench_scenarios():
        """Titles are kept stable: the workbench derives usage ids (and so saved state) from them."""
        return [
            ("Étude de cas municipale : agent conversationnel 311 (fr)", _resource("scenarios/case_311_fr.xml")),
            ("Municipal case study: snow-removal routing (en)", _resource("scenarios/case_snow_en.xml")),
            ("Étude de cas municipale : deux instances sur une page", _resource("scenarios/two_instances.xml")),
        ]


def _json_body(request) -> dict:
    if request.method != "POST":
        raise ActionError("method_not_allowed", 405)
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        raise ActionError("payload_too_large", 413)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ActionError("invalid_json") from None
    except RecursionError:
        raise ActionError("too_deep") from None
    if not isinstance(payload, dict):
        raise ActionError("expected_object")
    if _deeper_than(payload, MAX_JSON_DEPTH):
        raise ActionError("too_deep")
    if _holds_xml_incompatible(payload):
        # A lone surrogate or a control character is valid JSON but can be neither encoded
        # nor stored in XML: refused before it reaches the learner's state.
        raise ActionError("invalid_json")
    return payload


def _deeper_than(value, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` levels (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def _holds_xml_incompatible(value) -> bool:
    """Whether a string (key or value, at any depth) holds a character XML cannot store (iterative)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if XML_INCOMPATIBLE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _json_response(body, status: int = 200) -> Response:
    # ASCII escapes: encoding the reply cannot fail, whatever string reaches it.
    return Response(body=json.dumps(body, ensure_ascii=True).encode("ascii"), status=status,
                    content_type="application/json", charset="utf-8")


def _studio_refusal(message: str, problems) -> Response:
    return _json_response({"error": {"code": "invalid_case", "message": message, "problems": [
        {"path": authoring.format_path(p.path), "message": p.message, "hint": p.hint} for p in problems
    ]}}, 400)
