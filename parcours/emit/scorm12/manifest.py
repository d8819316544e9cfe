"""imsmanifest.xml, metadata.xml (IMS LOM 1.2.1) and the modules' launch pages of a SCORM 1.2
package.

Manifest rules (SCORM 1.2 CAM, checked with the official XSDs in tests/exports): namespaces
`imscp_rootv1p1p2` and `adlcp_rootv1p2`; `<metadata>` with schema `ADL SCORM` and schemaversion
`1.2`, the LOM record in its own file named by `adlcp:location` (so the manifest validates without
the LOM schema, which libxml2 cannot compile); one organization, one item per module pointing at
its SCO resource (`adlcp:scormtype="sco"`, launched by `href`) with `adlcp:masteryscore` when the
course has a pass mark; a shared asset resource (`scormtype="asset"`) that SCOs depend on. Every
file of the package is listed in exactly one resource, which the XSDs cannot check.
"""
from __future__ import annotations

from html import escape

from lxml import etree

from parcours.emit.package import Provenance, rights_statement
from parcours.emit.pages import PAGES_FOLDER
from parcours.model.nodes import Chapter, Course

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATIONS = (f"{IMSCP} imscp_rootv1p1p2.xsd {IMSMD} imsmd_rootv1p2p1.xsd "
                    f"{ADLCP} adlcp_rootv1p2.xsd")
SHARED_RESOURCE = "RES-shared"


def xml_text(root: etree._Element) -> str:
    etree.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode") + "\n"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    element.text = text
    return element


def manifest(course: Course, about: Provenance, package_files: list[str], mastery: float | None) -> str:
    """The manifest of a package holding `package_files` (paths; the manifest itself is left out)."""
    sco_files = {f"sco-{chapter.id}.html" for chapter in course.chapters}
    files = sorted(f for f in package_files if f != "imsmanifest.xml")
    page_files = {chapter.id: [f"{PAGES_FOLDER}/{v.id}.html" for s in chapter.sequentials for v in s.verticals]
                  for chapter in course.chapters}
    in_scos = sco_files | {f for pages in page_files.values() for f in pages}

    manifest_element = etree.Element(f"{{{IMSCP}}}manifest", nsmap={None: IMSCP, "adlcp": ADLCP, "xsi": XSI},
                                     identifier=f"MANIFEST-{_id(about.identifier)}", version="1.0")
    manifest_element.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATIONS)
    metadata_element = _sub(manifest_element, f"{{{IMSCP}}}metadata")
    _sub(metadata_element, f"{{{IMSCP}}}schema", "ADL SCORM")
    _sub(metadata_element, f"{{{IMSCP}}}schemaversion", "1.2")
    _sub(metadata_element, f"{{{ADLCP}}}location", "metadata.xml")

    organizations = _sub(manifest_element, f"{{{IMSCP}}}organizations", default="ORG")
    organization = _sub(organizations, f"{{{IMSCP}}}organization", identifier="ORG")
    _sub(organization, f"{{{IMSCP}}}title", course.title)
    for chapter in course.chapters:
        item = _sub(organization, f"{{{IMSCP}}}item", identifier=f"ITEM-{_id(chapter.id)}",
                    identifierref=f"RES-{_id(chapter.id)}", isvisible="true")
        _sub(item, f"{{{IMSCP}}}title", chapter.title)
        if mastery is not None:
            _sub(item, f"{{{ADLCP}}}masteryscore", f"{round(mastery * 100):d}")

    resources = _sub(manifest_element, f"{{{IMSCP}}}resources")
    for chapter in course.chapters:
        resource = _sub(resources, f"{{{IMSCP}}}resource", identifier=f"RES-{_id(chapter.id)}", type="webcontent",
                        href=f"sco-{chapter.id}.html")
        resource.set(f"{{{ADLCP}}}scormtype", "sco")
        for file in [f"sco-{chapter.id}.html", *page_files[chapter.id]]:
            _sub(resource, f"{{{IMSCP}}}file", href=file)
        _sub(resource, f"{{{IMSCP}}}dependency", identifierref=SHARED_RESOURCE)
    shared = _sub(resources, f"{{{IMSCP}}}resource", identifier=SHARED_RESOURCE, type="webcontent")
    shared.set(f"{{{ADLCP}}}scormtype", "asset")
    for file in (f for f in files if f not in in_scos):
        _sub(shared, f"{{{IMSCP}}}file", href=file)
    return xml_text(manifest_element)


def _id(text: str) -> str:
    """An xsd:ID (NCName) from a course id: letters, digits, '-', '_' and '.' are kept."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


def metadata(about: Provenance) -> str:
    """The package's LOM record: title, language, versions, authors and build date, rights."""
    lom = etree.Element(f"{{{IMSMD}}}lom", nsmap={None: IMSMD})
    general = _sub(lom, f"{{{IMSMD}}}general")
    _langstring(_sub(general, f"{{{IMSMD}}}title"), about.title, about.language)
    _sub(general, f"{{{IMSMD}}}language", about.language)
    lifecycle = _sub(lom, f"{{{IMSMD}}}lifecycle")
    _langstring(_sub(lifecycle, f"{{{IMSMD}}}version"), about.version, "x-none")
    for author in about.authors:
        contribute = _sub(lifecycle, f"{{{IMSMD}}}contribute")
        _vocabulary(contribute, "role", "Author")
        entity = _sub(contribute, f"{{{IMSMD}}}centity")
        _sub(entity, f"{{{IMSMD}}}vcard", f"BEGIN:VCARD\nVERSION:2.1\nFN:{author}\nEND:VCARD")
        if about.built:
            _sub(_sub(contribute, f"{{{IMSMD}}}date"), f"{{{IMSMD}}}datetime", about.built)
    rights = _sub(lom, f"{{{IMSMD}}}rights")
    _vocabulary(rights, "cost", "no")
    _vocabulary(rights, "copyrightandotherrestrictions", "yes")
    _langstring(_sub(rights, f"{{{IMSMD}}}description"), rights_statement(about), about.language)
    return xml_text(lom)


def _langstring(parent: etree._Element, text: str, language: str) -> None:
    _sub(parent, f"{{{IMSMD}}}langstring", text).set(XML_LANG, language)


def _vocabulary(parent: etree._Element, name: str, value: str) -> None:
    element = _sub(parent, f"{{{IMSMD}}}{name}")
    _langstring(_sub(element, f"{{{IMSMD}}}source"), "LOMv1.0", "x-none")
    _langstring(_sub(element, f"{{{IMSMD}}}value"), value, "x-none")


def launch_page(chapter: Chapter, language: str, config_json: str) -> str:
    """The SCO a module launches: a full-window frame for its pages, driven by assets/sco.js."""
    title = escape(chapter.title)
    return f"""<!DOCTYPE html>
<html lang="{escape(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
html, body, main {{ height: 100%; margin: 0; }}
iframe {{ border: 0; display: block; height: 100%; width: 100%; }}
</style>
<script type="application/json" id="pc-sco">{config_json}</script>
<script src="assets/parcours-state.js" defer></script>
<script src="assets/sco.js" defer></script>
</head>
<body>
<main><iframe id="pc-frame" title="{title}"></iframe></main>
</body>
</html>
"""
