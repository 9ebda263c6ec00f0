"""Reading the CDC's processing report (compte rendu de traitement).

Its format is not public (docs/accrochage.md): this reader is tolerant and streams. XML: any
element holding an ``idTechnique`` child is one passage; its verdict is the text of a child named
``statut``, ``etat``, ``resultat`` or ``statutTraitement`` (OK / KO, ACCEPTE / REJETE…); its
reason, the text of children named ``motif``, ``libelleErreur``, ``message``, ``erreur``,
``commentaire`` or ``libelle``. CSV (``;`` or ``,``): columns ``idTechnique``, ``statut``,
``motif``.
"""

from __future__ import annotations

import csv
import io
import uuid

from django.utils.translation import gettext as _

from accrochage.errors import CdcError

VERDICTS = {"statut", "etat", "resultat", "statuttraitement"}
REASONS = {"motif", "libelleerreur", "message", "erreur", "commentaire", "libelle"}
OK_WORDS = ("OK", "ACCEPT", "VALID", "INTEGR")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1].lower() if isinstance(tag, str) else ""


def _verdict(text: str) -> bool | None:
    value = (text or "").strip().upper()
    if not value:
        return None
    return value.startswith(OK_WORDS)


def _id(text: str):
    try:
        return uuid.UUID((text or "").strip())
    except ValueError:
        return None


def read(upload) -> list[tuple[uuid.UUID, bool, str]]:
    head = upload.read(512)
    upload.seek(0)
    if head.lstrip().startswith(b"<"):
        return _read_xml(upload)
    return _read_csv(upload)


def _read_xml(upload):
    from lxml import etree

    results = []
    try:
        for _event, element in etree.iterparse(upload, events=("end",), resolve_entities=False, no_network=True):
            children = {_local(c.tag): c for c in element}
            if "idtechnique" in children:
                ident = _id(children["idtechnique"].text)
                verdict = next((_verdict(c.text) for n, c in children.items() if n in VERDICTS), None)
                reasons = [
                    " ".join(t.strip() for t in c.itertext() if t.strip())
                    for c in element.iter()
                    if _local(c.tag) in REASONS
                ]
                if ident is not None and verdict is not None:
                    results.append((ident, verdict, " ; ".join(r for r in reasons if r)))
                element.clear()
    except etree.XMLSyntaxError as exc:
        raise CdcError(_("Le compte rendu n'est pas un XML lisible : %(error)s") % {"error": exc}) from exc
    if not results:
        raise CdcError(_("Aucun passage (idTechnique et statut) n'a été trouvé dans ce compte rendu."))
    return results


def _read_csv(upload):
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", errors="replace")
    sample = text.read(2048)
    text.seek(0)
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    results = []
    for row in csv.DictReader(text, delimiter=delimiter):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        ident, verdict = _id(row.get("idtechnique", "")), _verdict(row.get("statut", ""))
        if ident is not None and verdict is not None:
            results.append((ident, verdict, row.get("motif", "")))
    if not results:
        raise CdcError(_("Aucun passage (idTechnique et statut) n'a été trouvé dans ce compte rendu."))
    return results
