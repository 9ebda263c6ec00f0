"""What in a PDF can act rather than be read: found in an upload, stripped from copied pages.

A proof PDF's pages are copied into the dossier de validation that jurors download
(``documents.pdf``). A PDF viewer runs what those pages carry: JavaScript, ``Launch`` actions
(start a program), form fields, embedded files to open, multimedia. So:

- at upload (``dossiers.uploads``), ``find_scripts`` walks every object of the file and a PDF
  carrying a JavaScript or a Launch action is refused, with a French message saying why;
- when pages are copied (``documents.proofs``, then ``documents.pdf``), ``strip_page`` removes
  from each one whatever could act — the page's additional actions (``/AA``), its associated
  files (``/AF``), the annotations ``DROPPED_ANNOTATIONS`` names, every action other than
  ``URI`` (http, https, mailto) and ``GoTo`` (and the actions chained after them) — and
  ``strip_document`` removes document-level actions (``/OpenAction``, ``/AA``, the
  ``/Names/JavaScript`` tree) should any reach the dossier PDF. Files a proof had as
  uploads from before the upload check are stripped just the same.

It reads PDFs only (pypdf), so it sits in ``core``, below both of its users.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Actions that run something: refused at upload.
SCRIPT_ACTIONS = frozenset({"/JavaScript", "/Launch"})
# Actions kept on copied pages: open a web page or an e-mail, go to a place in the document.
KEPT_ACTIONS = frozenset({"/URI", "/GoTo"})
KEPT_URI_SCHEMES = frozenset({"http", "https", "mailto"})
# Annotations that hold a form field, a file, a multimedia player or a 3D scene.
DROPPED_ANNOTATIONS = frozenset({"/FileAttachment", "/Widget", "/Screen", "/RichMedia", "/Sound", "/Movie", "/3D"})
# What the upload check reads at most, so that a crafted file cannot keep a web process busy:
# reading costs about 30 µs an object (3 s for 100,000); a 100-page scan has a few hundred
# objects, a long report with fonts and figures a few thousand.
MAX_OBJECTS = 100_000
MAX_DEPTH = 64


class TooComplex(Exception):
    """The file has more objects, or deeper ones, than a proof needs."""


def find_scripts(reader: PdfReader) -> str | None:
    """The first JavaScript or Launch action found in any object of ``reader`` (its action
    type, e.g. ``"/JavaScript"``), or None. Every object listed by the cross-reference tables
    is read, in object streams too: an action need not hang from a page to run (document open
    action, name tree, form field, outline item…). Names are compared once decoded
    (``/Java#53cript`` is ``/JavaScript``). Raises ``TooComplex`` past ``MAX_OBJECTS``."""
    ids = {(idnum, gen) for gen, entries in reader.xref.items() for idnum in entries}
    ids |= {(idnum, 0) for idnum in reader.xref_objStm}
    if len(ids) > MAX_OBJECTS:
        raise TooComplex(f"{len(ids)} objects")
    seen = 0
    for idnum, gen in sorted(ids):
        obj = reader.get_object(IndirectObject(idnum, gen, reader))
        stack = [(obj, 0)]
        while stack:
            item, depth = stack.pop()
            seen += 1
            if depth > MAX_DEPTH or seen > 20 * MAX_OBJECTS:
                raise TooComplex("nested too deep")
            if isinstance(item, DictionaryObject):
                kind = item.get("/S")
                if kind in SCRIPT_ACTIONS:
                    return str(kind)
                if "/JS" in item:
                    return "/JavaScript"
                stack.extend((value, depth + 1) for value in item.values() if _container(value))
            elif isinstance(item, ArrayObject):
                stack.extend((value, depth + 1) for value in item if _container(value))
    return None


def _container(value) -> bool:
    # Indirect objects are read on their own turn: not followed here.
    return isinstance(value, DictionaryObject | ArrayObject)


def strip_page(page: DictionaryObject) -> list[str]:
    """Remove from ``page`` (in place) what could act; returns what was removed, for the log."""
    removed = []
    for key in ("/AA", "/AF"):
        if key in page:
            del page[NameObject(key)]
            removed.append(key)
    annots = page.get("/Annots")
    if annots is None:
        return removed
    annots = annots.get_object()
    if not isinstance(annots, ArrayObject):
        del page[NameObject("/Annots")]
        return [*removed, "/Annots"]
    kept = []
    for ref in annots:
        annot = ref.get_object()
        if not isinstance(annot, DictionaryObject) or annot.get("/Subtype") in DROPPED_ANNOTATIONS:
            removed.append(str(annot.get("/Subtype")) if isinstance(annot, DictionaryObject) else "annotation")
            continue
        kept.append(ref)
    kept_ids = {_identity(ref) for ref in kept}
    for ref in kept:
        annot = ref.get_object()
        if "/AA" in annot:
            del annot[NameObject("/AA")]
            removed.append("annotation /AA")
        for key in ("/A", "/PA"):  # the action, and a link's alternative URI action
            action = annot.get(key)
            if action is None:
                continue
            action = action.get_object()
            if not _kept_action(action):
                del annot[NameObject(key)]
                removed.append(f"action {action.get('/S') if isinstance(action, DictionaryObject) else '?'}")
            elif "/Next" in action:
                del action[NameObject("/Next")]
                removed.append("chained actions")
        for key in ("/Parent", "/IRT", "/Popup"):  # a link to a removed annotation would copy it back
            if key in annot and _identity(annot.raw_get(key)) not in kept_ids:
                del annot[NameObject(key)]
    if len(kept) != len(annots):
        page[NameObject("/Annots")] = ArrayObject(kept)
    return removed


def _identity(ref) -> int:
    if isinstance(ref, IndirectObject):
        return hash((ref.idnum, ref.generation))
    return id(ref)


def _kept_action(action) -> bool:
    if not isinstance(action, DictionaryObject) or action.get("/S") not in KEPT_ACTIONS:
        return False
    if action.get("/S") == "/URI":
        uri = action.get("/URI")
        uri = uri.get_object() if uri is not None else ""
        try:
            scheme = urlsplit(str(uri).strip()).scheme.lower()
        except ValueError:
            return False
        return scheme in KEPT_URI_SCHEMES
    return True


def strip_document(root: DictionaryObject) -> list[str]:
    """Remove document-level actions from a catalog (in place); returns what was removed."""
    removed = []
    if "/AA" in root:
        del root[NameObject("/AA")]
        removed.append("/AA")
    open_action = root.get("/OpenAction")
    if open_action is not None:
        target = open_action.get_object()
        # A destination (an array) only shows a page; an action dict must be a GoTo.
        if isinstance(target, DictionaryObject) and target.get("/S") != "/GoTo":
            del root[NameObject("/OpenAction")]
            removed.append("/OpenAction")
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        del names.get_object()[NameObject("/JavaScript")]
        removed.append("/Names/JavaScript")
    return removed
