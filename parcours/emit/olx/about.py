"""The course « About » page (about/overview.html and friends), generated from course.yaml."""
from __future__ import annotations

from html import escape

from parcours.emit.package import LICENCE_URLS
from parcours.labels import NBSP, audience_label, colon, labels_for
from parcours.model.nodes import Course

_LABELS = {
    "fr": {"about": "À propos du cours", "modules": "Modules", "minutes": "min", "audiences": "Publics visés",
           "duration": "Durée estimée", "hours": "h", "licence": "Licence", "authors": "Conception",
           "objectives": "Objectifs"},
    "en": {"about": "About this course", "modules": "Modules", "minutes": "min", "audiences": "Audiences",
           "duration": "Estimated duration", "hours": "h", "licence": "Licence", "authors": "Authors",
           "objectives": "Objectives"},
}


def about_pages(course: Course) -> dict[str, str]:
    """File name (without .html) → content."""
    pages = {"overview": overview(course), "short_description": escape(course.short_description) + "\n"}
    if course.effort:
        pages["effort"] = escape(course.effort) + "\n"
    return pages


def overview(course: Course) -> str:
    text, sep = labels_for(_LABELS, course.language), colon(course.language)
    parts = [f'<section class="about">\n<h2>{text["about"]}</h2>\n{course.description_html}']
    facts = []
    if course.duration_hours:
        facts.append(f"<li>{text['duration']}{sep}{course.duration_hours:g}{NBSP}{text['hours']}</li>")
    if course.audiences:
        audiences = ", ".join(audience_label(audience, course.language) for audience in course.audiences)
        facts.append(f"<li>{text['audiences']}{sep}{escape(audiences)}</li>")
    if course.authors:
        facts.append(f"<li>{text['authors']}{sep}{escape(', '.join(course.authors))}</li>")
    licence = escape(course.licence)
    if course.licence in LICENCE_URLS:
        licence = f'<a href="{LICENCE_URLS[course.licence]}" rel="license">{licence}</a>'
    facts.append(f"<li>{text['licence']}{sep}{licence}</li>")
    parts.append("<ul>\n" + "\n".join(facts) + "\n</ul>\n</section>")
    modules = [f'<section class="modules">\n<h2>{text["modules"]}</h2>\n<ol>']
    for chapter in course.chapters:
        objectives = "".join(f"<li>{escape(o)}</li>" for o in chapter.objectives)
        modules.append(f"<li><h3>{escape(chapter.title)} ({chapter.duration_minutes}{NBSP}{text['minutes']})</h3>"
                       f"<p>{text['objectives']}{sep.rstrip()}</p><ul>{objectives}</ul></li>")
    modules.append("</ol>\n</section>")
    return "\n".join(parts + modules) + "\n"
