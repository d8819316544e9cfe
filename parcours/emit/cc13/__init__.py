"""The IMS Common Cartridge 1.3 emitter: one cartridge for the course and one per module.

Each cartridge is a reproducible `cartridge.imscc`, which Canvas, Moodle and Brightspace import,
and with `--unpacked` the same files in a folder (`cartridge/`). The organization follows the
course: module › lesson › page, each page a web content resource (the standalone pages of
`parcours.emit.pages`, sharing one resource of styles, scripts and images), each knowledge check a
QTI 1.2 assessment placed right after the page that holds it. A check the profile cannot grade
(numbers, regular expressions) stays in its page with a note. The licence and provenance are in
the manifest's LOM. Every cartridge is checked against the specification's rules (rules.py) before
it is written out.
"""
from __future__ import annotations

from html import escape
from typing import ClassVar

from lxml import etree

from parcours.emit.base import PackageFiles
from parcours.emit.cc13 import qti
from parcours.emit.cc13.rules import ASSESSMENT, CP, LOM, RULES, WEBCONTENT, check_files
from parcours.emit.package import Provenance, provenance, rights_statement
from parcours.emit.pages import StandalonePages
from parcours.emit.scorm12.knowledge_check import inline
from parcours.emit.scorm12.manifest import xml_text
from parcours.model.nodes import Course, ProblemBlock
from parcours.quiz.ast import Question, RangeAnswer

PACKAGE_FOLDER = "cartridge"
ARCHIVE = "cartridge.imscc"
ASSESSMENTS_FOLDER = "assessments"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATIONS = (f"{CP} http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd "
                    f"{LOM} http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd")
SHARED_RESOURCE = "R_shared"
_NOTES = {
    "fr": {"assessment": "Question « {title} » : voir l'évaluation qui suit cette page.",
           "unmapped": "Cette question ne peut pas être corrigée dans ce format ; la réponse attendue "
                       "est donnée plus bas.", "answer": "Réponse attendue : {answer}",
           "reveal": "Afficher la réponse attendue"},
    "en": {"assessment": "Question “{title}”: see the assessment after this page.",
           "unmapped": "This question cannot be graded in this format; the expected answer is given below.",
           "answer": "Expected answer: {answer}", "reveal": "Show the expected answer"},
}


class CommonCartridgeEmitter(StandalonePages):
    name: ClassVar[str] = "cc13"
    description: ClassVar[str] = "IMS Common Cartridge 1.3 (course and each module), for Canvas, Moodle…"

    package_folder: ClassVar[str] = PACKAGE_FOLDER
    archive: ClassVar[str] = ARCHIVE

    def package_files(self, course: Course) -> PackageFiles:
        files = super().package_files(course)
        problems = check_files(files.every_file())
        if problems:  # a bug of this emitter, not of the course: stop before anything is published
            raise RuntimeError("the cartridge breaks Common Cartridge rules:\n" + "\n".join(
                f"{problem}\n  ({RULES[problem[:4]]})" for problem in problems))
        return files

    def visit_Course(self, course: Course) -> None:
        self.assessments: dict[str, list[ProblemBlock]] = {}  # page (vertical id) → its graded checks
        about = provenance(course)
        pages = self.write_pages(course, about)
        for page_checks in self.assessments.values():
            for block in page_checks:
                self._write_assessment(block)
        self.files.add("imsmanifest.xml", self._manifest(course, about, pages))

    def visit_ProblemBlock(self, block: ProblemBlock) -> str:
        note = _NOTES.get(self.course.language.split("-")[0], _NOTES["fr"])
        if qti.maps(block.problem):
            vertical = self.page.vertical.id
            self.assessments.setdefault(vertical, []).append(block)
            text = escape(note["assessment"].format(title=block.title))
            return f'<p class="pc-note" id="{escape(block.id)}">{text}</p>'
        return self._static_problem(block, note)

    def _static_problem(self, block: ProblemBlock, note: dict[str, str]) -> str:
        """A question the profile cannot grade: its statement, a note and the expected answer."""
        render = block.render
        parts = [f'<section class="pc-problem" id="{escape(block.id)}" aria-labelledby="{escape(block.id)}-title">',
                 f'<h2 id="{escape(block.id)}-title">{escape(block.title)}</h2>',
                 f'<p class="pc-note">{escape(note["unmapped"])}</p>']
        for question in block.problem.questions:
            parts.append(f"<p>{inline(render, question.label)}</p>")
            if question.choices:
                parts.append("<ul>" + "".join(f"<li>{inline(render, c.text)}</li>" for c in question.choices) + "</ul>")
            parts.append(f"<details><summary>{escape(note['reveal'])}</summary>"
                         f"<p>{escape(note['answer'].format(answer=_expected(question)))}</p></details>")
        if block.problem.explanation is not None:
            parts.append(render(block.problem.explanation.markdown))
        parts.append("</section>")
        return "\n".join(parts)

    def _write_assessment(self, block: ProblemBlock) -> None:
        max_attempts = int(block.settings.get("max_attempts", self.course.defaults.get("max_attempts", 0)) or 0)
        element = qti.assessment(_ident("A", block.id), block.title, block.problem, block.render, max_attempts)
        self.files.add(_assessment_file(block), xml_text(element))

    # Manifest -----------------------------------------------------------------------------------
    def _manifest(self, course: Course, about: Provenance, pages) -> str:
        manifest = etree.Element(_c("manifest"), nsmap={None: CP, "lomimscc": LOM, "xsi": XSI},
                                 identifier=_ident("M", about.identifier))
        manifest.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATIONS)
        metadata = _sub(manifest, _c("metadata"))
        _sub(metadata, _c("schema"), "IMS Common Cartridge")
        _sub(metadata, _c("schemaversion"), "1.3.0")
        metadata.append(lom(about))
        organization = _sub(_sub(manifest, _c("organizations")), _c("organization"), identifier="O_1",
                            structure="rooted-hierarchy")
        root = _sub(organization, _c("item"), identifier="O_root")
        resources = _sub(manifest, _c("resources"))
        for chapter in course.chapters:
            module = _item(root, _ident("I", chapter.id), chapter.title)
            for sequential in chapter.sequentials:
                lesson = _item(module, _ident("I", sequential.id), sequential.title)
                for page in (p for p in pages if p.sequential is sequential):
                    _item(lesson, _ident("I", page.vertical.id), page.vertical.title, _ident("R", page.vertical.id))
                    _resource(resources, _ident("R", page.vertical.id), WEBCONTENT, [page.file], SHARED_RESOURCE)
                    for block in self.assessments.get(page.vertical.id, ()):
                        _item(lesson, _ident("I", block.id), block.title, _ident("R", block.id))
                        _resource(resources, _ident("R", block.id), ASSESSMENT, [_assessment_file(block)])
        listed = {f.get("href") for f in resources.iter(_c("file"))}
        shared = [name for name in self.files.file_names() if name not in listed]
        _resource(resources, SHARED_RESOURCE, WEBCONTENT, [f for f in shared if f != "imsmanifest.xml"], href=False)
        return xml_text(manifest)


def lom(about: Provenance) -> etree._Element:
    """The cartridge's LOM (CC 1.3 manifest binding): title, language, description, contributors
    with the sources' date, and rights (licence and provenance)."""
    record = etree.Element(f"{{{LOM}}}lom")
    general = _sub(record, f"{{{LOM}}}general")
    _string(_sub(general, f"{{{LOM}}}title"), about.title, about.language)
    _sub(general, f"{{{LOM}}}language", about.language)
    _string(_sub(general, f"{{{LOM}}}description"), rights_statement(about), about.language)
    if about.authors or about.built:
        contribute = _sub(_sub(record, f"{{{LOM}}}lifeCycle"), f"{{{LOM}}}contribute")
        for author in about.authors:
            _sub(contribute, f"{{{LOM}}}entity", f"BEGIN:VCARD\nVERSION:3.0\nFN:{author}\nEND:VCARD")
        if about.built:
            _sub(_sub(contribute, f"{{{LOM}}}date"), f"{{{LOM}}}dateTime", about.built)
    rights = _sub(record, f"{{{LOM}}}rights")
    _sub(_sub(rights, f"{{{LOM}}}copyrightAndOtherRestrictions"), f"{{{LOM}}}value", "yes")
    _string(_sub(rights, f"{{{LOM}}}description"), rights_statement(about), about.language)
    return record


def _c(tag: str) -> str:
    return f"{{{CP}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    element.text = text
    return element


def _string(parent: etree._Element, text: str, language: str) -> None:
    _sub(parent, f"{{{LOM}}}string", text, language=language)


def _item(parent: etree._Element, identifier: str, title: str, ref: str | None = None) -> etree._Element:
    item = _sub(parent, _c("item"), identifier=identifier, **({"identifierref": ref} if ref else {}))
    _sub(item, _c("title"), title)
    return item


def _resource(resources: etree._Element, identifier: str, kind: str, files: list[str],
              dependency: str | None = None, href: bool = True) -> None:
    resource = _sub(resources, _c("resource"), identifier=identifier, type=kind,
                    **({"href": files[0]} if href and kind == WEBCONTENT else {}))
    for file in files:
        _sub(resource, _c("file"), href=file)
    if dependency:
        _sub(resource, _c("dependency"), identifierref=dependency)


def _ident(prefix: str, text: str) -> str:
    """An xsd:ID from a course id (ids may contain '.', which NCName allows)."""
    return f"{prefix}_" + "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


def _assessment_file(block: ProblemBlock) -> str:
    return f"{ASSESSMENTS_FOLDER}/{block.id}/assessment.xml"


def _expected(question: Question) -> str:
    if question.choices:
        return " ; ".join(c.text.markdown for c in question.choices if c.correct)
    main = question.answers[0]
    if isinstance(main, RangeAnswer):
        return f"{main.low} – {main.high}"
    return main.value + (f" ± {question.tolerance}" if question.tolerance else "")
