"""The Common Cartridge 1.3 rules a cartridge must meet, checked on the files themselves.

No XSD of CC 1.3 is available offline (IMS publishes them on its web site only, and no package
registry ships them), so the rules below are written from the specification (IMS Common Cartridge
v1.3, "Cartridge Manifest", "Resources", "Assessment" profile) and checked by `check_files`, which
the emitter runs on every cartridge before writing it and the tests run again. Each rule has a code
and says where it comes from; a violation names the file and the element.
"""
from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

from lxml import etree

CP = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
WEBCONTENT = "webcontent"
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"
#: CC 1.3 resource types (Cartridge Manifest, "Resource types").
RESOURCE_TYPES = {WEBCONTENT, ASSESSMENT, "imsqti_xmlv1p2/imscc_xmlv1p3/question-bank", "imsdt_xmlv1p3",
                  "imswl_xmlv1p3", "imsbasiclti_xmlv1p0", "assignment_xmlv1p0"}
#: Item profiles of the CC assessment profile that we emit or accept.
ITEM_PROFILES = {"cc.multiple_choice.v0p1", "cc.multiple_response.v0p1", "cc.true_false.v0p1",
                 "cc.fib.v0p1", "cc.pattern_match.v0p1", "cc.essay.v0p1"}

RULES = {
    "CC01": "The manifest's root is <manifest> in the imsccv1p3 imscp_v1p1 namespace, with an identifier.",
    "CC02": "<metadata> says schema 'IMS Common Cartridge' and schemaversion '1.3.0'.",
    "CC03": "The manifest's LOM has a title and rights (copyrightAndOtherRestrictions and a description).",
    "CC04": "<organizations> holds exactly one <organization>, structure='rooted-hierarchy'.",
    "CC05": "The organization holds exactly one root <item>, without identifierref; all others are under it.",
    "CC06": "Identifiers are unique in the manifest.",
    "CC07": "Every identifierref (items, dependencies) names a resource.",
    "CC08": "Items that point at a resource have a title; items with children point at none.",
    "CC09": "Every resource has a type from the CC 1.3 list.",
    "CC10": "Every file a resource names exists; every file of the cartridge belongs to a resource.",
    "CC11": "A resource's href is one of its own files.",
    "CC12": "An assessment resource has exactly one file, a QTI 1.2 <questestinterop> with one <assessment>.",
    "CC13": "An assessment's cc_profile is cc.exam.v0p1; its cc_maxattempts is a number or 'unlimited'.",
    "CC14": "Every item has a cc_profile of the assessment profile and matches it: a multiple choice has "
            "response_lid Single with exactly one correct label, a multiple response response_lid "
            "Multiple, a fill-in-the-blank response_str.",
    "CC15": "Every displayfeedback names an itemfeedback of its item; every varequal names a response "
            "label of the item (choices).",
}


def _c(tag: str) -> str:
    return f"{{{CP}}}{tag}"


def check_files(files: Mapping[str, bytes | None]) -> list[str]:
    """Every violation of the cartridge made of `files` (path → bytes, None for a folder), as
    "CODE file: message"; empty when the cartridge meets every rule."""
    files = {name: data for name, data in files.items() if data is not None}
    manifest = etree.fromstring(files["imsmanifest.xml"])
    problems = list(_manifest_rules(manifest))
    resources = {r.get("identifier"): r for r in manifest.iter(_c("resource"))}
    problems += _file_rules(files, resources)
    for resource in resources.values():
        if resource.get("type") == ASSESSMENT:
            problems += _assessment_rules(files, resource)
    return problems


def check_cartridge(folder: Path) -> list[str]:
    """The same rules on a cartridge's folder."""
    return check_files({path.relative_to(folder).as_posix(): path.read_bytes()
                        for path in folder.rglob("*") if path.is_file()})


def check_archive(archive: Path) -> list[str]:
    """The same rules on an .imscc file (what partners import)."""
    with zipfile.ZipFile(archive) as bundle:
        return check_files({name: bundle.read(name) for name in bundle.namelist() if not name.endswith("/")})


def _manifest_rules(manifest: etree._Element) -> Iterator[str]:
    where = "CC{} imsmanifest.xml: "
    if manifest.tag != _c("manifest") or not manifest.get("identifier"):
        yield where.format("01") + f"root is {manifest.tag}"
    schema = manifest.findtext(f"{_c('metadata')}/{_c('schema')}")
    version = manifest.findtext(f"{_c('metadata')}/{_c('schemaversion')}")
    if (schema, version) != ("IMS Common Cartridge", "1.3.0"):
        yield where.format("02") + f"schema {schema!r} version {version!r}"
    lom = manifest.find(f"{_c('metadata')}/{{{LOM}}}lom")
    needed = ("general/title/string", "rights/copyrightAndOtherRestrictions/value", "rights/description/string")
    for path in needed:
        if lom is None or not lom.findtext("/".join(f"{{{LOM}}}{part}" for part in path.split("/"))):
            yield where.format("03") + f"LOM lacks {path}"
    organizations = manifest.findall(f"{_c('organizations')}/{_c('organization')}")
    if len(organizations) != 1 or organizations[0].get("structure") != "rooted-hierarchy":
        yield where.format("04") + f"{len(organizations)} organization(s)"
    else:
        roots = organizations[0].findall(_c("item"))
        if len(roots) != 1 or roots[0].get("identifierref"):
            yield where.format("05") + f"{len(roots)} root item(s)"
    identifiers = Counter(e.get("identifier") for e in manifest.iter() if e.get("identifier"))
    for duplicate in sorted(i for i, count in identifiers.items() if count > 1):
        yield where.format("06") + f"identifier {duplicate!r} repeated"
    resource_ids = {r.get("identifier") for r in manifest.iter(_c("resource"))}
    for element in manifest.iter(_c("item"), _c("dependency")):
        ref = element.get("identifierref")
        if ref is not None and ref not in resource_ids:
            yield where.format("07") + f"identifierref {ref!r} names no resource"
    for item in manifest.iter(_c("item")):
        if item.get("identifierref") and not item.findtext(_c("title")):
            yield where.format("08") + f"item {item.get('identifier')!r} has no title"
        if item.get("identifierref") and item.find(_c("item")) is not None:
            yield where.format("08") + f"item {item.get('identifier')!r} has children and a resource"
    for resource in manifest.iter(_c("resource")):
        if resource.get("type") not in RESOURCE_TYPES:
            yield where.format("09") + f"resource {resource.get('identifier')!r} has type {resource.get('type')!r}"


def _file_rules(present: Mapping[str, bytes], resources: dict[str, etree._Element]) -> list[str]:
    problems = []
    named: set[str] = set()
    for identifier, resource in resources.items():
        files = [f.get("href") for f in resource.findall(_c("file"))]
        named.update(files)
        problems += [f"CC10 imsmanifest.xml: {file!r} of {identifier!r} is missing" for file in files
                     if file not in present]
        if resource.get("href") and resource.get("href") not in files:
            problems.append(f"CC11 imsmanifest.xml: href of {identifier!r} is none of its files")
    problems += [f"CC10 {file}: belongs to no resource" for file in sorted(set(present) - named - {"imsmanifest.xml"})]
    return problems


def _assessment_rules(present: Mapping[str, bytes], resource: etree._Element) -> list[str]:
    files = [f.get("href") for f in resource.findall(_c("file"))]
    if len(files) != 1 or files[0] not in present:
        return [f"CC12 imsmanifest.xml: assessment {resource.get('identifier')!r} has files {files}"]
    root = etree.fromstring(present[files[0]])
    where = f"{{}} {files[0]}: "
    tests = root.findall(f"{{{QTI}}}assessment")
    if root.tag != f"{{{QTI}}}questestinterop" or len(tests) != 1:
        return [where.format("CC12") + f"root {root.tag} with {len(tests)} assessment(s)"]
    problems = []
    fields = _fields(tests[0])
    if fields.get("cc_profile") != "cc.exam.v0p1":
        problems.append(where.format("CC13") + f"cc_profile {fields.get('cc_profile')!r}")
    attempts = fields.get("cc_maxattempts", "unlimited")
    if not (attempts == "unlimited" or attempts.isdigit()):
        problems.append(where.format("CC13") + f"cc_maxattempts {attempts!r}")
    for item in tests[0].iter(f"{{{QTI}}}item"):
        problems += [where.format(code) + f"item {item.get('ident')!r}: {message}"
                     for code, message in _item_rules(item)]
    return problems


def _fields(element: etree._Element) -> dict[str, str]:
    """The qtimetadata fields directly describing `element` (not those of its items)."""
    metadata = element.find(f"{{{QTI}}}qtimetadata")
    if metadata is None:
        metadata = element.find(f"{{{QTI}}}itemmetadata/{{{QTI}}}qtimetadata")
    if metadata is None:
        return {}
    return {field.findtext(f"{{{QTI}}}fieldlabel"): field.findtext(f"{{{QTI}}}fieldentry")
            for field in metadata.findall(f"{{{QTI}}}qtimetadatafield")}


def _item_rules(item: etree._Element) -> Iterator[tuple[str, str]]:
    q = f"{{{QTI}}}"
    profile = _fields(item).get("cc_profile")
    if profile not in ITEM_PROFILES:
        yield "CC14", f"cc_profile {profile!r}"
        return
    lid = item.find(f".//{q}response_lid")
    labels = {label.get("ident") for label in item.iter(f"{q}response_label")}
    setters = [c for c in item.iter(f"{q}respcondition") if c.find(f"{q}setvar") is not None]
    if profile == "cc.multiple_choice.v0p1":
        correct = [v.text for c in setters for v in c.iter(f"{q}varequal")]
        if lid is None or lid.get("rcardinality") != "Single" or len(correct) != 1:
            yield "CC14", "a multiple choice needs response_lid Single and exactly one correct label"
    elif profile == "cc.multiple_response.v0p1" and (lid is None or lid.get("rcardinality") != "Multiple"):
        yield "CC14", "a multiple response needs response_lid Multiple"
    elif profile == "cc.fib.v0p1" and item.find(f".//{q}response_str") is None:
        yield "CC14", "a fill-in-the-blank needs response_str"
    feedback_ids = {f.get("ident") for f in item.findall(f"{q}itemfeedback")}
    for shown in item.iter(f"{q}displayfeedback"):
        if shown.get("linkrefid") not in feedback_ids:
            yield "CC15", f"displayfeedback {shown.get('linkrefid')!r} names no itemfeedback"
    if lid is not None:
        for value in item.iter(f"{q}varequal"):
            if value.text not in labels:
                yield "CC15", f"varequal {value.text!r} names no response label"
