"""Downstream gates proving that an emitted OLX course imports as authored.

Three independent checks, in the order of docs olx.md §10.5 (the compiler's own checks come first):

- ``run_olxcleaner``: olxcleaner's Python API, the validator Studio can run during an import;
- ``check_problems``: every ``problem/*.xml`` built by the real CAPA engine (xblocks-contrib);
- ``load_course``: the whole course loaded through the real XBlock runtime, as the platform's
  importer does with ``load_error_blocks=False``, but failing loudly where the platform is silent.

Each catches something the others miss; none depends on pytest.
"""
from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import olxcleaner
from lxml import etree
from opaque_keys import InvalidKeyError
from opaque_keys.edx.locator import CourseLocator
from xblock.core import XBlock
from xblock.fields import Boolean, Date, Integer, List, Scope, ScopeIds, String
from xblock.plugin import PluginMissingError
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager
from xblock.test.tools import TestRuntime

from tests.support.capa import load_problem
from tests.support.django_env import configure_django

configure_django()  # xblocks-contrib reads Django settings at import time

from fs.osfs import OSFS  # noqa: E402  (fs 2.4 imports pkg_resources: needs setuptools<81)
from xblocks_contrib import HtmlBlock, ProblemBlock  # noqa: E402
from xblocks_contrib.legacy_utils.xml_utils import (  # noqa: E402
    EDX_XML_PARSER,
    LegacyXmlMixin,
    is_pointer_tag,
    name_to_pathname,
)

# ---------------------------------------------------------------------------------------------
# Gate: olxcleaner
# ---------------------------------------------------------------------------------------------

#: olxcleaner codes ignored by default: none. Its known false positives do not arise from what
#: we emit: a ``<wiki slug>`` child of the course adds MissingURLName and MissingDisplayName
#: (the compiler omits ``<wiki>``), and its stricter-than-Studio rules (start, end and
#: course_image required, strict HTML parsing) are ones our courses must meet anyway. One rule
#: is stricter than the platform and kept on purpose: DuplicateURLName fires for a url_name
#: shared by blocks of *different* types (the platform keys blocks by type and url_name), because
#: olxcleaner resolves policy keys and /jump_to_id/ links by bare url_name, and Studio runs it
#: when olx validation is enabled. Ignoring a code globally would also hide its true positives,
#: so a caller that meets a new false positive passes ``ignore=`` and says why.
IGNORED_OLXCLEANER_CODES: tuple[str, ...] = ()

#: Fail at WARNING: we generate the content, so even olxcleaner's warnings (dangling policy
#: key, missing /static/ file, due after end) are our bugs.
FAILING_LEVEL = "WARNING"
LEVELS = {"DEBUG": 0, "INFO": 1, "WARNING": 2, "ERROR": 3}


@dataclass(frozen=True)
class Finding:
    """One olxcleaner report: its level name, code (error class name), file and message."""

    level: str
    code: str
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.file}: {self.message}"


def run_olxcleaner(
    course_dir: Path, allowed_xblocks: Sequence[str], ignore: Sequence[str] = IGNORED_OLXCLEANER_CODES
) -> list[Finding]:
    """Every finding of olxcleaner's eight validation steps on an extracted course directory.

    ``allowed_xblocks`` names our custom tags (xblock.v1 entry points): olxcleaner then skips
    their subtrees instead of reporting UnexpectedTag. Files are relative to ``course_dir``.
    """
    _, errorstore, _ = olxcleaner.validate(
        filename=str(course_dir), steps=8, ignore=list(ignore), allowed_xblocks=list(allowed_xblocks)
    )
    return [Finding(error.level, error.name, error.filename, error.description) for error in errorstore.errors]


def failing_findings(findings: Sequence[Finding], level: str = FAILING_LEVEL) -> list[Finding]:
    """The findings at or above ``level`` (a name of ``LEVELS``)."""
    return [finding for finding in findings if LEVELS[finding.level] >= LEVELS[level]]


# ---------------------------------------------------------------------------------------------
# Gate: the real CAPA engine
# ---------------------------------------------------------------------------------------------


class ProblemCheckError(Exception):
    """Problems the CAPA engine cannot build; ``failures`` maps each file to its reason."""

    def __init__(self, failures: dict[str, str]):
        super().__init__("\n".join(f"{file}: {reason}" for file, reason in failures.items()))
        self.failures = failures


def check_problems(course_dir: Path) -> dict[str, list[str]]:
    """Build every ``problem/*.xml`` with the CAPA engine; map each file to its response tags.

    Raises ProblemCheckError listing every problem that does not build or has no response
    (e.g. a multiple choice without choicegroup, a stringresponse without answer, bad XML).
    """
    course_dir = Path(course_dir)
    responses: dict[str, list[str]] = {}
    failures: dict[str, str] = {}
    for path in sorted((course_dir / "problem").glob("*.xml")):
        file = path.relative_to(course_dir).as_posix()
        try:
            problem = load_problem(path.read_text(encoding="utf-8"), path.stem)
        except Exception as err:  # the engine raises anything from IndexError to LoncapaProblemError
            failures[file] = f"{type(err).__name__}: {err}"
            continue
        responses[file] = [responder.xml.tag for responder in problem.responders.values()]
    if failures:
        raise ProblemCheckError(failures)
    return responses


# ---------------------------------------------------------------------------------------------
# Gate: the real XBlock runtime
# ---------------------------------------------------------------------------------------------


class CourseLoadError(Exception):
    """The course would not import as authored: ``file`` (course-relative) and ``line`` at fault."""

    def __init__(self, file: str, message: str, line: int | None = None):
        super().__init__(f"{file}{f':{line}' if line else ''}: {message}")
        self.file = file
        self.line = line


# Stand-ins for the platform's course containers. The real CourseBlock, SequenceBlock, ... live
# in openedx-platform's xmodule and need its XMLModuleStore, MongoDB-era mixins and Django apps,
# which cannot run here. These stand-ins only hold children, the fields olx.md §4 says we emit
# and the platform's inheritable settings (its InheritanceMixin), typed like the platform's
# (dates as Date, so a malformed date fails to load). Inheritance itself is not computed: a
# course-level max_attempts is not copied down to the problems. Any other attribute is reported
# in LoadedCourse.ignored_attributes.


class _ContainerStandIn(XBlock):
    """Stand-in base: a named block with children; NOT the platform's container class."""

    has_children = True
    display_name = String(scope=Scope.settings)
    # Settings every platform block inherits from its ancestors (InheritanceMixin).
    start = Date(scope=Scope.settings)
    due = Date(scope=Scope.settings)
    graded = Boolean(scope=Scope.settings)
    showanswer = String(scope=Scope.settings)
    show_correctness = String(scope=Scope.settings)
    rerandomize = String(scope=Scope.settings)
    max_attempts = Integer(scope=Scope.settings)
    visible_to_staff_only = Boolean(scope=Scope.settings)


class CourseStandIn(_ContainerStandIn):
    """Stand-in for the platform's CourseBlock (course/<run>.xml)."""

    language = String(scope=Scope.settings)
    end = Date(scope=Scope.settings)
    course_image = String(scope=Scope.settings)
    advanced_modules = List(scope=Scope.settings)
    self_paced = Boolean(scope=Scope.settings)


class ChapterStandIn(_ContainerStandIn):
    """Stand-in for the platform's chapter (a SectionBlock)."""


class SequentialStandIn(_ContainerStandIn):
    """Stand-in for the platform's SequenceBlock."""

    format = String(scope=Scope.settings)


class VerticalStandIn(_ContainerStandIn):
    """Stand-in for the platform's VerticalBlock."""


STAND_IN_CLASSES: dict[str, type[XBlock]] = {
    "course": CourseStandIn,
    "chapter": ChapterStandIn,
    "sequential": SequentialStandIn,
    "vertical": VerticalStandIn,
}
#: The real classes extracted from the platform into xblocks-contrib (registered there only
#: under ``_html_extracted`` / ``_problem_extracted``, hence the explicit mapping).
EXTRACTED_CLASSES: dict[str, type[XBlock]] = {"html": HtmlBlock, "problem": ProblemBlock}
#: VideoBlock needs the edxval Django app and a database.
UNLOADABLE_TAGS = {"video": "VideoBlock needs the edxval Django app and a database"}


class CourseIds(MemoryIdManager):
    """Usage keys as the platform makes them: ``course_key.make_usage_key(tag, url_name)``.

    Definition ids are the usage keys themselves (the platform's CourseLocationManager).
    """

    def __init__(self, course_key: CourseLocator):
        super().__init__()
        self.course_key = course_key

    def create_definition(self, block_type, slug=None):
        return self.course_key.make_usage_key(block_type, slug)

    def create_usage(self, def_id):
        return def_id

    def get_definition_id(self, usage_id):
        return usage_id

    def get_block_type(self, def_id):
        return def_id.block_type


@dataclass
class LoadedCourse:
    """A course loaded by the runtime: its root block and every block by usage key."""

    course_key: CourseLocator
    root: XBlock
    blocks: dict[Any, XBlock]
    #: Attributes and policy keys that are no field of their block: Open edX only logs them
    #: (XBlock) or keeps them aside (xml_attributes), so the value never reaches the block.
    ignored_attributes: list[str] = field(default_factory=list)
    #: policy.json keys naming no loaded block (olxcleaner: PolicyRefNotFound).
    unused_policy_keys: list[str] = field(default_factory=list)
    #: Messages blocks sent to the runtime's error tracker (e.g. "Couldn't parse html").
    tracked_errors: list[str] = field(default_factory=list)

    def children(self, block: XBlock) -> list[XBlock]:
        """The block's children, in course order."""
        return [self.blocks[usage_id] for usage_id in getattr(block, "children", [])]

    @property
    def chapters(self) -> list[XBlock]:
        return self.children(self.root)

    def walk(self, block: XBlock | None = None) -> Iterator[XBlock]:
        """Every block, depth first in course order, starting at ``block`` (default: the root)."""
        block = self.root if block is None else block
        yield block
        for child in self.children(block):
            yield from self.walk(child)

    def blocks_by_type(self) -> dict[str, list[XBlock]]:
        """Blocks grouped by tag, each group in course order."""
        grouped: dict[str, list[XBlock]] = defaultdict(list)
        for block in self.walk():
            grouped[block.scope_ids.block_type].append(block)
        return dict(grouped)

    def custom_blocks(self) -> list[XBlock]:
        """Blocks loaded through their xblock.v1 entry point (ours), in course order."""
        platform_tags = STAND_IN_CLASSES.keys() | EXTRACTED_CLASSES.keys()
        return [block for block in self.walk() if block.scope_ids.block_type not in platform_tags]

    def block(self, block_type: str, url_name: str) -> XBlock:
        """The block with this tag and url_name (KeyError if absent)."""
        return self.blocks[self.course_key.make_usage_key(block_type, url_name)]


def set_field_values(block: XBlock) -> dict[str, Any]:
    """The content and settings fields explicitly set on ``block`` (what its OLX carried)."""
    return {
        name: getattr(block, name)
        for name, block_field in block.fields.items()
        if block_field.scope in (Scope.content, Scope.settings) and block_field.is_set_on(block)
    }


class CourseRuntime(TestRuntime):
    """Loads blocks from an OLX directory like the platform's XML importing runtime.

    Mirrors ``XMLParsingModuleStoreRuntime.xblock_from_node`` (openedx-platform
    ``xmodule/modulestore/xml.py``): usage keys from (tag, url_name), pointer tags resolved at
    the runtime level for classes that do not parse them themselves, policy per block, no
    asides. Unlike the platform it raises on every fault instead of hashing duplicate names.
    """

    def __init__(self, course_dir: Path, course_key: CourseLocator, policy: dict[str, dict], policy_file: str):
        ids = CourseIds(course_key)
        super().__init__(id_reader=ids, id_generator=ids, services={"field-data": KvsFieldData(DictKeyValueStore())})
        self.resources_fs = OSFS(str(course_dir))
        self.policy = policy
        self.policy_file = policy_file
        self.blocks: dict[Any, XBlock] = {}
        self.ignored_attributes: list[str] = []
        self.tracked_errors: list[str] = []
        self._claimed_by: dict[str, str] = {}  # "tag/url_name" -> "file:line" of its first use

    # -- what blocks call on their runtime -------------------------------------------------

    def load_block_type(self, block_type):
        if block_type in UNLOADABLE_TAGS:
            raise NotImplementedError(f"<{block_type}> cannot be loaded here: {UNLOADABLE_TAGS[block_type]}")
        known = STAND_IN_CLASSES.get(block_type) or EXTRACTED_CLASSES.get(block_type)
        return known or XBlock.load_class(block_type, select=self.select)  # PluginMissingError if absent

    def get_block(self, usage_id, for_parent=None):
        return self.blocks[usage_id]

    def get_policy(self, usage_id) -> dict:
        return self.policy.get(_policy_key(usage_id), {})

    def parse_asides(self, node, def_id, usage_id, id_generator):
        return []

    def get_asides(self, block):
        return []

    def error_tracker(self, message: str) -> None:
        self.tracked_errors.append(message)

    def add_node_as_child(self, block, node):
        child = self.block_from_node(node, block.scope_ids.usage_id)
        block.children.append(child.scope_ids.usage_id)

    # -- loading -----------------------------------------------------------------------------

    def block_from_node(self, node: etree._Element, parent_id) -> XBlock:
        """Parse ``node`` (and its subtree) into a block; raise CourseLoadError naming the file."""
        file, line = _position(node)
        # Popped before the pointer test, as the platform does: an inline custom block carrying
        # nothing but url_name and xblock-family is then read as a pointer to <tag>/<url_name>.xml.
        node.attrib.pop("xblock-family", None)
        tag, url_name = node.tag, node.get("url_name")
        usage_id = self._claim_usage_id(tag, url_name, file, line)
        block_class = self._block_class(tag, file, line)
        definition, definition_file, definition_line = node, file, line
        if is_pointer_tag(node):
            if issubclass(block_class, LegacyXmlMixin):  # it reads tag/url_name.xml itself
                definition_file, definition_line = f"{tag}/{name_to_pathname(url_name)}.xml", None
            else:
                definition = self._read_pointed_file(node)
                definition_file, definition_line = _position(definition)
        try:
            where = f"{definition_file}:{definition_line}" if definition_line else definition_file
            block = self._parse_block(definition, block_class, usage_id, where)
        except CourseLoadError:
            raise
        except Exception as err:  # any failure the platform's importer would let abort the import
            raise CourseLoadError(definition_file, f"<{tag} url_name={url_name!r}> (from {file}:{line}): "
                                  f"{type(err).__name__}: {err}", definition_line) from err
        block.parent = parent_id
        block.save()
        self.blocks[usage_id] = block
        return block

    def _claim_usage_id(self, tag: str, url_name: str | None, file: str, line: int):
        """The block's usage key; each (tag, url_name) may be claimed once."""
        if not url_name:
            raise CourseLoadError(file, f"<{tag}> has no url_name: learner state would be keyed by a hash", line)
        key = f"{tag}/{url_name}"
        if key in self._claimed_by:
            raise CourseLoadError(file, f"duplicate url_name {url_name!r} for <{tag}> (first at "
                                  f"{self._claimed_by[key]}); the platform would rename it to a hash and break "
                                  "learner state", line)
        self._claimed_by[key] = f"{file}:{line}"
        try:
            return self.id_generator.create_usage(self.id_generator.create_definition(tag, url_name))
        except InvalidKeyError as err:
            raise CourseLoadError(file, f"url_name {url_name!r} is no valid usage key: {err}", line) from err

    def _block_class(self, tag: str, file: str, line: int) -> type[XBlock]:
        try:
            return self.load_block_type(tag)
        except PluginMissingError as err:
            raise CourseLoadError(file, f"<{tag}> is no installed xblock.v1 entry point: Studio would abort "
                                  "the import (PluginMissingError)", line) from err
        except NotImplementedError as err:
            raise CourseLoadError(file, str(err), line) from err
        except Exception as err:  # an installed entry point whose module or class does not import
            raise CourseLoadError(file, f"<{tag}>: its xblock.v1 entry point does not load: "
                                  f"{type(err).__name__}: {err}", line) from err

    def _parse_block(self, node: etree._Element, block_class: type[XBlock], usage_id, where: str) -> XBlock:
        keys = ScopeIds(None, node.tag, usage_id, usage_id)
        if issubclass(block_class, LegacyXmlMixin):  # its parse_xml applies the policy itself
            block = block_class.parse_xml(node, self, keys)
            self._note_kept_aside(block, where)
            return block
        self._note_unknown_attributes(node, block_class, where)
        block = block_class.parse_xml(node, self, keys)
        self._apply_policy(block)
        return block

    def _read_pointed_file(self, pointer: etree._Element) -> etree._Element:
        """The element a pointer tag ``<tag url_name="x"/>`` points at: ``tag/x.xml``."""
        url_name = pointer.get("url_name")
        path = f"{pointer.tag}/{name_to_pathname(url_name)}.xml"
        if not self.resources_fs.exists(path):
            file, line = _position(pointer)
            raise CourseLoadError(path, f"missing file pointed at by <{pointer.tag} url_name={url_name!r}> "
                                  f"in {file}:{line}")
        element = parse_xml_file(self.resources_fs.readbytes(path), path)
        if element.tag != pointer.tag:
            raise CourseLoadError(path, f"root tag <{element.tag}> where <{pointer.tag}> was pointed at", 1)
        element.set("url_name", url_name)  # the pointed file may omit it; the pointer's name wins
        return element

    def _note_unknown_attributes(self, node: etree._Element, block_class: type[XBlock], where: str) -> None:
        for name in node.attrib:
            if name != "url_name" and name not in block_class.fields:
                self.ignored_attributes.append(f"{where}: <{node.tag}> has no field {name!r}")

    def _note_kept_aside(self, block: XBlock, where: str) -> None:
        """LegacyXmlMixin keeps attributes and policy keys that are no field in xml_attributes."""
        for name in block.xml_attributes:
            if name != "filename":  # set by parse_xml itself, for the platform's git links
                self.ignored_attributes.append(f"{where}: <{block.scope_ids.block_type}> has no field {name!r}")

    def _apply_policy(self, block: XBlock) -> None:
        key = _policy_key(block.scope_ids.usage_id)
        for name, value in self.get_policy(block.scope_ids.usage_id).items():
            policy_field = block.fields.get(name)
            if policy_field is None:
                self.ignored_attributes.append(f"{self.policy_file}: {key} has no field {name!r}")
                continue
            try:
                setattr(block, name, policy_field.from_json(value))
            except (TypeError, ValueError) as err:
                raise CourseLoadError(self.policy_file, f"{key}.{name}: {value!r} does not deserialize: {err}") from err


def _policy_key(usage_id) -> str:
    return f"{usage_id.block_type}/{usage_id.block_id}"


def _position(node: etree._Element) -> tuple[str, int]:
    """File and line of an element parsed by ``parse_xml_file``."""
    return node.getroottree().docinfo.URL, node.sourceline


def parse_xml_file(data: bytes, file: str) -> etree._Element:
    """Parse a course file with the platform's parser, remembering the file name for messages."""
    try:
        return etree.fromstring(data, EDX_XML_PARSER, base_url=file)
    except etree.XMLSyntaxError as err:
        raise CourseLoadError(file, f"malformed XML: {err}") from err


def read_policy(course_dir: Path, run: str) -> tuple[dict[str, dict], str]:
    """``policies/<run>/policy.json`` (or the old ``policies/<run>.json``) and its path.

    Stricter than the platform, which only logs an invalid policy and drops every setting in it.
    A missing file is ``{}`` as on the platform (olxcleaner reports PolicyNotFound).
    """
    for file in (f"policies/{run}/policy.json", f"policies/{run}.json"):
        path = course_dir / file
        if path.exists():
            try:
                policy = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as err:
                raise CourseLoadError(file, f"invalid JSON: {err}") from err
            if not isinstance(policy, dict) or not all(isinstance(value, dict) for value in policy.values()):
                raise CourseLoadError(file, 'expected {"<type>/<url_name>": {"field": value, ...}, ...}')
            return policy, file
    return {}, f"policies/{run}/policy.json"


@contextmanager
def _quiet_unknown_field_warnings() -> Iterator[None]:
    """Drop XBlock's "<class> does not contain field <name>" log lines while loading.

    XBlock.parse_xml logs one for every attribute that is no field, ``url_name`` included on
    every inline custom block; the runtime records the meaningful ones in ignored_attributes.
    """

    def keep(record: logging.LogRecord) -> bool:
        return record.msg != "%s does not contain field %s"

    root_logger = logging.getLogger()
    root_logger.addFilter(keep)
    try:
        yield
    finally:
        root_logger.removeFilter(keep)


def load_course(course_dir: Path) -> LoadedCourse:
    """Load the whole course under ``course_dir`` through the XBlock runtime.

    Real classes: xblocks-contrib's HtmlBlock and ProblemBlock, and every other tag through its
    installed ``xblock.v1`` entry point; the four containers are stand-ins (see above). Raises
    CourseLoadError, naming the file, on: course.xml not a pointer (the platform would import
    an empty course), a course without chapters, a missing pointed or html file, malformed XML,
    a root tag mismatch, a missing, invalid or duplicate url_name, an uninstalled tag, an
    attribute or policy value that does not deserialize into its field, an invalid policy.json.
    """
    course_dir = Path(course_dir)
    pointer = _read_course_pointer(course_dir)
    run = pointer.get("url_name")
    course_key = CourseLocator(pointer.get("org"), pointer.get("course"), run)
    policy, policy_file = read_policy(course_dir, run)
    runtime = CourseRuntime(course_dir, course_key, policy, policy_file)
    with _quiet_unknown_field_warnings():
        root = runtime.block_from_node(pointer, None)
    if not root.children:
        raise CourseLoadError(f"course/{run}.xml", "the course has no chapter")
    loaded_keys = {_policy_key(usage_id) for usage_id in runtime.blocks}
    return LoadedCourse(
        course_key=course_key,
        root=root,
        blocks=runtime.blocks,
        ignored_attributes=runtime.ignored_attributes,
        unused_policy_keys=sorted(set(policy) - loaded_keys),
        tracked_errors=runtime.tracked_errors,
    )


def _read_course_pointer(course_dir: Path) -> etree._Element:
    path = course_dir / "course.xml"
    if not path.exists():
        raise CourseLoadError("course.xml", f"missing in {course_dir}")
    pointer = parse_xml_file(path.read_bytes(), "course.xml")
    if pointer.tag != "course" or not is_pointer_tag(pointer):
        raise CourseLoadError("course.xml", 'must be exactly <course url_name=".." org=".." course=".."/>; '
                              f"got <{pointer.tag} {' '.join(pointer.attrib)}> (the platform would import "
                              "an empty course)")
    return pointer
