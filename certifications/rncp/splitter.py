"""Turn the free HTML or text of an RNCP fiche into plain lines, and propose compétences.

Pure functions, no Django. ``split_competencies`` is a proposal the certifier corrects in the
editor; the raw text stays on the bloc. The rules, in order (docs/rncp-import.md):

1. HTML: block tags (``<p>``, ``<br>``, ``<li>``, ``<div>``, ``<tr>``, headings…) end a line, other
   tags are dropped, entities are decoded, non-breaking and odd spaces become plain spaces.
   Curly quotes and apostrophes are kept as written: they are part of the official text.
2. A line holding several items is cut on inline bullets (" • "), before each code when the
   line starts with a code ("C1.1 … C1.2 …"), and on semicolons when every part reads as an
   item of its own (starts with a capital, a verb in the infinitive or a code; 2 words or more).
3. Each item loses its bullet (- • · ▪ ➢ …) and its numbering ("1 -", "1.", "1)", "a)", "II -");
   a leading or trailing code ("C1.1", "C2.B1", "C1-1.1", "(C3.2)") is kept apart as the code.
   A code alone on its line is given to the next item. Multi-level numbers ("1.2") are codes.
4. A line ending with ":" heads the items after it (their ``group``), unless it is a generic
   introduction ("Le titulaire est capable de :"), which is dropped. Trailing ";" and "," go.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Tags after which a new line starts (closing or opening: <p>…</p><p>…</p>, <br>, <li>…).
_BLOCK_TAGS = "address|article|blockquote|br|dd|div|dl|dt|h[1-6]|hr|li|ol|p|pre|section|table|tbody|td|th|thead|tr|ul"
_BLOCK_TAG_RE = re.compile(rf"<\s*/?\s*(?:{_BLOCK_TAGS})\b[^>]*>", re.IGNORECASE)
_ANY_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9:-]*\b[^>]*>|<!--.*?-->", re.DOTALL)
# Spaces that word processors and the register's editor leave in texts.
_SPACE_TRANSLATION = str.maketrans(
    {
        "\xa0": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\t": " ",
        "\u200b": "",
        "\xad": "",
        "\ufeff": "",
        "\u2028": "\n",
        "\u2029": "\n",
        "\r": "\n",
    }
)
_ODD_CHARS_RE = re.compile("[\xa0\u202f\u2007\u2009\u200a\t\u200b\xad\ufeff\u2028\u2029\r]")

_BULLETS = "-–—•·▪▫◦‣⁃●○■□►▸▹➢➤➔→✓✔*+"
_BULLET = rf"[{re.escape(_BULLETS)}]+\s*|o\s+(?=[A-ZÀ-Ý])"
# "1 -", "1- ", "1.", "1)", "1°", "a)", "II -"; a dash must touch a space ("E-commerce" stays).
_NUMBERING = r"\(?(?:\d{1,2}|[a-zA-Z]|[IVX]{1,4})(?:\s*[)°]|\.(?!\d)|\s*[-–—/]\s)\s*(?=\S)"
_BULLET_RE = re.compile(rf"^(?:{_BULLET})")
_MARKS_RE = re.compile(rf"^\s*(?:(?:{_BULLET})|(?:{_NUMBERING}))+")  # any mix: "- 1. Analyser"
_INLINE_BULLET_RE = re.compile(r"\s+[•·▪▫◦‣⁃●■►▸➢➤✓✔]\s+")
_LEADING_PUNCTUATION_RE = re.compile(r"^[:\-–—]\s*")
# Compétence codes: C1, C1.1, C2.B1, C1-1.1, C 1-2a, CP3, CC2.1. A space after "C" is allowed
# only before a digit ("C 1-2a"); "CAP 2" is not a code.
_CODE = r"(?:C[A-Z]{0,2}\d+|C\s\d+)(?:[.\-][A-Z]{0,2}\d+[a-z]?)*[a-z]?|\d{1,2}(?:\.\d{1,2})+"
_LEADING_CODE_RE = re.compile(rf"^[(\[]?(?P<code>{_CODE})[)\]]?(?:\s*[:\-–—.)]\s*|\s+|$)")
_TRAILING_CODE_RE = re.compile(rf"\s*[(\[](?P<code>{_CODE})[)\]]\s*[.;,]?$")
# A code inside a line, followed by a capitalised text: where a flattened list can be cut.
_INLINE_CODE_RE = re.compile(rf"(?<=\s)[(\[]?(?P<code>{_CODE})[)\]]?(?=(?:\s*[:\-–—.)]\s*|\s+)[A-ZÀ-Ý])")
_INTRO_RE = re.compile(
    r"(capables?\s+de|en\s+mesure\s+de|capacités?\s+à|compétences?\s+(suivantes|attestées|visées)"
    r"|^(liste\s+des\s+)?compétences?)\s*:$",
    re.IGNORECASE,
)
_CONJUNCTIONS = {"et", "ou", "mais", "donc", "or", "ni", "car", "puis", "dont", "notamment", "ainsi"}
_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class ProposedCompetency:
    text: str
    code: str = ""
    group: str = ""


def _tidy(text: str) -> str:
    return " ".join(text.split())


def html_to_lines(raw: str) -> list[str]:
    """The non-empty lines of an HTML or plain text, entities decoded, spaces normalised."""
    if not raw:
        return []
    if "<" not in raw and "&lt;" in raw:
        raw = html.unescape(raw)  # HTML escaped twice by the producer: one more pass shows the tags
    text = _BLOCK_TAG_RE.sub("\n", raw)
    text = _ANY_TAG_RE.sub("", text)
    text = html.unescape(text)
    if _ODD_CHARS_RE.search(text):  # translate() is slow: most texts need none of it
        text = text.translate(_SPACE_TRANSLATION)
    return [line for line in (_tidy(part) for part in text.split("\n")) if line]


def html_to_text(raw: str) -> str:
    """Plain text with one line per paragraph, line break or list item."""
    return "\n".join(html_to_lines(raw))


def inline_text(raw: str) -> str:
    """A one-line text (titles, names, codes): tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html_to_lines(raw))


def _looks_like_item(part: str) -> bool:
    if _LEADING_CODE_RE.match(part):
        return True
    words = part.split()
    if len(words) < 2 or words[0].lower() in _CONJUNCTIONS:
        return False
    first = words[0]
    return first[0].isupper() or first.lower().endswith(("er", "ir", "re", "oir"))


def _strip_marks(item: str) -> str:
    return _MARKS_RE.sub("", item).strip()


def _items(line: str) -> list[str]:
    """The items of one line, bullets and numbering removed (rule 2 of the module docstring)."""
    items: list[str] = []
    for piece in _INLINE_BULLET_RE.split(line):
        piece = _strip_marks(piece)
        lead = _LEADING_CODE_RE.match(piece)
        parts = [piece]
        if lead and not lead.group("code")[0].isdigit():
            # Cut before each lettered code: "C1.1 Analyser… C1.2 Concevoir…". Bare numbers are
            # left alone: in "1.1 Utiliser la version 2.3 Pro", 2.3 is not a compétence.
            cuts = [
                m.start() for m in _INLINE_CODE_RE.finditer(piece) if m.start() > 0 and not m.group("code")[0].isdigit()
            ]
            if cuts:
                bounds = [0, *cuts, len(piece)]
                parts = [piece[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
        for part in parts:
            if ";" in part:
                bits = [_strip_marks(b) for b in part.split(";")]
                bits = [b for b in bits if b]
                if len(bits) > 1 and all(_looks_like_item(b) for b in bits):
                    items.extend(bits)
                    continue
            items.append(part)
    return items


def _take_code(item: str) -> tuple[str, str]:
    match = _LEADING_CODE_RE.match(item)
    if match:
        return match.group("code"), item[match.end() :].strip()
    if item.endswith((")", "]", ").", ");", "),")):
        match = _TRAILING_CODE_RE.search(item)
        if match:
            return match.group("code"), item[: match.start()].strip()
    return "", item


def split_competencies(raw: str) -> list[ProposedCompetency]:
    """Propose the compétences of an RNCP ``LISTE_COMPETENCES`` (see the module docstring)."""
    entries: list[tuple[str, str, bool]] = []  # (code, text, is_heading)
    pending_code = ""
    for line in html_to_lines(raw):
        for item in _items(line):
            code, text = _take_code(item)
            text = _LEADING_PUNCTUATION_RE.sub("", text.strip(" ;,"))
            if not _LETTER_RE.search(text):
                if code:
                    pending_code = code
                continue
            if pending_code and not code:
                code = pending_code
            pending_code = ""
            entries.append((code, text, text.endswith(":")))
    # A heading only heads something when a compétence follows it somewhere below.
    items_below = [False] * (len(entries) + 1)
    for i in range(len(entries) - 1, -1, -1):
        items_below[i] = items_below[i + 1] or not entries[i][2]
    proposals: list[ProposedCompetency] = []
    group = ""
    for i, (code, text, is_heading) in enumerate(entries):
        if is_heading and items_below[i + 1]:
            if not _INTRO_RE.search(text) or code:
                group = _tidy(f"{code} {text.rstrip(' :')}")[:500]
            continue
        proposals.append(ProposedCompetency(text=text, code=code[:40], group=group))
    return proposals
