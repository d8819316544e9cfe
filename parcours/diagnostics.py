"""Diagnostics: every problem the compiler finds is a value with a code, a severity, a place and a hint.

Stages report into a `Reporter` and carry on, so an author sees every mistake of a run at once; the
reporter decides at the gates whether the build may go on. Exceptions are kept for bugs and for the
environment (an unreadable output folder), never for bad input.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from pathlib import Path

from parcours.i18n import ENGLISH, FRENCH, _, language
from parcours.sources import Span, display_path


class Severity(IntEnum):
    NOTE = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        """In English always: it is part of the diagnostics' machine-readable form (`error[PC201]`, JSON)."""
        return self.name.lower()

    def word(self, in_language: str | None = None) -> str:
        """The label in `in_language`, by default the author's, for the documentation of the codes."""
        return _FRENCH_SEVERITIES[self] if (in_language or language()) == FRENCH else self.label


_FRENCH_SEVERITIES = {Severity.NOTE: "note", Severity.WARNING: "avertissement", Severity.ERROR: "erreur"}


@dataclass(frozen=True)
class Explanation:
    """What a code means, in one language: a one-sentence summary, then the documentation."""

    summary: str
    doc: str


class Code(Enum):
    """Every diagnostic the compiler can report. `parcours explain CODE` prints the documentation."""

    def __init__(self, code: str, severity: Severity, english: Explanation, french: Explanation) -> None:
        self.code = code
        self.severity = severity
        self.explanations = {ENGLISH: english, FRENCH: french}

    def explanation(self, in_language: str | None = None) -> Explanation:
        """In `in_language`, by default the author's (see parcours.i18n)."""
        return self.explanations[in_language or language()]

    # 1xx: reading files
    YAML_SYNTAX = ("PC101", Severity.ERROR,
                   Explanation("YAML could not be parsed.",
                               "The YAML text (a .yaml file, a front matter or a block body) is not well formed: an "
                               "unclosed quote, a bad indentation, a tab. The position is where the parser gave up; "
                               "the mistake is often just before it."),
                   Explanation("Le YAML ne peut pas être analysé.",
                               "Le texte YAML (un fichier .yaml, un préambule ou le corps d'un bloc) est mal formé : "
                               "un guillemet non fermé, une indentation incorrecte, une tabulation. La position "
                               "indiquée est celle où l'analyseur s'est arrêté ; l'erreur se trouve souvent juste "
                               "avant."))
    YAML_DUPLICATE_KEY = ("PC102", Severity.ERROR,
                          Explanation("A YAML mapping repeats a key.",
                                      "YAML would silently keep the last value. Remove or rename one of them."),
                          Explanation("Un dictionnaire YAML répète une clé.",
                                      "YAML garderait sans rien dire la dernière valeur. Supprimez ou renommez l'une "
                                      "des deux clés."))
    YAML_IMPLICIT_BOOL = ("PC103", Severity.WARNING,
                          Explanation("An unquoted yes/no/on/off.",
                                      "YAML 1.1 tools (PyYAML's safe_load, Open edX itself) read yes, no, on, off, y "
                                      "and n as booleans: `langues: [fr, no]` becomes `[fr, false]`. Parcours reads "
                                      "them as text, as YAML 1.2 does, but other tools will not: quote the value, or "
                                      "write true / false if a boolean is meant."),
                          Explanation("Un yes/no/on/off sans guillemets.",
                                      "Les outils YAML 1.1 (le safe_load de PyYAML, Open edX lui-même) lisent yes, "
                                      "no, on, off, y et n comme des booléens : `langues: [fr, no]` devient `[fr, "
                                      "false]`. Parcours les lit comme du texte, à la manière de YAML 1.2, mais les "
                                      "autres outils ne le feront pas : mettez la valeur entre guillemets, ou "
                                      "écrivez true / false si c'est un booléen que vous voulez."))
    FRONT_MATTER = ("PC104", Severity.ERROR,
                    Explanation("A front matter is not closed.",
                                "A lesson that starts with a `---` line must close its front matter with a second "
                                "`---` line."),
                    Explanation("Un préambule n'est pas fermé.",
                                "Une leçon qui commence par une ligne `---` doit fermer son préambule par une "
                                "seconde ligne `---`."))
    UNREADABLE = ("PC105", Severity.ERROR,
                  Explanation("A source file cannot be read, or is not UTF-8 text.",
                              "Save the file as UTF-8 (every editor can); the position is the first byte that is "
                              "not. A file the system refuses to read (permissions) is reported here too."),
                  Explanation("Un fichier source ne peut pas être lu, ou n'est pas du texte UTF-8.",
                              "Enregistrez le fichier en UTF-8 (tous les éditeurs le permettent) ; la position "
                              "indiquée est le premier octet qui ne l'est pas. Un fichier que le système refuse de "
                              "lire (droits d'accès) est aussi signalé ici."))
    TOO_DEEP = ("PC106", Severity.ERROR,
                Explanation("A source nests too deeply to be read.",
                            "YAML or Markdown nested hundreds of levels deep (brackets, lists, quotes) cannot be "
                            "read; no course needs it. The position is where the nested text starts."),
                Explanation("Une source est imbriquée trop profondément pour être lue.",
                            "Du YAML ou du Markdown imbriqué sur des centaines de niveaux (crochets, listes, "
                            "citations) ne peut pas être lu ; aucun cours n'en a besoin. La position indiquée est le "
                            "début du texte imbriqué."))
    # 2xx: the shape of the sources
    SCHEMA = ("PC201", Severity.ERROR,
              Explanation("A value does not match the schema.",
                          "Each YAML file and front matter is checked against its JSON Schema in schemas/. The "
                          "message says which rule failed; the schema's description of the field says what is "
                          "expected."),
              Explanation("Une valeur ne respecte pas le schéma.",
                          "Chaque fichier YAML et chaque préambule est vérifié selon son schéma JSON, dans schemas/. "
                          "Le message indique la règle non respectée ; la description du champ dans le schéma "
                          "précise ce qui est attendu."))
    UNKNOWN_BLOCK = ("PC202", Severity.ERROR,
                     Explanation("A `:::{name}` directive names no known block.",
                                 "The directives are `problem` and the custom blocks installed in this environment "
                                 "(entry points of the group `parcours.blocks`)."),
                     Explanation("Une directive `:::{name}` ne nomme aucun bloc connu.",
                                 "Les directives possibles sont `problem` et les blocs personnalisés installés dans "
                                 "cet environnement (points d'entrée du groupe `parcours.blocks`)."))
    DIRECTIVE_SYNTAX = ("PC203", Severity.ERROR,
                        Explanation("A `:::` directive is malformed.",
                                    "A directive opens with `:::{name} id` on a line of its own, may continue with "
                                    "`:option: value` lines and closes with a `:::` line."),
                        Explanation("Une directive `:::` est mal formée.",
                                    "Une directive s'ouvre par `:::{name} id` sur une ligne à part, peut se "
                                    "poursuivre par des lignes `:option: value` et se ferme par une ligne `:::`."))
    PAGE_ID = ("PC204", Severity.ERROR,
               Explanation("A page heading has no id.",
                           "Each level-2 heading starts a page (an Open edX unit) and must carry a stable id, `## "
                           "Title {#my-id}`, so that retitling or moving it never renames the unit."),
               Explanation("Un titre de page n'a pas d'identifiant.",
                           "Chaque titre de niveau 2 commence une page (une unité Open edX) et doit porter un "
                           "identifiant stable, `## Title {#my-id}`, pour que changer son titre ou le déplacer ne "
                           "renomme jamais l'unité."))
    BAD_ID = ("PC205", Severity.ERROR,
              Explanation("An id is not one Open edX accepts.",
                          "Ids become Open edX url_names: letters, digits, `-`, `_` and `.` only, starting with a "
                          "letter or digit, 200 characters at most (the package names files after them)."),
              Explanation("Un identifiant n'est pas de ceux qu'accepte Open edX.",
                          "Les identifiants deviennent des url_name Open edX : lettres, chiffres, `-`, `_` et `.` "
                          "seulement, en commençant par une lettre ou un chiffre, 200 caractères au plus (le paquet "
                          "nomme des fichiers d'après eux)."))
    # 3xx: references between files
    DUPLICATE_ID = ("PC301", Severity.ERROR,
                    Explanation("Two things share an id.",
                                "Open edX keys learner state by id (url_name); a duplicate would be renamed with a "
                                "hash on import and lose that state."),
                    Explanation("Deux éléments ont le même identifiant.",
                                "Open edX rattache l'état des apprenants à l'identifiant (url_name) ; un doublon "
                                "serait renommé avec un hachage à l'importation et perdrait cet état."))
    MISSING_FILE = ("PC302", Severity.ERROR,
                    Explanation("A module or unit is listed but its file is missing.",
                                "course.yaml lists module folders and module.yaml lists unit files, relative to the "
                                "file that lists them."),
                    Explanation("Un module ou une unité est listé, mais son fichier est introuvable.",
                                "course.yaml liste des dossiers de modules et module.yaml, des fichiers d'unités, "
                                "relativement au fichier qui les liste."))
    MISSING_ASSET = ("PC303", Severity.ERROR,
                     Explanation("An image or link target does not exist.",
                                 "Relative links and images are resolved from the Markdown or YAML file that "
                                 "contains them, and published under /static/."),
                     Explanation("Une image ou la cible d'un lien n'existe pas.",
                                 "Les liens et les images relatifs sont résolus à partir du fichier Markdown ou YAML "
                                 "qui les contient, puis publiés sous /static/."))
    ASSET_OUTSIDE = ("PC304", Severity.ERROR,
                     Explanation("A path leaves the course folder.",
                                 "A course is self-contained: every file it uses must sit inside its folder so the "
                                 "package carries it."),
                     Explanation("Un chemin sort du dossier du cours.",
                                 "Un cours est autonome : chaque fichier qu'il utilise doit se trouver dans son "
                                 "dossier pour que le paquet l'emporte."))
    BROKEN_REF = ("PC306", Severity.ERROR,
                  Explanation("A block links to a module or unit the course lacks.",
                              "A custom block may point at course content by id (a self-assessment recommends "
                              "modules by their `id`). The id must be one of the course's: a module id, or a "
                              "qualified id such as `donnees.qualite`."),
                  Explanation("Un bloc renvoie à un module ou à une unité que le cours n'a pas.",
                              "Un bloc personnalisé peut désigner du contenu du cours par son identifiant (une "
                              "autoévaluation recommande des modules par leur `id`). L'identifiant doit être l'un de "
                              "ceux du cours : un identifiant de module, ou un identifiant qualifié comme "
                              "`donnees.qualite`."))
    REMOTE_IMAGE = ("PC307", Severity.WARNING,
                    Explanation("An image is not a file of the course.",
                                "An image given by a web address or an absolute path is not published with the "
                                "course: a SCORM or Common Cartridge package, which must work offline, shows "
                                "nothing, and the LMS shows it only while that site serves it. Copy the image into "
                                "the course folder (check its licence) and link it with a relative path."),
                    Explanation("Une image n'est pas un fichier du cours.",
                                "Une image donnée par une adresse Web ou un chemin absolu n'est pas publiée avec le "
                                "cours : un paquet SCORM ou Common Cartridge, qui doit fonctionner hors ligne, "
                                "n'affiche rien, et la plateforme ne l'affiche que tant que le site d'origine la "
                                "sert. Copiez l'image dans le dossier du cours (vérifiez sa licence) et liez-la par "
                                "un chemin relatif."))
    UNUSED_FILE = ("PC305", Severity.WARNING,
                   Explanation("A Markdown or YAML file is not listed anywhere.",
                               "The file sits in a module folder but no module.yaml lists it, so it is not built. "
                               "List it under `units:` or delete it. A hidden file (its name starts with a dot) is "
                               "left aside."),
                   Explanation("Un fichier Markdown ou YAML n'est listé nulle part.",
                               "Le fichier se trouve dans un dossier de module, mais aucun module.yaml ne le liste : "
                               "il n'est donc pas compilé. Ajoutez-le sous `units:` ou supprimez-le. Un fichier "
                               "caché (dont le nom commence par un point) est laissé de côté."))
    # 4xx: grading and dates
    GRADER_TYPE = ("PC401", Severity.ERROR,
                   Explanation("A graded unit's type is not in the grading policy.",
                               "`graded: <type>` must name one of `grading.graders[].type` in course.yaml, otherwise "
                               "Open edX silently leaves the unit out of the grade."),
                   Explanation("Le type d'une unité notée ne figure pas dans la politique de notation.",
                               "`graded: <type>` doit nommer l'un des `grading.graders[].type` de course.yaml ; "
                               "sinon, Open edX exclut l'unité de la note sans prévenir."))
    GRADER_WEIGHTS = ("PC402", Severity.ERROR,
                      Explanation("The grader weights do not add up to 1.",
                                  "The weights of `grading.graders` are shares of the final grade."),
                      Explanation("La somme des pondérations n'est pas égale à 1.",
                                  "Les pondérations de `grading.graders` sont des parts de la note finale."))
    DATES = ("PC403", Severity.ERROR,
             Explanation("Dates are inconsistent.",
                         "The course must end after it starts, and every due date must fall within the course."),
             Explanation("Les dates sont incohérentes.",
                         "Le cours doit se terminer après son début, et chaque date d'échéance doit tomber pendant "
                         "le cours."))
    GRADER_DROP = ("PC405", Severity.ERROR,
                   Explanation("A grader drops every assignment it counts.",
                               "`drop_count` lowest scores are left out of `min_count` assignments: with as many "
                               "dropped as counted (or more), that share of the grade can only be zero."),
                   Explanation("Une catégorie de notation écarte tous les travaux qu'elle compte.",
                               "Les `drop_count` plus basses notes sont écartées des `min_count` travaux : si on en "
                               "écarte autant qu'on en compte (ou plus), cette part de la note ne peut valoir que "
                               "zéro."))
    UNGRADED_TYPE = ("PC404", Severity.WARNING,
                     Explanation("A grader type is used by no unit.",
                                 "A grader with `min_count` greater than 0 and no graded unit counts zeros in every "
                                 "learner's grade."),
                     Explanation("Aucune unité n'utilise un type de notation.",
                                 "Une catégorie de notation dont le `min_count` est supérieur à 0, sans unité notée, "
                                 "compte des zéros dans la note de chaque apprenant."))
    # 5xx: learner state
    ID_REMOVED = ("PC501", Severity.WARNING,
                  Explanation("An id of the previous build disappeared.",
                              "The previous build's ids.lock.json lists an id that no longer exists. If the course "
                              "already ran, learners' answers and progress keyed by it are orphaned. Keep the id, or "
                              "accept the loss and rebuild."),
                  Explanation("Un identifiant de la compilation précédente a disparu.",
                              "Le fichier ids.lock.json de la compilation précédente liste un identifiant qui "
                              "n'existe plus. Si le cours a déjà été donné, les réponses et la progression des "
                              "apprenants qui y sont rattachées deviennent orphelines. Conservez l'identifiant, ou "
                              "acceptez cette perte et recompilez."))
    # 6xx: knowledge checks
    QUIZ_SYNTAX = ("PC601", Severity.ERROR,
                   Explanation("A problem's text cannot be read.",
                               "Problems use the Open edX Markdown problem syntax inside a `:::{problem} id` "
                               "directive; see docs/ for each question type."),
                   Explanation("Le texte d'un problème ne peut pas être lu.",
                               "Les problèmes suivent la syntaxe Markdown des problèmes Open edX, dans une directive "
                               "`:::{problem} id` ; voyez docs/ pour chaque type de question."))
    QUIZ_NO_CORRECT = ("PC602", Severity.ERROR,
                       Explanation("A question has no correct answer.",
                                   "Mark at least one choice as correct: `(x)` for single choice, `[x]` for multiple "
                                   "choice, `(option)` inside `[[ ]]` for a dropdown, `= answer` for text and "
                                   "numeric input."),
                       Explanation("Une question n'a aucune bonne réponse.",
                                   "Marquez au moins un choix comme bon : `(x)` pour un choix unique, `[x]` pour un "
                                   "choix multiple, `(option)` dans `[[ ]]` pour une liste déroulante, `= answer` "
                                   "pour une réponse texte ou numérique."))
    QUIZ_SINGLE = ("PC603", Severity.ERROR,
                   Explanation("A single-choice question has several correct answers.",
                               "Use `[x]` checkboxes for a question with several correct answers."),
                   Explanation("Une question à choix unique a plusieurs bonnes réponses.",
                               "Utilisez des cases à cocher `[x]` pour une question qui a plusieurs bonnes réponses."))
    # 7xx: custom blocks
    BLOCK_INVALID = ("PC701", Severity.ERROR,
                     Explanation("A custom block's data breaks one of its rules.",
                                 "Besides its schema, each block checks its own rules (for example a case study's "
                                 "branching graph: no dangling `next`, no unreachable step, no cycle without an "
                                 "exit)."),
                     Explanation("Les données d'un bloc personnalisé enfreignent l'une de ses règles.",
                                 "En plus de son schéma, chaque bloc vérifie ses propres règles (par exemple, le "
                                 "graphe d'embranchements d'une étude de cas : aucun `next` sans destination, aucune "
                                 "étape inatteignable, aucune boucle sans sortie)."))

    # 8xx: French typography (only in courses whose language is French; `parcours fix` applies them)
    TYPO_COLON = ("PC801", Severity.WARNING,
                  Explanation("A colon lacks its no-break space.",
                              "French typography puts a space before the colon, and it must not break: with an "
                              "ordinary space the colon can start a line on its own, with no space it reads as "
                              "English. Write U+00A0 (no-break space) before `:` (U+202F is accepted too). Only "
                              "prose is checked: code, URLs, link targets, HTML, ids and dates are left alone."),
                  Explanation("Il manque l'espace insécable avant un deux-points.",
                              "La typographie française met une espace avant le deux-points, et cette espace ne doit "
                              "pas se couper : avec une espace ordinaire, le deux-points peut se retrouver seul au "
                              "début d'une ligne ; sans espace, le texte a l'air anglais. Écrivez U+00A0 (espace "
                              "insécable) avant `:` (U+202F est aussi accepté). Seule la prose est vérifiée : le "
                              "code, les adresses, les cibles de liens, le HTML, les identifiants et les dates sont "
                              "laissés tels quels."))
    TYPO_PUNCTUATION = ("PC802", Severity.WARNING,
                        Explanation("An ordinary space before `;`, `!` or `?`.",
                                    "An ordinary space lets `;`, `!` or `?` wrap to the next line alone. The OQLF "
                                    "accepts a narrow no-break space (U+202F) or no space at all before them; U+00A0 "
                                    "is accepted too. The fix writes U+202F."),
                        Explanation("Une espace ordinaire avant `;`, `!` ou `?`.",
                                    "Une espace ordinaire laisse `;`, `!` ou `?` passer seul à la ligne suivante. "
                                    "L'OQLF accepte devant ces signes une espace fine insécable (U+202F) ou aucune "
                                    "espace ; U+00A0 est aussi accepté. La correction écrit U+202F."))
    TYPO_GUILLEMETS = ("PC803", Severity.WARNING,
                       Explanation("Guillemets lack their no-break spaces.",
                                   "The text inside « » is separated from the guillemets by no-break spaces (U+00A0, "
                                   "or U+202F), never by an ordinary space or by nothing: `« texte »`. A guillemet "
                                   "at the end or start of a source line is left alone."),
                       Explanation("Il manque les espaces insécables des guillemets.",
                                   "Le texte entre guillemets français en est séparé par des espaces insécables "
                                   "(U+00A0, ou U+202F), jamais par une espace ordinaire ni par rien du tout : "
                                   "`« texte »`. Un guillemet placé au début ou à la fin d'une ligne source est "
                                   "laissé tel quel."))
    TYPO_STRAIGHT_QUOTES = ("PC804", Severity.WARNING,
                            Explanation("Straight double quotes in French text.",
                                        "French text quotes with guillemets: `\"texte\"` becomes `« texte »` with "
                                        "no-break spaces inside. Quotes in code, HTML attributes and link titles are "
                                        "not checked."),
                            Explanation("Des guillemets droits dans un texte français.",
                                        "Un texte français cite avec des guillemets français : `\"texte\"` devient "
                                        "`« texte »`, avec des espaces insécables à l'intérieur. Les guillemets dans "
                                        "le code, les attributs HTML et les titres de liens ne sont pas vérifiés."))
    TYPO_ELLIPSIS = ("PC805", Severity.WARNING,
                     Explanation("Three dots instead of an ellipsis.",
                                 "Write the ellipsis character `…` (U+2026), which keeps its dots together and "
                                 "spaced as one sign."),
                     Explanation("Trois points au lieu de points de suspension.",
                                 "Écrivez le caractère `…` (U+2026), qui garde ses points ensemble et espacés comme "
                                 "un seul signe."))
    # 9xx: accessibility of content (Markdown lessons; WCAG 2.1 success criteria in brackets)
    IMAGE_ALT = ("PC901", Severity.ERROR,
                 Explanation("An image has no text alternative.",
                             "`![](image.png)` or an `<img>` without `alt` leaves screen-reader users with a file "
                             "name or nothing [1.1.1, level A], so it stops the build. Describe what the image shows "
                             "or teaches: `![Cycle de vie des données en quatre étapes](image.png)`. A purely "
                             "decorative image takes an explicit empty alternative: `<img src=\"…\" alt=\"\">`."),
                 Explanation("Une image n'a pas d'équivalent textuel.",
                             "`![](image.png)` ou une balise `<img>` sans `alt` ne laisse aux utilisateurs de "
                             "lecteurs d'écran qu'un nom de fichier, ou rien du tout [1.1.1, niveau A] ; la "
                             "compilation s'arrête donc. Décrivez ce que l'image montre ou enseigne : `![Cycle de "
                             "vie des données en quatre étapes](image.png)`. Une image purement décorative reçoit un "
                             "équivalent vide explicite : `<img src=\"…\" alt=\"\">`."))
    HEADING_LEVEL = ("PC902", Severity.WARNING,
                     Explanation("A heading skips a level.",
                                 "Screen-reader users navigate a page by its heading outline [1.3.1, 2.4.6]. Each "
                                 "`## Title {#id}` starts a page (a level-2 heading), so the page's sections are "
                                 "`###`, their subsections `####`, and so on without skipping a level; a level-1 `#` "
                                 "inside a lesson would compete with the course title. A warning: the page stays "
                                 "usable, but its outline is wrong."),
                     Explanation("Un titre saute un niveau.",
                                 "Les utilisateurs de lecteurs d'écran parcourent une page par la hiérarchie de ses "
                                 "titres [1.3.1, 2.4.6]. Chaque `## Title {#id}` commence une page (un titre de "
                                 "niveau 2) : les sections de la page sont donc des `###`, leurs sous-sections des "
                                 "`####`, et ainsi de suite sans sauter de niveau ; un titre `#` de niveau 1 dans "
                                 "une leçon ferait concurrence au titre du cours. C'est un avertissement : la page "
                                 "reste utilisable, mais sa hiérarchie est fausse."))
    LINK_TEXT = ("PC903", Severity.WARNING,
                 Explanation("A link's text does not say where it goes.",
                             "Links are often read out of context, in a list of the page's links [2.4.4]. Texts such "
                             "as « ici », « cliquez ici », « lien », « en savoir plus », an address as text or no "
                             "text at all tell nothing: name the destination, `[la Loi 25 "
                             "(LégisQuébec)](https://…)`. A warning, because the surrounding sentence sometimes "
                             "gives the context the criterion allows."),
                 Explanation("Le texte d'un lien ne dit pas où il mène.",
                             "Les liens sont souvent lus hors contexte, dans la liste des liens de la page [2.4.4]. "
                             "Des textes comme « ici », « cliquez ici », « lien », « en savoir plus », une adresse "
                             "en guise de texte ou l'absence de texte n'apprennent rien : nommez la destination, "
                             "`[la Loi 25 (LégisQuébec)](https://…)`. C'est un avertissement, parce que la phrase "
                             "autour donne parfois le contexte que le critère permet."))
    TABLE_HEADER = ("PC904", Severity.ERROR,
                    Explanation("A table has no header row.",
                                "A data table needs header cells so that each value is announced with its column "
                                "[1.3.1, level A]. A Markdown table whose first row is empty (written only to get a "
                                "table without headers), or an HTML `<table>` without `<th>`, stops the build: give "
                                "each column a name."),
                    Explanation("Un tableau n'a pas de ligne d'en-tête.",
                                "Un tableau de données a besoin de cellules d'en-tête pour que chaque valeur soit "
                                "annoncée avec sa colonne [1.3.1, niveau A]. Un tableau Markdown dont la première "
                                "ligne est vide (écrite seulement pour obtenir un tableau sans en-têtes), ou un "
                                "`<table>` HTML sans `<th>`, arrête la compilation : donnez un nom à chaque colonne."))

    @classmethod
    def lookup(cls, code: str) -> Code | None:
        return next((member for member in cls if member.code == code.upper()), None)


@dataclass(frozen=True)
class Diagnostic:
    code: Code
    message: str
    span: Span | None = None
    hint: str | None = None
    related: tuple[Span, ...] = ()
    severity: Severity | None = None  # None: the code's own severity

    @property
    def level(self) -> Severity:
        return self.code.severity if self.severity is None else self.severity

    def sort_key(self) -> tuple:
        span = self.span or Span(Path(""), 0, 0)
        return (str(span.file), span.line, span.column, self.code.code, self.message)


@dataclass
class Reporter:
    """Collects diagnostics; `ignore` silences codes, `strict` turns warnings into failures."""

    ignore: frozenset[str] = frozenset()
    strict: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    found: int = 0  # every diagnostic emitted, silenced ones too: what was made meanwhile is not reused

    def emit(self, diagnostic: Diagnostic) -> None:
        self.found += 1
        if diagnostic.code.code not in self.ignore:
            self.diagnostics.append(diagnostic)

    def error(self, code: Code, message: str, span: Span | None = None, hint: str | None = None,
              related: Iterable[Span] = ()) -> None:
        self.emit(Diagnostic(code, message, span, hint, tuple(related)))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.emit(diagnostic)

    def counts(self) -> Counter[Severity]:
        return Counter(d.level for d in self.diagnostics)

    @property
    def failed(self) -> bool:
        counts = self.counts()
        return counts[Severity.ERROR] > 0 or (self.strict and counts[Severity.WARNING] > 0)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=Diagnostic.sort_key)


def format_text(diagnostic: Diagnostic, sources: dict[Path, str] | None = None, root: Path | None = None) -> str:
    """`path:line:col: error[PC201]: message`, the source line with a caret, then the hint."""
    where = f"{diagnostic.span.display(root)}: " if diagnostic.span else ""
    lines = [f"{where}{diagnostic.level.label}[{diagnostic.code.code}]: {diagnostic.message}"]
    excerpt = _excerpt(diagnostic.span, sources or {})
    if excerpt:
        lines.extend(excerpt)
    lines.extend(_("  = note: first here: {place}").format(place=span.display(root)) for span in diagnostic.related)
    if diagnostic.hint:
        lines.append(_("  = hint: {hint}").format(hint=diagnostic.hint))
    return "\n".join(lines)


def _excerpt(span: Span | None, sources: dict[Path, str]) -> list[str]:
    text = sources.get(span.file) if span else None
    if text is None:
        return []
    source_lines = text.split("\n")
    if not 0 < span.line <= len(source_lines):
        return []
    gutter = str(span.line)
    return [f"  {gutter} | {source_lines[span.line - 1]}",
            f"  {' ' * len(gutter)} | {' ' * (span.column - 1)}^"]


def format_json(diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    return json.dumps({
        "code": diagnostic.code.code,
        "severity": diagnostic.level.label,
        "file": display_path(span.file) if span else None,
        "line": span.line if span else None,
        "column": span.column if span else None,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }, ensure_ascii=False, sort_keys=True)


def format_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, shown as an annotation on the pull request."""
    command = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(diagnostic.level, "notice")
    span = diagnostic.span
    properties = [f"file={display_path(span.file)}", f"line={span.line}", f"col={span.column}"] if span else []
    properties.append(f"title={diagnostic.code.code}")
    text = diagnostic.message + (f" — {diagnostic.hint}" if diagnostic.hint else "")
    return (f"::{command} " + ",".join(_github_escape(p, property=True) for p in properties)
            + f"::[{diagnostic.code.code}] {_github_escape(text)}")


def _github_escape(text: str, *, property: bool = False) -> str:
    """GitHub's escaping of workflow commands; in a property value, also `:` and `,` (not in `key=`)."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property:
        key, _equals, value = escaped.partition("=")  # not `_`: that is the translation function
        return f"{key}={value.replace(':', '%3A').replace(',', '%2C')}"
    return escaped


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}


def summary(reporter: Reporter) -> str:
    counts = reporter.counts()
    return _("{errors} error(s), {warnings} warning(s)").format(errors=counts[Severity.ERROR],
                                                                 warnings=counts[Severity.WARNING])


def codes_markdown() -> str:
    """docs/diagnostics.md, generated from the codes themselves so the two never disagree."""
    lines = ["# Codes de diagnostic / Diagnostic codes", "",
             "Généré par `make docs` à partir de `parcours/diagnostics.py` ; chaque code y est décrit en "
             "français, puis en anglais. `parcours explain CODE` affiche la même chose dans la langue de "
             "l'environnement. / Generated by `make docs` from `parcours/diagnostics.py`; each code is described "
             "in French, then in English. `parcours explain CODE` prints the same in the environment's language.",
             ""]
    for code in Code:
        french, english = code.explanation(FRENCH), code.explanation(ENGLISH)
        lines += [f"## {code.code} — {french.summary}", "",
                  f"*{code.severity.word(FRENCH)} / {code.severity.label}* · `{code.name}`", "",
                  french.doc, "", f"**{english.summary}** {english.doc}", ""]
    return "\n".join(lines)
