"""Reading the CDC's processing report (accusé / compte rendu de traitement).

The CDC's report (docs/accrochage.md, « Le compte rendu de traitement ») is an XML ``rapport``
(namespace ``urn:cdc:cpf:pc5:rapport:schema``) naming the flux (``nomFichier``, ``idFlux``,
``idTraitement``) with two sections: ``PassagesOK``, the ``idTechnique`` of every passage
accepted (directly, or each in a ``passage``), and ``PassagesKO``, one ``passage`` per refusal
with its ``idTechnique`` and one or more ``messageErreur``. Element names are compared without
their namespace and case (public samples write ``PassagesOK`` as well as ``passagesOK``).

Tolerated besides, for reports rewritten by other tools: an element holding an ``idTechnique``
and a verdict child (``statut``, ``etat``, ``resultat``, ``statutTraitement``: OK / KO,
ACCEPTE / REJETE…) with its reason in ``motif``, ``libelleErreur``, ``message``, ``erreur``…;
and CSV (``;`` or ``,``) with the columns ``idTechnique``, ``statut``, ``motif``.

Streamed (``iterparse``, entities and network off). An ``idTechnique`` that is no UUID (not one
of ours) is kept as ``None``: counted « inconnu », never matched.
"""

from __future__ import annotations

import csv
import io
import uuid

from django.utils.translation import gettext as _

from accrochage.errors import CdcError

SECTIONS = {"passagesok": True, "passagesko": False}
VERDICTS = {"statut", "etat", "resultat", "statuttraitement"}
REASONS = {"messageerreur", "motif", "libelleerreur", "message", "erreur", "commentaire", "libelle"}
OK_WORDS = ("OK", "ACCEPT", "VALID", "INTEGR")


class Results(list):
    """``(idTechnique or None, ok, reason)`` triples, and the ``idFlux`` the report names ("" if none)."""

    id_flux: str = ""


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


def _text(element) -> str:
    return " ".join(t.strip() for t in element.itertext() if t.strip())


def read(upload) -> Results:
    head = upload.read(512)
    upload.seek(0)
    if head.lstrip().lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        return _read_xml(upload)
    return _read_csv(upload)


def _read_xml(upload) -> Results:
    from lxml import etree

    results = Results()
    section: list[bool] = []  # the verdict of the PassagesOK / PassagesKO we are in
    try:
        events = etree.iterparse(upload, events=("start", "end"), resolve_entities=False, no_network=True)
        for event, element in events:
            name = _local(element.tag)
            if event == "start":
                if name in SECTIONS:
                    section.append(SECTIONS[name])
                continue
            if name in SECTIONS:
                section.pop()
                element.clear()
            elif name == "idflux" and not section and not results.id_flux:
                results.id_flux = (element.text or "").strip()
            elif section and name == "idtechnique" and _local(element.getparent().tag) in SECTIONS:
                results.append((_id(element.text), section[-1], ""))  # PassagesOK/idTechnique
            elif any(_local(c.tag) == "idtechnique" for c in element):
                _read_passage(element, section[-1] if section else None, results)
                element.clear()
    except etree.XMLSyntaxError as exc:
        raise CdcError(_("Le compte rendu n'est pas un XML lisible : %(error)s") % {"error": exc}) from exc
    if not results:
        raise CdcError(_("Aucun passage (idTechnique et statut) n'a été trouvé dans ce compte rendu."))
    return results


def _read_passage(element, in_section: bool | None, results: Results) -> None:
    children = {_local(c.tag): c for c in element}
    verdict = in_section
    if verdict is None:
        verdict = next((_verdict(c.text) for n, c in children.items() if n in VERDICTS), None)
    if verdict is None:
        return
    reasons = [_text(c) for c in element.iter() if c is not element and _local(c.tag) in REASONS]
    results.append((_id(children["idtechnique"].text), verdict, " ; ".join(r for r in reasons if r)))


def _read_csv(upload) -> Results:
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", errors="replace")
    sample = text.read(2048)
    text.seek(0)
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    results = Results()
    for row in csv.DictReader(text, delimiter=delimiter):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        verdict = _verdict(row.get("statut", ""))
        if row.get("idtechnique") and verdict is not None:
            results.append((_id(row["idtechnique"]), verdict, row.get("motif", "")))
    if not results:
        raise CdcError(_("Aucun passage (idTechnique et statut) n'a été trouvé dans ce compte rendu."))
    return results
