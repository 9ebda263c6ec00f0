"""Declaring holders to the Caisse des Dépôts: who is to declare, the flux, the CDC's report,
withdrawals, never twice, the XSD check, streaming."""

import io
import tracemalloc
import uuid

import pytest
from django.core.management import call_command
from lxml import etree

from accrochage import flux as flux_builder
from accrochage import report, services
from accrochage.errors import CdcError
from accrochage.models import Flux, FluxStatus, Passage, PassageAction, PassageStatus
from juries import services as jury_services
from tests.accrochage.conftest import IDENTITY, build, jury_day
from tests.credentials.conftest import award

NS = {"cpf": "urn:cdc:cpf:pc5:schema:1.0.0"}


def xml(flux):
    with flux.file.open("rb") as handle:
        return etree.parse(handle)


def test_a_final_whole_certification_is_a_holder_to_declare_as_soon_as_the_minutes_are_final(holder):
    passage = Passage.objects.get()
    assert passage.action == PassageAction.CREATION and passage.status == PassageStatus.TO_DECLARE
    assert passage.awarded_on == jury_day(holder)
    assert services.sync_passages(holder.organisation) == 0


def test_blocs_only_and_unsigned_minutes_give_no_holder(db, django_capture_on_commit_callbacks):
    partial = award(django_capture_on_commit_callbacks, validated="first bloc only")
    pending = award(django_capture_on_commit_callbacks, final=False)
    for a in (partial, pending):
        assert services.sync_passages(a.certification.certifiers.get()) == 0


def test_the_flux_declares_the_holder_with_the_shape_the_cdc_reads(holder, django_capture_on_commit_callbacks):
    flux = build(holder, django_capture_on_commit_callbacks)
    assert flux.status == FluxStatus.DONE and flux.total == flux.done == 1 and not flux.xsd_checked
    tree = xml(flux)
    root = tree.getroot()
    assert root.tag == "{urn:cdc:cpf:pc5:schema:1.0.0}flux"
    assert root.findtext("cpf:idFlux", namespaces=NS) == str(flux.id_flux)
    assert root.findtext("cpf:action", namespaces=NS) == "CREATION"
    certificateur = root.find("cpf:emetteur/cpf:certificateurs/cpf:certificateur", NS)
    assert certificateur.findtext("cpf:idClient", namespaces=NS) == "03ABC123"
    assert certificateur.findtext("cpf:idContrat", namespaces=NS) == "MCFCER000123"
    certification = certificateur.find("cpf:certifications/cpf:certification", NS)
    assert certification.findtext("cpf:type", namespaces=NS) == "RNCP"
    assert certification.findtext("cpf:code", namespaces=NS) == holder.certification.code
    passage = certification.find("cpf:passageCertifications/cpf:passageCertification", NS)
    stored = Passage.objects.get()
    assert passage.findtext("cpf:idTechnique", namespaces=NS) == str(stored.id_technique)
    assert passage.findtext("cpf:dateDebutValidite", namespaces=NS) == jury_day(holder).isoformat()
    assert passage.findtext("cpf:modalitesInscription/cpf:modaliteAcces", namespaces=NS) == "VAE"
    titulaire = passage.find("cpf:identificationTitulaire/cpf:titulaire", NS)
    assert [titulaire.findtext(f"cpf:{n}", namespaces=NS) for n in ("nomNaissance", "prenom1", "prenom2", "sexe")] == [
        "Girard",
        "Pauline",
        "Marie",
        "F",
    ]
    assert titulaire.findtext("cpf:anneeNaissance", namespaces=NS) == "1985"
    assert titulaire.findtext("cpf:codeCommuneNaissance/cpf:codeInseeNaissance/cpf:codeInsee", namespaces=NS) == "35288"
    assert stored.status == PassageStatus.SENT and stored.flux == flux


def test_nothing_is_declared_twice(holder, django_capture_on_commit_callbacks):
    build(holder, django_capture_on_commit_callbacks)
    with pytest.raises(CdcError):
        build(holder, django_capture_on_commit_callbacks)
    assert Flux.objects.filter(status=FluxStatus.DONE).count() == 1


def test_a_holder_without_identity_waits_for_it(db, django_capture_on_commit_callbacks):
    awarded = award(django_capture_on_commit_callbacks)
    org = awarded.certification.certifiers.get()
    services.save_account(org, "03ABC123", "MCFCER000123", awarded.certifier)
    awarded.organisation = org
    with pytest.raises(CdcError, match="identité"):
        build(awarded, django_capture_on_commit_callbacks)
    services.sync_passages(org)
    assert Passage.objects.get().status == PassageStatus.TO_DECLARE
    assert not Flux.objects.exists()


def test_a_flux_needs_the_cdc_identifiers(db, django_capture_on_commit_callbacks):
    awarded = award(django_capture_on_commit_callbacks)
    awarded.organisation = awarded.certification.certifiers.get()
    with pytest.raises(CdcError, match="identifiants CDC"):
        build(awarded, django_capture_on_commit_callbacks)


def report_xml(rows) -> io.BytesIO:
    body = "".join(
        f"<passage><idTechnique>{i}</idTechnique><statut>{s}</statut>"
        + (f"<erreurs><libelleErreur>{m}</libelleErreur></erreurs>" if m else "")
        + "</passage>"
        for i, s, m in rows
    )
    return io.BytesIO(f'<?xml version="1.0"?><compteRendu>{body}</compteRendu>'.encode())


def test_the_report_marks_ok_declared_and_ko_refused_then_the_correction_goes_into_the_next_flux(
    holder, django_capture_on_commit_callbacks
):
    build(holder, django_capture_on_commit_callbacks)
    passage = Passage.objects.get()
    counts = services.apply_report(
        holder.organisation, report.read(report_xml([(passage.id_technique, "KO", "Code INSEE inconnu")])), None
    )
    assert counts == {"ok": 0, "ko": 1, "unknown": 0}
    passage.refresh_from_db()
    assert passage.status == PassageStatus.REJECTED and passage.cdc_reason == "Code INSEE inconnu"
    services.save_identity(holder.convocation.dossier, {**IDENTITY, "birth_insee_code": "35049"}, holder.candidate)
    second = build(holder, django_capture_on_commit_callbacks)
    assert second.total == 1
    sent = xml(second).getroot().find(".//cpf:passageCertification", NS)
    assert sent.findtext("cpf:idTechnique", namespaces=NS) == str(passage.id_technique)
    assert ".//cpf:codeInsee" and sent.findtext(".//cpf:codeInsee", namespaces=NS) == "35049"
    csv_report = io.BytesIO(f"idTechnique;statut;motif\n{passage.id_technique};OK;\n{uuid.uuid4()};OK;\n".encode())
    assert services.apply_report(holder.organisation, report.read(csv_report), None) == {"ok": 1, "ko": 0, "unknown": 1}
    passage.refresh_from_db()
    assert passage.status == PassageStatus.DECLARED and passage.declared_at is not None


def test_a_report_of_another_organisation_touches_nothing(holder, django_capture_on_commit_callbacks):
    from tests.factories import CertifierFactory

    build(holder, django_capture_on_commit_callbacks)
    passage = Passage.objects.get()
    counts = services.apply_report(CertifierFactory(), [(passage.id_technique, True, "")], None)
    assert counts["unknown"] == 1
    passage.refresh_from_db()
    assert passage.status == PassageStatus.SENT


def test_a_revoked_declared_decision_is_withdrawn_with_the_same_id(holder, django_capture_on_commit_callbacks):
    build(holder, django_capture_on_commit_callbacks)
    passage = Passage.objects.get()
    services.apply_report(holder.organisation, [(passage.id_technique, True, "")], None)
    jury_services.revoke_decision(holder.decision, holder.certifier, "Fraude avérée.")
    withdrawal = Passage.objects.get(action=PassageAction.DELETION)
    assert withdrawal.id_technique == passage.id_technique and withdrawal.status == PassageStatus.TO_DECLARE
    flux = build(holder, django_capture_on_commit_callbacks, action=PassageAction.DELETION)
    root = xml(flux).getroot()
    assert root.findtext("cpf:action", namespaces=NS) == "SUPPRESSION"
    assert root.findtext(".//cpf:idTechnique", namespaces=NS) == str(passage.id_technique)


def test_a_decision_revoked_before_sending_is_never_declared(holder, django_capture_on_commit_callbacks):
    services.sync_passages(holder.organisation)
    jury_services.revoke_decision(holder.decision, holder.certifier, "Erreur de saisie.")
    assert Passage.objects.get().status == PassageStatus.CANCELLED
    with pytest.raises(CdcError):
        build(holder, django_capture_on_commit_callbacks)


PERMISSIVE_XSD = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:cdc:cpf:pc5:schema:1.0.0"
  elementFormDefault="qualified">
  <xs:element name="flux"><xs:complexType><xs:sequence>
    <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>"""
STRICT_XSD = PERMISSIVE_XSD.replace('name="flux"', 'name="autreRacine"')


def test_the_flux_is_checked_against_the_kits_xsd_when_the_certifier_put_it(
    holder, django_capture_on_commit_callbacks, settings
):
    settings.CDC_KIT_DIR.mkdir(parents=True)
    (settings.CDC_KIT_DIR / "flux.xsd").write_text(STRICT_XSD)
    failed = build(holder, django_capture_on_commit_callbacks)
    assert failed.status == FluxStatus.FAILED and failed.error and not failed.file
    assert Passage.objects.get().status == PassageStatus.TO_DECLARE and Passage.objects.get().flux is None
    (settings.CDC_KIT_DIR / "flux.xsd").write_text(PERMISSIVE_XSD)
    checked = build(holder, django_capture_on_commit_callbacks)
    assert checked.status == FluxStatus.DONE and checked.xsd_checked


def _many_passages(holder, count):
    """``count`` passages of one holder in one flux (revoked decisions, so the constraints hold)."""
    from django.utils import timezone

    from juries.models import Decision

    base = holder.decision
    decisions = Decision.objects.bulk_create(
        Decision(
            convocation=base.convocation,
            dossier=base.dossier,
            result=base.result,
            decided_at=base.decided_at,
            revoked_at=timezone.now(),
            revocation_reason="charge",
        )
        for _ in range(count)
    )
    flux = Flux.objects.create(
        organisation=holder.organisation, action="CREATION", period_start=jury_day(holder), period_end=jury_day(holder)
    )
    Passage.objects.bulk_create(
        Passage(
            action="CREATION",
            organisation=holder.organisation,
            certification=holder.certification,
            dossier=base.dossier,
            decision=d,
            awarded_on=jury_day(holder),
            flux=flux,
        )
        for d in decisions
    )
    return flux


def _peak(flux) -> int:
    tracemalloc.start()
    try:
        written = flux_builder.write(flux, _Sink())
        return written, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class _Sink(io.RawIOBase):
    """Counts bytes and keeps none: the file's size is not what is measured."""

    def writable(self):
        return True

    def write(self, b):
        return len(b)


def test_the_flux_is_written_in_constant_memory(holder):
    small = _many_passages(holder, 1500)
    large = _many_passages(holder, 6000)
    written_small, peak_small = _peak(small)
    written_large, peak_large = _peak(large)
    assert (written_small, written_large) == (1500, 6000)
    assert peak_large < peak_small * 1.5  # four times the passages, not four times the memory


def test_export_cdc_builds_the_flux_from_the_command_line(holder, django_capture_on_commit_callbacks):
    day = jury_day(holder).isoformat()
    out = io.StringIO()
    call_command("export_cdc", organisation=holder.organisation.siret, start=day, end=day, stdout=out)
    assert "1 passage(s)" in out.getvalue()
    assert Passage.objects.get().status == PassageStatus.SENT


def test_erasing_the_dossier_erases_the_identity_unless_it_was_sent(holder, django_capture_on_commit_callbacks):
    from dossiers.models import CivilIdentity
    from privacy.erasure import erase_dossier_content

    dossier = holder.convocation.dossier
    erase_dossier_content(dossier, actor=holder.candidate)
    assert not CivilIdentity.objects.filter(dossier=dossier).exists()
    services.save_identity(dossier, IDENTITY, holder.candidate)
    build(holder, django_capture_on_commit_callbacks)
    erase_dossier_content(dossier, actor=holder.candidate)
    assert CivilIdentity.objects.filter(dossier=dossier).exists()


def cdc_report(id_flux, ok=(), ko=(), namespace="urn:cdc:cpf:pc5:rapport:schema") -> io.BytesIO:
    """The CDC's processing report as public samples show it: ``rapport`` naming the flux, the
    ``idTechnique`` of accepted passages under ``PassagesOK``, one ``passage`` per refusal with
    its ``messageErreur`` under ``PassagesKO``."""
    accepted = "".join(f"<idTechnique>{i}</idTechnique>" for i in ok)
    refused = "".join(
        f"<passage><idTechnique>{i}</idTechnique>"
        + "".join(f"<messageErreur>{m}</messageErreur>" for m in ms)
        + "</passage>"
        for i, ms in ko
    )
    return io.BytesIO(
        f'<?xml version="1.0" encoding="UTF-8"?><ns2:rapport xmlns:ns2="{namespace}">'
        f"<nomFichier>{id_flux}.xml</nomFichier><idFlux>{id_flux}</idFlux><idTraitement>51354</idTraitement>"
        f"<PassagesKO>{refused}</PassagesKO><PassagesOK>{accepted}</PassagesOK></ns2:rapport>".encode()
    )


def test_the_cdcs_report_is_read_by_its_sections_ok_and_ko(holder, django_capture_on_commit_callbacks):
    flux = build(holder, django_capture_on_commit_callbacks)
    passage = Passage.objects.get()
    stranger = uuid.uuid4()
    read = report.read(
        cdc_report(
            flux.id_flux,
            ok=[stranger, "202006-2094"],
            ko=[(passage.id_technique, ["Aucun titulaire ne correspond aux critères obligatoires", "Date invalide"])],
        )
    )
    assert read.id_flux == str(flux.id_flux)
    assert list(read) == [
        (passage.id_technique, False, "Aucun titulaire ne correspond aux critères obligatoires ; Date invalide"),
        (stranger, True, ""),
        (None, True, ""),
    ]
    assert services.apply_report(holder.organisation, read, None, flux=flux) == {"ok": 0, "ko": 1, "unknown": 2}
    passage.refresh_from_db()
    flux.refresh_from_db()
    assert passage.status == PassageStatus.REJECTED and passage.cdc_reason.startswith("Aucun titulaire")
    assert flux.report_received_at is not None
    services.put_back(passage, holder.certifier)
    second = build(holder, django_capture_on_commit_callbacks)
    read = report.read(cdc_report(second.id_flux, ok=[passage.id_technique]))
    assert services.apply_report(holder.organisation, read, None, flux=second) == {"ok": 1, "ko": 0, "unknown": 0}
    passage.refresh_from_db()
    assert passage.status == PassageStatus.DECLARED


def test_a_report_naming_another_flux_is_refused_on_this_fluxs_page(holder, django_capture_on_commit_callbacks):
    flux = build(holder, django_capture_on_commit_callbacks)
    passage = Passage.objects.get()
    other = uuid.uuid4()
    with pytest.raises(CdcError, match=f"Ce compte rendu porte sur le flux {other}, pas sur celui-ci"):
        services.apply_report(
            holder.organisation, report.read(cdc_report(other, ok=[passage.id_technique])), None, flux=flux
        )
    passage.refresh_from_db()
    assert passage.status == PassageStatus.SENT
