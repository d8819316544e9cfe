"""French typography of prose: no-break spaces before « : ; ! ? » and inside guillemets, guillemets
rather than straight quotes, the ellipsis character.

Every finding carries its replacement, so the same rules report (`parcours validate`) and repair
(`parcours fix`). Spaces follow the OQLF: U+00A0 before the colon and inside « », U+202F (or none)
before ; ! ?. Only an ordinary, breaking space or a missing one is flagged: both no-break spaces
are accepted everywhere, so fixed text never changes again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from parcours.diagnostics import Code, Diagnostic
from parcours.i18n import N_, _
from parcours.lint.regions import prose_view, span_at

NBSP, NNBSP = "\u00a0", "\u202f"
_SPACE_NAMES = {NBSP: N_("no-break space"), NNBSP: N_("narrow no-break space")}
_MAX_PASSES = 4  # overlapping findings (a « ? » inside straight quotes) are fixed on a later pass


@dataclass(frozen=True, slots=True)
class _Rule:
    code: Code
    pattern: re.Pattern[str]  # searched in the prose view; `mark` names the punctuation concerned
    message: str  # marked with N_(), translated when a finding is made
    fixed: str  # the replacement of the match: `{mark}` and `{inner}` from the source text


# Each pattern opens with the characters it replaces, which the regex engine jumps to; what must come before
# them is checked by a look-behind after them (a pattern opening with a look-behind is tried at every character).
_RULES = (
    _Rule(Code.TYPO_COLON, re.compile(r" (?P<mark>:)(?<=\S :)"), N_("ordinary space before ':'"), NBSP + ":"),
    _Rule(Code.TYPO_COLON, re.compile(r"(?P<mark>:)(?<=[^\W_]:)(?=[ \t\n]|\Z)"), N_("no space before ':'"),
          NBSP + ":"),
    _Rule(Code.TYPO_PUNCTUATION, re.compile(r" (?P<mark>[;!?])(?<=\S [;!?])"), N_("ordinary space before '{mark}'"),
          NNBSP + "{mark}"),
    _Rule(Code.TYPO_GUILLEMETS, re.compile(r"« (?=\S)"), N_("ordinary space after '«'"), "«" + NBSP),
    _Rule(Code.TYPO_GUILLEMETS, re.compile(f"«(?=[^\\s{NBSP}{NNBSP}])"), N_("no space after '«'"), "«" + NBSP),
    _Rule(Code.TYPO_GUILLEMETS, re.compile(r" »(?<=\S »)"), N_("ordinary space before '»'"), NBSP + "»"),
    _Rule(Code.TYPO_GUILLEMETS, re.compile(f"»(?<=[^\\s{NBSP}{NNBSP}]»)"), N_("no space before '»'"), NBSP + "»"),
    _Rule(Code.TYPO_STRAIGHT_QUOTES, re.compile(r'"(?P<inner>[^"\n]+)"'), N_("straight quotes instead of « »"),
          "«" + NBSP + "{inner}" + NBSP + "»"),
    _Rule(Code.TYPO_ELLIPSIS, re.compile(r"\.\.\.(?<!\.\.\.\.)(?!\.)"), N_("'...' instead of the ellipsis '…'"), "…"),
)


@dataclass(frozen=True, slots=True)
class Finding:
    code: Code
    start: int
    end: int
    replacement: str
    message: str

    def diagnostic(self, path: Path, text: str) -> Diagnostic:
        """The finding at its line and column in `text`, with its fix as the hint."""
        return Diagnostic(self.code, self.message, span_at(path, text, self.start), self.hint(text))

    def hint(self, text: str) -> str:
        names = [f"{_escaped(space)} = {_(name)}" for space, name in _SPACE_NAMES.items() if space in self.replacement]
        return _("replace {old} with {new}{spaces}; `parcours fix` does it").format(
            old=_visible(text[self.start:self.end]), new=_visible(self.replacement),
            spaces=f" ({', '.join(names)})" if names else "")


def findings(path: Path, text: str) -> list[Finding]:
    """Every typography finding in the prose of a source file, in text order."""
    view = prose_view(path, text)
    found = [_finding(rule, match, text) for rule in _RULES for match in rule.pattern.finditer(view)]
    return sorted(found, key=lambda finding: (finding.start, finding.code.code))


def fix_text(path: Path, text: str) -> tuple[str, list[Diagnostic]]:
    """The text with every finding fixed, and what was fixed (each placed in the text it was fixed in)."""
    applied: list[Diagnostic] = []
    for _pass in range(_MAX_PASSES):
        chosen = _non_overlapping(findings(path, text))
        if not chosen:
            break
        applied += [finding.diagnostic(path, text) for finding in chosen]
        text = _apply(text, chosen)
    return text, applied


def _finding(rule: _Rule, match: re.Match[str], text: str) -> Finding:
    """The rule's finding: the view locates it, its groups are read from the source text at the same offsets."""
    groups = {name: text[match.start(name):match.end(name)].strip(" ") for name in match.groupdict()}
    return Finding(rule.code, match.start(), match.end(), rule.fixed.format(**groups),
                   _(rule.message).format(**groups))


def _non_overlapping(found: list[Finding]) -> list[Finding]:
    chosen: list[Finding] = []
    for finding in found:
        if not chosen or finding.start >= chosen[-1].end:
            chosen.append(finding)
    return chosen


def _apply(text: str, chosen: list[Finding]) -> str:
    pieces, position = [], 0
    for finding in chosen:
        pieces += [text[position:finding.start], finding.replacement]
        position = finding.end
    return "".join([*pieces, text[position:]])


def _escaped(space: str) -> str:
    return f"\\u{ord(space):04x}"


def _visible(snippet: str) -> str:
    for space in _SPACE_NAMES:
        snippet = snippet.replace(space, _escaped(space))
    return f"'{snippet}'"
