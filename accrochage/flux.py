"""Writing the XML flux for the Caisse des Dépôts by streaming (constant memory: one passage in
memory at a time, whatever the file's size), then checking it against the CDC's XSD when the
certifier put the kit's schema in ``settings.CDC_KIT_DIR`` (``iterparse`` with the schema: the
check streams too).

Shape (docs/accrochage.md; to confirm against the kit's dictionary):
flux{idFlux, horodatage, action, emetteur{idClient, certificateurs{certificateur{idClient,
idContrat, certifications{certification{type, code, natureDeposant, passageCertifications{
passageCertification{…}}}}}}}}.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from accrochage import services
from accrochage.models import CdcAccount, Flux, FluxStatus, Passage

NS = "urn:cdc:cpf:pc5:schema:1.0.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROGRESS_EVERY = 500


class Writer:
    def __init__(self, out):
        self.gen = XMLGenerator(out, encoding="UTF-8", short_empty_elements=True)

    def open(self, name: str, attrs: dict | None = None) -> None:
        self.gen.startElement(f"cpf:{name}", attrs or {})

    def close(self, name: str) -> None:
        self.gen.endElement(f"cpf:{name}")

    def text(self, name: str, value) -> None:
        self.open(name)
        self.gen.characters(str(value))
        self.close(name)

    def nil(self, name: str) -> None:
        self.open(name, {"xsi:nil": "true"})
        self.close(name)


def certification_type(code: str) -> str:
    return "RS" if (code or "").upper().startswith("RS") else "RNCP"


def write_passage(w: Writer, passage: Passage) -> None:
    identity = passage.dossier.civil_identity
    w.open("passageCertification")
    w.text("idTechnique", passage.id_technique)
    w.text("obtentionCertification", "PAR_ADMISSION")
    w.text("donneeCertifiee", "true")
    w.text("dateDebutValidite", passage.awarded_on.isoformat())
    w.nil("dateFinValidite")
    w.text("presenceNiveauLangueEuro", "false")
    w.text("presenceNiveauNumeriqueEuro", "false")
    w.nil("scoring")
    w.nil("mentionValidee")
    w.open("modalitesInscription")
    w.text("modaliteAcces", "VAE")
    w.text("voieAccessVAE", "VAE_CLASSIQUE")
    w.close("modalitesInscription")
    w.open("identificationTitulaire")
    w.open("titulaire")
    w.text("nomNaissance", identity.birth_name)
    if identity.usage_name:
        w.text("nomUsage", identity.usage_name)
    else:
        w.nil("nomUsage")
    w.text("prenom1", identity.first_name1)
    for extra in ("first_name2", "first_name3"):
        if getattr(identity, extra):
            w.text("prenom" + extra[-1], getattr(identity, extra))
    w.text("anneeNaissance", identity.birth_date.year)
    w.text("moisNaissance", f"{identity.birth_date.month:02d}")
    w.text("jourNaissance", f"{identity.birth_date.day:02d}")
    w.text("sexe", identity.sex)
    if identity.born_in_france:
        w.open("codeCommuneNaissance")
        if identity.birth_insee_code:
            w.open("codeInseeNaissance")
            w.text("codeInsee", identity.birth_insee_code)
            w.close("codeInseeNaissance")
        else:
            w.open("codePostalNaissance")
            w.text("codePostal", identity.birth_postcode)
            w.close("codePostalNaissance")
        w.close("codeCommuneNaissance")
    w.text("libelleCommuneNaissance", identity.birth_city)
    w.text("codePaysNaissance", identity.birth_country_code)
    w.close("titulaire")
    w.close("identificationTitulaire")
    w.close("passageCertification")


def write(flux: Flux, out) -> int:
    """Write ``flux`` to the binary stream ``out``; returns the passages written."""
    account = CdcAccount.objects.get(organisation=flux.organisation)
    w = Writer(out)
    w.gen.startDocument()
    w.open("flux", {"xmlns:cpf": NS, "xmlns:xsi": XSI})
    w.text("idFlux", flux.id_flux)
    w.text("horodatage", timezone.localtime().replace(microsecond=0).isoformat())
    w.text("action", flux.action)
    w.open("emetteur")
    w.text("idClient", account.client_id)
    w.open("certificateurs")
    w.open("certificateur")
    w.text("idClient", account.client_id)
    w.text("idContrat", account.contract_id)
    w.open("certifications")
    passages = (
        Passage.objects.filter(flux=flux)
        .select_related("certification", "dossier__civil_identity")
        .order_by("certification__code", "certification_id", "pk")
    )
    current, written = None, 0
    for passage in passages.iterator(chunk_size=1000):
        if passage.certification_id != current:
            if current is not None:
                w.close("passageCertifications")
                w.close("certification")
            current = passage.certification_id
            w.open("certification")
            w.text("type", certification_type(passage.certification.code))
            w.text("code", passage.certification.code)
            w.text("natureDeposant", "CERTIFICATEUR")
            w.open("passageCertifications")
        write_passage(w, passage)
        written += 1
        if written % PROGRESS_EVERY == 0:
            Flux.objects.filter(pk=flux.pk).update(done=written)
    if current is not None:
        w.close("passageCertifications")
        w.close("certification")
    for name in ("certifications", "certificateur", "certificateurs", "emetteur", "flux"):
        w.close(name)
    w.gen.endDocument()
    return written


def kit_schema() -> Path | None:
    """The CDC's XSD, when the certifier has put its kit in ``CDC_KIT_DIR`` (the portal ships none)."""
    folder = Path(settings.CDC_KIT_DIR)
    if not folder.is_dir():
        return None
    schemas = sorted(folder.glob("*.xsd"))
    return schemas[0] if schemas else None


def validate(path: Path, schema_path: Path) -> None:
    """Stream ``path`` through the CDC's schema; raises ``ValueError`` with the first error."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(schema_path)))
    try:
        for _event, element in etree.iterparse(str(path), events=("end",), schema=schema, huge_tree=True):
            element.clear()
    except etree.XMLSyntaxError as exc:
        raise ValueError(str(exc)) from exc


def build(flux_id: int) -> None:
    """The worker's job: write, check, attach, mark the passages sent. Idempotent."""
    flux = Flux.objects.select_related("organisation").get(pk=flux_id)
    if flux.status in (FluxStatus.DONE, FluxStatus.FAILED):
        return
    Flux.objects.filter(pk=flux.pk).update(status=FluxStatus.RUNNING, done=0)
    handle, name = tempfile.mkstemp(suffix=".xml")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            written = write(flux, out)
        schema = kit_schema()
        if schema is not None:
            validate(path, schema)
        with path.open("rb") as data:
            flux.file.save(f"{flux.id_flux}.xml", File(data), save=False)
        flux.done, flux.status, flux.xsd_checked = written, FluxStatus.DONE, schema is not None
        flux.finished_at = timezone.now()
        flux.save(update_fields=["file", "done", "status", "xsd_checked", "finished_at"])
        services.mark_sent(flux)
    except Exception as exc:
        services.release(flux, str(exc))
        if not isinstance(exc, ValueError):
            raise
    finally:
        path.unlink(missing_ok=True)


def parse_day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)
