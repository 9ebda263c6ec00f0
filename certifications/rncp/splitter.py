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
_BLOCK_TAGS = (
    "address|article|blockquote|br|dd|div|dl|dt|h[1-6]|hr|li|ol|p|pre|section|table|tbody|td|th|thead|tr|ul"
)
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
_SPACES_RE = re.compile(r" {2,}")

_BULLETS = "-–—•·▪▫◦‣⁃●○■□►▸▹➢➤➔→✓✔*+"
_BULLET_RE = re.compile(rf"^(?:[{re.escape(_BULLETS)}]+\s*|o\s+(?=[A-ZÀ-Ý]))")
_INLINE_BULLET_RE = re.compile(r"\s+[•·▪▫◦‣⁃●■►▸➢➤✓✔]\s+")
# "1 -", "1- ", "1.", "1)", "1°", "a)", "II -"; a dash must touch a space ("E-commerce" stays).
_NUMBERING_RE = re.compile(r"^\(?(?:\d{1,2}|[a-zA-Z]|[IVX]{1,4})(?:\s*[)°]|\.(?!\d)|\s*[-–—/]\s)\s*(?=\S)")
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
    return _SPACES_RE.sub(" ", text).strip()


def html_to_lines(raw: str) -> list[str]:
    """The non-empty lines of an HTML or plain text, entities decoded, spaces normalised."""
    if not raw:
        return []
    if "<" not in raw and "&lt;" in raw:
        raw = html.unescape(raw)  # HTML escaped twice by the producer: one more pass shows the tags
    text = _BLOCK_TAG_RE.sub("\n", raw)
    text = _ANY_TAG_RE.sub("", text)
    text = html.unescape(text).translate(_SPACE_TRANSLATION)
    return [line for line in (_tidy(part) for part in text.split("\n")) if line]


def html_to_text(raw: str) -> str:
    """Plain text with one line per paragraph, line break or list item."""
    return "\n".join(html_to_lines(raw))


def inline_text(raw: str) -> str:
    """A one-line text (titles, names, codes): tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html_to_lines(raw))


def _looks_like_item(part: str) -> bool:
    part = _BULLET_RE.sub("", part).strip()
    if _LEADING_CODE_RE.match(part):
        return True
    words = part.split()
    if len(words) < 2 or words[0].lower() in _CONJUNCTIONS:
        return False
    first = words[0]
    return first[0].isupper() or first.lower().endswith(("er", "ir", "re", "oir"))


def _split_line(line: str) -> list[str]:
    pieces = _INLINE_BULLET_RE.split(line)
    out: list[str] = []
    for piece in pieces:
        stripped = _strip_marks(piece)
        lead = _LEADING_CODE_RE.match(stripped)
        parts = [piece]
        if lead and not lead.group("code")[0].isdigit():
            # Cut before each lettered code: "C1.1 Analyser… C1.2 Concevoir…". Bare numbers are
            # left alone: in "1.1 Utiliser la version 2.3 Pro", 2.3 is not a compétence.
            cuts = [
                m.start()
                for m in _INLINE_CODE_RE.finditer(stripped)
                if m.start() > 0 and not m.group("code")[0].isdigit()
            ]
            bounds = [0, *cuts, len(stripped)]
            parts = [stripped[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
        for part in parts:
            if ";" in part:
                bits = [b.strip() for b in part.split(";") if b.strip()]
                if len(bits) > 1 and all(_looks_like_item(b) for b in bits):
                    out.extend(bits)
                    continue
            out.append(part)
    return out


def _strip_marks(item: str) -> str:
    previous = None
    while previous != item:
        previous = item
        item = _BULLET_RE.sub("", item).strip()
        item = _NUMBERING_RE.sub("", item).strip()
    return item


def _take_code(item: str) -> tuple[str, str]:
    match = _LEADING_CODE_RE.match(item)
    if match:
        return match.group("code"), item[match.end() :].strip()
    match = _TRAILING_CODE_RE.search(item)
    if match:
        return match.group("code"), item[: match.start()].strip()
    return "", item


def split_competencies(raw: str) -> list[ProposedCompetency]:
    """Propose the compétences of an RNCP ``LISTE_COMPETENCES`` (see the module docstring)."""
    entries: list[tuple[str, str, bool]] = []  # (code, text, is_heading)
    pending_code = ""
    for line in html_to_lines(raw):
        for piece in _split_line(line):
            code, text = _take_code(_strip_marks(piece.strip()))
            text = _tidy(text).strip(" ;,").strip()
            text = re.sub(r"^[:\-–—]\s*", "", text)
            if not _LETTER_RE.search(text):
                if code:
                    pending_code = code
                continue
            if pending_code and not code:
                code = pending_code
            pending_code = ""
            entries.append((code, text, text.endswith(":")))
    proposals: list[ProposedCompetency] = []
    group = ""
    for i, (code, text, is_heading) in enumerate(entries):
        followed = any(not heading for _, _, heading in entries[i + 1 :])
        if is_heading and followed:
            if _INTRO_RE.search(text) and not code:
                continue
            group = _tidy(f"{code} {text.rstrip(' :')}")[:500]
            continue
        proposals.append(ProposedCompetency(text=text, code=code[:40], group=group))
    return proposals
