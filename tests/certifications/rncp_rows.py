"""Every row an RNCP import writes, in a form that compares across runs and databases.

``rows()`` lists the certifications (in the order they were created), their certifier links,
blocs, compétences and history lines, and the certifiers, with primary keys, lineages and
timestamps replaced by what they point to: the tests compare an import with the rows recorded
in ``rncp_expected_rows.json``, which the one-row-at-a-time import wrote before the import was
made to write in bulk (issue 21). ``scenario()`` is the file of that recording, imported into a
portal holding the reference certifications (``published_at``, the time they were loaded, is
compared as published or not).

Record again only when the import is *meant* to write different rows: run the test with
``RECORD_RNCP_ROWS=1`` (it then writes the file instead of comparing) and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from certifications.models import Block, Certification, CertificationEvent, Certifier, Competency
from tests.certifications import rncp_samples as samples

EXPECTED = Path(__file__).with_name("rncp_expected_rows.json")

SKIPPED_FIELDS = {"id", "lineage", "created_at", "updated_at", "replaces_id", "certification_id", "block_id"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _fields(obj, model) -> dict[str, Any]:
    values = {f.attname: _plain(getattr(obj, f.attname)) for f in model._meta.concrete_fields}
    if "published_at" in values:  # when the reference fixtures were loaded: whether is enough
        values["published_at"] = values["published_at"] is not None
    return {name: value for name, value in values.items() if name not in SKIPPED_FIELDS}


def rows() -> dict[str, Any]:
    certifications = list(Certification.objects.order_by("pk"))
    label = {c.pk: f"{c.code} v{c.version}" for c in certifications}
    first_of_lineage: dict[Any, str] = {}
    for c in sorted(certifications, key=lambda c: (c.version, c.pk)):
        first_of_lineage.setdefault(c.lineage, label[c.pk])
    certifier_label = {c.pk: c.siret or c.legal_name for c in Certifier.objects.all()}
    links = Certification.certifiers.through.objects.all()
    certifiers_of: dict[int, list[str]] = {}
    for link in links:
        certifiers_of.setdefault(link.certification_id, []).append(certifier_label[link.certifier_id])
    return {
        "certifications": [
            {
                "label": label[c.pk],
                "lineage_of": first_of_lineage[c.lineage],
                "replaces": label.get(c.replaces_id),
                "certifiers": sorted(certifiers_of.get(c.pk, [])),
                **_fields(c, Certification),
                "blocks": [
                    {
                        **_fields(b, Block),
                        "competencies": [
                            _fields(comp, Competency) for comp in Competency.objects.filter(block=b).order_by("pk")
                        ],
                    }
                    for b in Block.objects.filter(certification=c).order_by("pk")
                ],
                "events": [
                    [e.actor.get_username() if e.actor else None, e.from_status, e.to_status, e.comment]
                    for e in CertificationEvent.objects.filter(certification=c).order_by("pk")
                ],
            }
            for c in certifications
        ],
        "certifiers": [_fields(c, Certifier) for c in Certifier.objects.order_by("pk")],
    }


def expected(actual: dict[str, Any]) -> dict[str, Any]:
    """The recorded rows; with ``RECORD_RNCP_ROWS=1``, ``actual`` is recorded first."""
    if os.environ.get("RECORD_RNCP_ROWS") == "1":
        EXPECTED.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def scenario() -> list[str]:
    """Fiches that walk every path of the writer: a new version of a certification in the portal,
    replacements pointing before and after themselves in the file, certifiers shared between
    fiches (by SIRET, by name), repeated on one fiche or unreadable, the same code twice, a
    changed fiche behind a draft of this run, an RS fiche without blocs, an inactive fiche."""
    shared = {"name": "ORGANISME PARTAGÉ", "siret": "12345678900011", "commercial_name": "OP"}
    nameless = {"name": "ORGANISME SANS SIRET", "commercial_name": "OSS", "website": "https://oss.example.org"}
    return [
        samples.rncp35203(),  # a new version of a reference certification
        samples.fiche("RNCP10002", "Agent d'accueil", certifiers=[shared, nameless]),
        samples.fiche("RNCP10001", "Médiateur", replaces=["RNCP10002", "RNCP9999"], certifiers=[shared]),
        samples.fiche("RNCP10003", "Coordinateur", replaces=["RNCP35203"], certifiers=[samples.APTIM, nameless]),
        samples.fiche("RNCP10004", "Technicien", replaces=["RNCP10005"], replaced_by=["RNCP10006"]),
        samples.fiche("RNCP10005", "Ancien technicien", certifiers=[shared, shared, {"name": "X", "siret": "12"}]),
        samples.fiche("RNCP10002", "Agent d'accueil", certifiers=[shared, nameless]),  # unchanged
        samples.fiche("RNCP10005", "Ancien technicien modifié"),  # behind this run's draft
        samples.fiche("RS5001", "Habilitation", level=None, level_label=None, blocs=[]),
        samples.fiche(
            "RNCP10007",
            "Blocs répétés",
            blocs=[
                samples.bloc("RNCP10007BC01", "Bloc", "<p>Faire</p>"),
                samples.bloc("RNCP10007BC01", "Bloc", "<p>Faire</p>"),
                samples.bloc("RNCP10007BC01", "Autre bloc", "<p>Défaire</p>"),
                samples.bloc("RNCP10007BC02", "Vide", ""),
            ],
        ),
        samples.fiche("RNCP10008", "Inactive", active="Non"),
        samples.rncp41296(),  # a new version of IRCOM's certification
    ]
