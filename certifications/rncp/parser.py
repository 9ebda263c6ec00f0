"""Stream the fiches of a France Compétences XML flux (versions 4.1 and 3.0), plain or zipped.

Pure: no Django, no database. ``read_flux`` yields one ``Fiche`` per ``<FICHE>``; memory stays
flat whatever the file's size because each fiche's elements are dropped once it is read.

Why expat driving ElementTree's C ``TreeBuilder`` rather than ``ElementTree.iterparse``: the same
C tree building, but expat tells where it is (line and column), which the messages about a wrong
root or an unknown version need, and it lets a fiche be read even when the producer left HTML
entities (``&eacute;``) undeclared. Entity declarations are refused (no entity expansion attacks
from an uploaded file) and no external resource is ever fetched.

A problem with the file as a whole raises ``RncpFormatError`` with the line and column; a
problem inside one fiche (an unreadable date…) becomes one of its ``warnings``.

``ParseLimits`` bounds what a hostile file costs (docs/security.md, "Import RNCP"): the XML read
(counted on the decompressed stream as it is read, never trusting a zip's declared sizes), the
entries of a zip, the length of one text node and of one fiche, each refused with a French
message naming where the file broke them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html.entities
import json
import re
import sys
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO
from xml.etree.ElementTree import Element, TreeBuilder, tostring
from xml.parsers import expat

from core.errors import DomainError

ROOT_TAG = "FICHES"
SUPPORTED_VERSIONS = ("4.1", "3.0")
CHUNK_SIZE = 256 * 1024
ZIP_MAX_ENTRIES = 100  # the register's zip holds one XML file

_EXPAT_MESSAGES_FR = {
    expat.errors.XML_ERROR_NO_ELEMENTS: "fin de fichier inattendue : le fichier semble tronqué",
    expat.errors.XML_ERROR_UNCLOSED_TOKEN: "balise inachevée : le fichier semble tronqué",
    expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION: "section CDATA non refermée : le fichier semble tronqué",
    expat.errors.XML_ERROR_PARTIAL_CHAR: "caractère incomplet : le fichier semble tronqué",
    expat.errors.XML_ERROR_TAG_MISMATCH: "balise fermante qui ne correspond pas à la balise ouverte",
    expat.errors.XML_ERROR_INVALID_TOKEN: "XML mal formé (caractère ou balise invalide)",
    expat.errors.XML_ERROR_SYNTAX: "erreur de syntaxe XML",
    expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: "contenu après la fin du document",
    expat.errors.XML_ERROR_BAD_CHAR_REF: "référence de caractère invalide",
    expat.errors.XML_ERROR_UNDEFINED_ENTITY: "entité non définie",
    expat.errors.XML_ERROR_UNKNOWN_ENCODING: "encodage de caractères inconnu",
    expat.errors.XML_ERROR_INCORRECT_ENCODING: "le texte ne suit pas l'encodage déclaré",
    expat.errors.XML_ERROR_DUPLICATE_ATTRIBUTE: "attribut en double",
}
_CODE_IN_TEXT_RE = re.compile(r"\b(RNCP|RS)\s?(\d{2,6})\b")
_LEVEL_RE = re.compile(r"(?:NIV(?:EAU)?\s*)?([1-8])\b", re.IGNORECASE)
_DATE_RE = re.compile(
    r"(?:(?P<d1>\d{1,2})[/-](?P<m1>\d{1,2})[/-](?P<y1>\d{4})|(?P<y2>\d{4})-(?P<m2>\d{2})-(?P<d2>\d{2}))\b"
)
_TRUE = {"oui", "true", "1", "x", "o", "active", "actif"}


class RncpFormatError(DomainError):
    """The file cannot be read as an RNCP flux; nothing of it may be imported."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"{self.message} (ligne {self.line}, colonne {self.column})"


@dataclass(frozen=True, slots=True)
class RncpCertifier:
    name: str
    siret: str
    commercial_name: str = ""
    website: str = ""


@dataclass(frozen=True, slots=True)
class RncpBloc:
    code: str
    title: str
    competencies: str = ""  # LISTE_COMPETENCES as written (HTML or text)
    assessment: str = ""  # MODALITES_EVALUATION as written


@dataclass(slots=True)
class Fiche:
    """What the importer uses of one fiche. Free texts are kept as written (HTML or text)."""

    number: str  # NUMERO_FICHE: RNCP35203, RS5000
    title: str
    fiche_id: str = ""
    state: str = ""  # ETAT_FICHE: Publiée, Dépubliée/Archivée…
    active: bool | None = None
    level: int | None = None
    level_label: str = ""
    end_of_registration: dt.date | None = None
    decision_date: dt.date | None = None
    partial_validation: bool | None = None
    open_to_vae: bool = False
    vae_jury_composition: str = ""
    nsf_codes: tuple[str, ...] = ()
    rome_codes: tuple[str, ...] = ()
    formacodes: tuple[str, ...] = ()
    certifiers: tuple[RncpCertifier, ...] = ()
    blocs: tuple[RncpBloc, ...] = ()
    replaces: tuple[str, ...] = ()  # ANCIENNES_CERTIFICATIONS
    replaced_by: tuple[str, ...] = ()  # NOUVELLES_CERTIFICATIONS
    prerequisites: str = ""
    validation_prerequisites: str = ""
    # Not part of the content: what could not be read.
    warnings: list[str] = field(default_factory=list)

    @property
    def sirets(self) -> set[str]:
        return {c.siret for c in self.certifiers if c.siret}

    def content_hash(self) -> str:
        """SHA-256 of the fiche's content: equal hashes mean nothing to import has changed."""
        payload = [
            self.number,
            self.title,
            self.fiche_id,
            self.state,
            self.active,
            self.level,
            self.level_label,
            self.end_of_registration.isoformat() if self.end_of_registration else None,
            self.decision_date.isoformat() if self.decision_date else None,
            self.partial_validation,
            self.open_to_vae,
            self.vae_jury_composition,
            self.nsf_codes,
            self.rome_codes,
            self.formacodes,
            [[c.name, c.siret, c.commercial_name, c.website] for c in self.certifiers],
            [[b.code, b.title, b.competencies, b.assessment] for b in self.blocs],
            self.replaces,
            self.replaced_by,
            self.prerequisites,
            self.validation_prerequisites,
        ]
        encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        return hashlib.sha256(encoded).hexdigest()


def fiche_to_data(fiche: Fiche) -> dict:
    """The fiche as JSON-ready data, so that a parsed upload is read once (``fiche_from_data``)."""
    data = {f: getattr(fiche, f) for f in Fiche.__dataclass_fields__}
    for name in ("end_of_registration", "decision_date"):
        data[name] = data[name].isoformat() if data[name] else None
    data["certifiers"] = [[c.name, c.siret, c.commercial_name, c.website] for c in fiche.certifiers]
    data["blocs"] = [[b.code, b.title, b.competencies, b.assessment] for b in fiche.blocs]
    data.update({name: list(data[name]) for name in _TUPLE_FIELDS})
    data["warnings"] = list(fiche.warnings)
    return data


def fiche_from_data(data: dict) -> Fiche:
    """The inverse of ``fiche_to_data``: equal fiches, with equal ``content_hash``."""
    values = dict(data)
    for name in ("end_of_registration", "decision_date"):
        values[name] = dt.date.fromisoformat(values[name]) if values[name] else None
    values["certifiers"] = tuple(RncpCertifier(*c) for c in values["certifiers"])
    values["blocs"] = tuple(RncpBloc(*b) for b in values["blocs"])
    values.update({name: tuple(values[name]) for name in _TUPLE_FIELDS})
    values["warnings"] = list(values["warnings"])
    return Fiche(**values)


_TUPLE_FIELDS = ("nsf_codes", "rome_codes", "formacodes", "replaces", "replaced_by")


# --- reading the file ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """What reading one flux may cost; ``None`` is no limit. The Django side builds them from the
    settings (``RNCP_INFLATED_MAX_MB``, ``RNCP_TEXT_NODE_MAX_CHARS``, ``RNCP_FICHE_MAX_CHARS``)."""

    xml_bytes: int | None = None  # bytes of XML read, after decompression
    text_node_chars: int | None = None  # characters of one text node
    fiche_chars: int | None = None  # characters of text in one child of the root (a fiche)
    zip_entries: int | None = ZIP_MAX_ENTRIES


NO_LIMITS = ParseLimits(zip_entries=None)


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _size(n: int) -> str:
    return f"{_number(n // (1024 * 1024))} Mo" if n >= 1024 * 1024 else f"{_number(n)} octets"


class _CountedStream:
    """Counts the bytes actually read (after decompression) and stops past ``limit``: a zip's
    central directory may declare any size, only what comes out of the stream is counted."""

    def __init__(self, stream: IO[bytes], limit: int | None):
        self.stream = stream
        self.limit = limit
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        if self.limit is not None and self.count > self.limit:
            raise RncpFormatError(
                f"Fichier trop volumineux : le XML du flux dépasse {_size(self.limit)} (une fois décompressé)."
            )
        return data


def _check_zip_entries(raw: BinaryIO, limit: int | None) -> None:
    """Refuse an archive announcing more entries than ``limit`` before ``ZipFile`` reads its
    central directory (millions of tiny entries would cost hundreds of MB of ``ZipInfo``)."""
    if limit is None:
        return
    # zipfile's own reader of the end-of-central-directory record (zip64 included).
    end = zipfile._EndRecData(raw)  # noqa: SLF001
    raw.seek(0)
    if end is None:
        raise RncpFormatError("Archive zip illisible ou tronquée (fin d'archive introuvable).")
    entries = end[zipfile._ECD_ENTRIES_TOTAL]  # noqa: SLF001
    if entries > limit:
        raise RncpFormatError(
            f"L'archive zip contient {_number(entries)} entrées : {limit} au plus sont acceptées "
            "(un flux RNCP en contient une)."
        )


@contextmanager
def open_flux(source: str | Path | BinaryIO, limits: ParseLimits = NO_LIMITS) -> Iterator[IO[bytes]]:
    """The XML bytes of ``source``: a path or a binary file, holding XML or a zip of one XML."""
    own = not hasattr(source, "read")
    raw: BinaryIO = open(source, "rb") if own else source  # noqa: SIM115 (closed below)
    try:
        head = raw.read(4)
        raw.seek(0)
        if head.startswith(b"PK"):
            _check_zip_entries(raw, limits.zip_entries)
            try:
                archive = zipfile.ZipFile(raw)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise RncpFormatError(f"Archive zip illisible ou tronquée ({exc}).") from exc
            with archive:
                names = [i.filename for i in archive.infolist() if i.filename.lower().endswith(".xml")]
                if len(names) != 1:
                    raise RncpFormatError(
                        f"L'archive zip doit contenir exactement un fichier XML (trouvé : {len(names)})."
                    )
                try:
                    member = archive.open(names[0])
                except (RuntimeError, NotImplementedError, zipfile.BadZipFile) as exc:
                    raise RncpFormatError(
                        f"Archive zip chiffrée ou compressée d'une façon non prise en charge ({exc})."
                    ) from exc
                with member:
                    yield _CountedStream(member, limits.xml_bytes)
        else:
            yield _CountedStream(raw, limits.xml_bytes)
    finally:
        if own:
            raw.close()


def read_flux(
    source: str | Path | BinaryIO, chunk_size: int = CHUNK_SIZE, limits: ParseLimits = NO_LIMITS
) -> Iterator[Fiche]:
    """Every fiche of the flux in file order; ``FluxReader`` also tells the version."""
    yield from FluxReader(source, chunk_size, limits)


class FluxReader:
    """Iterate over the fiches of a flux; ``version`` is known once the first fiche is out."""

    def __init__(self, source: str | Path | BinaryIO, chunk_size: int = CHUNK_SIZE, limits: ParseLimits = NO_LIMITS):
        self.source = source
        self.chunk_size = chunk_size
        self.limits = limits
        self.version: str | None = None
        self.fiche_count = 0

    def __iter__(self) -> Iterator[Fiche]:
        with open_flux(self.source, self.limits) as stream:
            yield from self._parse(stream)

    def _parse(self, stream: IO[bytes]) -> Iterator[Fiche]:
        parser = expat.ParserCreate()
        builder = TreeBuilder()
        builder_start, builder_end, builder_data = builder.start, builder.end, builder.data
        root: list[Element] = []
        path: list[str] = []  # the open elements, root first
        text_max = self.limits.text_node_chars or sys.maxsize
        item_max = self.limits.fiche_chars or sys.maxsize
        text_chars = 0  # of the text node being read
        item_chars = 0  # of the text in the child of the root being read (a fiche)
        item_number = ""  # its NUMERO_FICHE, once read
        items = 0  # children of the root met so far
        # The last two chunks read, to turn expat's byte columns into character columns.
        window = {"start": 0, "data": b"", "last": b"", "fed": 0}

        def column(byte_index: int, byte_column: int) -> int:
            end = byte_index - window["start"]
            start = end - byte_column
            if 0 <= start <= end <= len(window["data"]):
                return len(window["data"][start:end].decode("utf-8", errors="replace")) + 1
            return byte_column + 1

        def position() -> tuple[int, int]:
            return parser.CurrentLineNumber, column(parser.CurrentByteIndex, parser.CurrentColumnNumber)

        def item_label() -> str:
            if len(path) < 2 or path[1] != "FICHE":
                return f"l'élément <{path[1] if len(path) > 1 else path[0]}>"
            return f"la fiche n° {_number(items)}" + (f" ({item_number})" if item_number else "")

        def where() -> str:
            if len(path) < 2:
                return f"l'élément <{path[0]}>"
            return f"{item_label()}, élément <{'/'.join(path[1:])}>"

        # Python handlers track where they stand (for the limits and the messages); until
        # VERSION_FLUX is read, others also check the root and the version. The tree itself is
        # built by the C TreeBuilder, and the fiches are collected between chunks.
        push, pop = path.append, path.pop

        def start(tag: str, attrs: dict[str, str]) -> Element:
            nonlocal text_chars, item_chars, item_number, items
            push(tag)
            text_chars = 0
            if len(path) == 2:
                item_chars, item_number = 0, ""
                items += tag == "FICHE"
            return builder_start(tag, attrs)

        def end(tag: str) -> None:
            nonlocal text_chars, item_number
            element = builder_end(tag)
            pop()
            text_chars = 0
            if tag == "NUMERO_FICHE" and len(path) == 2:
                item_number = " ".join((element.text or "").split())[:20]

        def start_header(tag: str, attrs: dict[str, str]) -> None:
            depth = len(path) + 1
            if depth == 1 and tag != ROOT_TAG:
                raise RncpFormatError(
                    f"Ce fichier n'est pas un flux RNCP : l'élément racine est <{tag}>, <{ROOT_TAG}> est attendu.",
                    *position(),
                )
            if depth == 2 and tag == "FICHE":
                raise RncpFormatError("VERSION_FLUX manquant : il doit précéder la première fiche.", *position())
            element = start(tag, attrs)
            if depth == 1:
                root.append(element)

        def end_header(tag: str) -> None:
            element = builder_end(tag)
            pop()
            if len(path) == 1 and tag == "VERSION_FLUX":
                version = (element.text or "").strip()
                if version not in SUPPORTED_VERSIONS:
                    raise RncpFormatError(
                        f"Version du flux {version!r} non prise en charge "
                        f"(versions comprises : {', '.join(SUPPORTED_VERSIONS)}).",
                        *position(),
                    )
                self.version = version
                parser.StartElementHandler = start
                parser.EndElementHandler = end

        def data(text: str) -> None:
            nonlocal text_chars, item_chars
            text_chars += len(text)
            item_chars += len(text)
            if text_chars > text_max or item_chars > item_max:
                if text_chars > text_max:
                    raise RncpFormatError(
                        f"Texte trop long dans {where()} : plus de {_number(text_max)} caractères.", *position()
                    )
                if len(path) > 1:
                    raise RncpFormatError(
                        f"Fiche trop longue : {item_label()} dépasse {_number(item_max)} caractères de texte.",
                        *position(),
                    )
            builder_data(text)

        def skipped_entity(name: str, is_parameter_entity: bool) -> None:
            # An HTML entity the producer did not declare (&eacute;): read it as HTML would.
            char = html.entities.html5.get(f"{name};")
            data(char if char is not None else f"&{name};")

        def refuse_entity_declaration(*args) -> None:
            raise RncpFormatError("Déclaration d'entité refusée dans un flux RNCP.", *position())

        def external_entity(context, base, system_id, public_id) -> int:
            # Called once for the foreign DTD below; read it as empty, never fetch anything.
            parser.ExternalEntityParserCreate(context).Parse(b"", True)
            return 1

        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.StartElementHandler = start_header
        parser.EndElementHandler = end_header
        parser.CharacterDataHandler = data
        parser.SkippedEntityHandler = skipped_entity
        parser.EntityDeclHandler = refuse_entity_declaration
        parser.UseForeignDTD(True)  # makes undeclared entities "skipped" instead of fatal
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_ALWAYS)
        parser.ExternalEntityRefHandler = external_entity

        try:
            while True:
                try:
                    chunk = stream.read(self.chunk_size)
                except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
                    raise RncpFormatError(f"Archive zip endommagée ({exc}).") from exc
                if chunk:
                    window["start"] = window["fed"] - len(window["last"])
                    window["data"] = window["last"] + chunk
                    window["last"] = chunk
                    window["fed"] += len(chunk)
                parser.Parse(chunk, not chunk)
                if root:
                    # Every child of the root but the last is complete; at the end, all are.
                    children = root[0]
                    done = len(children) if not chunk else len(children) - 1
                    if done > 0:
                        elements = children[:done]
                        del children[:done]  # memory stays flat: the root keeps nothing read
                        for element in elements:
                            if element.tag == "FICHE":
                                self.fiche_count += 1
                                yield fiche_from_element(element)
                            element.clear()
                if not chunk:
                    break
        except expat.ExpatError as exc:
            message = _EXPAT_MESSAGES_FR.get(expat.errors.messages[exc.code], f"XML invalide ({exc})")
            where_ = column(parser.ErrorByteIndex, exc.offset)
            raise RncpFormatError(f"Fichier XML invalide : {message}.", exc.lineno, where_) from None
        if self.version is None:
            raise RncpFormatError("VERSION_FLUX manquant : ce fichier n'est pas un flux RNCP.")


def find_fiche(source: str | Path | BinaryIO, number: str) -> Fiche | None:
    """The fiche numbered ``number``, reading no further than needed (the file is trusted
    to be whole: use on files checked at upload)."""
    for fiche in read_flux(source):
        if fiche.number == number:
            return fiche
    return None


# --- reading one fiche --------------------------------------------------------------------


def _children(element: Element) -> dict[str, Element]:
    found: dict[str, Element] = {}
    for child in element:
        found.setdefault(child.tag, child)
    return found


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _markup(element: Element | None) -> str:
    """The content as written: text, or HTML that a producer left as XML elements."""
    if element is None:
        return ""
    if len(element) == 0:
        return (element.text or "").strip()
    inner = (element.text or "") + "".join(tostring(child, encoding="unicode") for child in element)
    return inner.strip()


def _flag(value: str) -> bool | None:
    value = value.strip().lower()
    if not value:
        return None
    return value in _TRUE


def _date(value: str, what: str, warnings: list[str]) -> dt.date | None:
    """dd/mm/yyyy as the flux writes dates; yyyy-mm-dd and dd-mm-yyyy are accepted too."""
    value = value.strip()
    if not value:
        return None
    match = _DATE_RE.match(value)
    if match:
        day, month, year = match.group("d1", "m1", "y1") if match.group("d1") else match.group("d2", "m2", "y2")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            pass
    warnings.append(f"{what} illisible ({value!r}) : laissée vide.")
    return None


def _codes(container: Element | None, item: str) -> tuple[str, ...]:
    if container is None:
        return ()
    codes: list[str] = []
    for node in container.iterfind(item):
        code = " ".join(_text(node.find("CODE")).split())
        if code and code not in codes:
            codes.append(code)
    return tuple(codes)


def _fiche_codes(container: Element | None) -> tuple[str, ...]:
    """RNCP/RS numbers in a chain container, whatever its inner layout."""
    if container is None:
        return ()
    codes: list[str] = []
    for prefix, digits in _CODE_IN_TEXT_RE.findall(" ".join(container.itertext())):
        code = f"{prefix}{digits}"
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _jury(fiche: dict[str, Element], name: str) -> tuple[bool, str]:
    """A voie d'accès: ``<SI_JURY_VAE><ACTIF>Oui</ACTIF><COMPOSITION>…`` in 4.1; older files
    write the flag as the element's own text, the composition in COMPOSITION or JURY_VAE."""
    element = fiche.get(name)
    if element is None:
        return False, ""
    parts = _children(element)
    flag = _text(parts["ACTIF"]) if "ACTIF" in parts else _text(element)
    composition = _markup(parts.get("COMPOSITION")) or _markup(fiche.get(name.replace("SI_", "", 1)))
    return bool(_flag(flag)), composition


def _level(nomenclature: Element | None, warnings: list[str]) -> tuple[int | None, str]:
    if nomenclature is None:
        return None, ""
    parts = _children(nomenclature)
    label = _text(parts.get("LIBELLE")) or _text(parts.get("INTITULE"))
    raw = _text(parts.get("NIVEAU"))
    for candidate in (raw, label):
        match = _LEVEL_RE.search(candidate)
        if match:
            level = int(match.group(1))
            if 3 <= level <= 8:
                return level, label
            warnings.append(f"Niveau {level} hors de la nomenclature européenne 3 à 8 : laissé vide.")
            return None, label
    return None, label


def fiche_from_element(element: Element) -> Fiche:
    """Read the fields of one ``<FICHE>`` element (direct children only: nested elements such as
    CORRESPONDANCES also hold NUMERO_FICHE or BLOC_COMPETENCES that are not this fiche's)."""
    parts = _children(element)
    warnings: list[str] = []
    level, level_label = _level(parts.get("NOMENCLATURE_EUROPE"), warnings)
    open_to_vae, composition = _jury(parts, "SI_JURY_VAE")
    certifiers = []
    for node in parts["CERTIFICATEURS"].iterfind("CERTIFICATEUR") if "CERTIFICATEURS" in parts else ():
        fields = _children(node)
        certifiers.append(
            RncpCertifier(
                name=_text(fields.get("NOM_CERTIFICATEUR")),
                siret="".join(_text(fields.get("SIRET_CERTIFICATEUR")).split()),
                commercial_name=_text(fields.get("NOM_COMMERCIAL")),
                website=_text(fields.get("SITE_INTERNET")),
            )
        )
    blocs = []
    for node in parts["BLOCS_COMPETENCES"].iterfind("BLOC_COMPETENCES") if "BLOCS_COMPETENCES" in parts else ():
        fields = _children(node)
        blocs.append(
            RncpBloc(
                code=_text(fields.get("CODE")),
                title=_markup(fields.get("LIBELLE")),
                competencies=_markup(fields.get("LISTE_COMPETENCES")),
                assessment=_markup(fields.get("MODALITES_EVALUATION")),
            )
        )
    return Fiche(
        number="".join(_text(parts.get("NUMERO_FICHE")).split()).upper(),
        title=_markup(parts.get("INTITULE")),
        fiche_id=_text(parts.get("ID_FICHE")),
        state=_text(parts.get("ETAT_FICHE")),
        active=_flag(_text(parts.get("ACTIF"))),
        level=level,
        level_label=level_label,
        end_of_registration=_date(
            _text(parts.get("DATE_FIN_ENREGISTREMENT")), "Date de fin d'enregistrement", warnings
        ),
        decision_date=_date(_text(parts.get("DATE_DECISION")), "Date de décision", warnings),
        partial_validation=_flag(_text(parts.get("VALIDATION_PARTIELLE"))),
        open_to_vae=open_to_vae,
        vae_jury_composition=composition,
        nsf_codes=_codes(parts.get("CODES_NSF"), "NSF"),
        rome_codes=_codes(parts.get("CODES_ROME"), "ROME"),
        formacodes=_codes(parts.get("FORMACODES"), "FORMACODE"),
        certifiers=tuple(certifiers),
        blocs=tuple(blocs),
        replaces=_fiche_codes(parts.get("ANCIENNES_CERTIFICATIONS")),
        replaced_by=_fiche_codes(parts.get("NOUVELLES_CERTIFICATIONS")),
        prerequisites=_markup(parts.get("PREREQUIS_ENTREE_FORMATION")),
        validation_prerequisites=_markup(parts.get("PREREQUIS_VALIDATION_CERTIFICATION")),
        warnings=warnings,
    )
