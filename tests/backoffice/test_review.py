import csv
import html
import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from dossiers.enums import DossierStatus as S
from dossiers.models import TransitionLog
from tests.factories import UserFactory, dossier_in_state

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def test_the_queue_counts_each_state_and_filters_by_state(certifier_client, cert):
    waiting = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    validation = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)

    response = certifier_client.get(reverse("backoffice:queue"), {"status": S.VALIDATION_SUBMITTED})

    tabs = dict((state.value, n) for state, n in response.context["tabs"])
    assert tabs[S.FEASIBILITY_SUBMITTED] == 2
    assert tabs[S.VALIDATION_SUBMITTED] == 1
    assert response.context["total"] == 3
    assert list(response.context["page"]) == [validation]
    assert waiting.candidate.email not in page_of(response)


def test_the_queue_filters_by_name_certification_and_dates(certifier_client, cert, certifier):
    from tests.factories import make_certification

    second = make_certification(published=True)
    second.certifiers.set(cert.certifiers.all())
    nina = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert, candidate=UserFactory(last_name="Lopez"))
    other = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=second)

    by_name = certifier_client.get(reverse("backoffice:queue"), {"q": "lopez"}).context["page"]
    by_cert = certifier_client.get(reverse("backoffice:queue"), {"certification": second.pk}).context["page"]
    future = certifier_client.get(reverse("backoffice:queue"), {"submitted_from": "2999-01-01"}).context["page"]
    past = certifier_client.get(reverse("backoffice:queue"), {"submitted_to": "2000-01-01"}).context["page"]

    assert list(by_name) == [nina]
    assert list(by_cert) == [other]
    assert list(future) == [] and list(past) == []


def test_the_queue_paginates(certifier_client, cert, monkeypatch):
    from backoffice.views import review

    monkeypatch.setattr(review, "PAGE_SIZE", 2)
    for _ in range(3):
        dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    first = certifier_client.get(reverse("backoffice:queue"))
    second = certifier_client.get(reverse("backoffice:queue"), {"page": 2})
    assert len(first.context["page"]) == 2 and len(second.context["page"]) == 1
    assert "Page 1 sur 2" in page_of(first)


def test_the_queue_needs_the_same_number_of_queries_for_1_or_12_dossiers(
    certifier_client, cert, django_assert_max_num_queries
):
    dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    with django_assert_max_num_queries(12) as ctx:
        certifier_client.get(reverse("backoffice:queue"))
    few = len(ctx.captured_queries)
    for state in [S.FEASIBILITY_SUBMITTED, S.VALIDATION_SUBMITTED, S.READY_FOR_JURY] * 4:
        dossier_in_state(state, certification=cert)
    with django_assert_max_num_queries(12) as ctx:
        certifier_client.get(reverse("backoffice:queue"))
    assert len(ctx.captured_queries) == few


def test_the_dashboard_needs_a_fixed_number_of_queries(certifier_client, cert, django_assert_max_num_queries):
    from tests.factories import make_session

    make_session(cert)
    with django_assert_max_num_queries(12) as ctx:
        certifier_client.get(reverse("backoffice:dashboard"))
    few = len(ctx.captured_queries)
    for _ in range(3):
        make_session(cert)
        dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    with django_assert_max_num_queries(12) as ctx:
        certifier_client.get(reverse("backoffice:dashboard"))
    assert len(ctx.captured_queries) == few


def test_the_csv_export_follows_the_filters_and_neutralises_formulas(certifier_client, cert):
    evil = UserFactory(last_name="=HYPERLINK(1)", first_name="Ève")
    dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert, candidate=evil)
    dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)

    response = certifier_client.get(reverse("backoffice:queue_export"), {"status": S.FEASIBILITY_SUBMITTED})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Dossier", "Nom", "Prénom", "E-mail"]
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][2] == "Ève"
    assert rows[1][7] == "recevabilité demandée"


def test_the_dossier_page_shows_the_frozen_snapshot_with_navigation_and_timeline(certifier_client, cert):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    statement = dossier.statements.first()
    statement.narrative = "Texte modifié après le dépôt"
    statement.save()

    page = page_of(certifier_client.get(reverse("backoffice:dossier", args=[dossier.pk])))

    assert "Texte modifié après le dépôt" not in page  # the snapshot, not the moving draft
    assert "recyclerie solidaire" in page
    block = cert.blocks.get(order=1)
    comp = block.competencies.get(order=1)
    assert f'href="#snap-block-{block.pk}"' in page and f'id="snap-block-{block.pk}"' in page
    assert f'href="#snap-competency-{comp.pk}"' in page and f'id="snap-competency-{comp.pk}"' in page
    assert "Bilan du projet" in page
    proof = dossier.proofs.get()
    assert reverse("backoffice:dossier_proof", args=[dossier.pk, proof.pk]) in page
    assert "Historique" in page and "Recevable : dossier de validation en cours" in page
    assert "Examen du dossier de validation" in page
    assert "PDF en attente de génération" in page  # the documents app's status fragment


def test_an_earlier_submitted_version_can_be_read(certifier_client, cert):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    feasibility = dossier.snapshots.get(kind="feasibility")
    response = certifier_client.get(reverse("backoffice:dossier", args=[dossier.pk]), {"version": feasibility.pk})
    assert response.context["snapshot"] == feasibility
    assert not response.context["is_validation"]


def test_the_dossier_page_needs_a_fixed_number_of_queries(certifier_client, cert, django_assert_max_num_queries):
    from tests.factories import make_certification

    small = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    big_cert = make_certification(published=True, blocks=4, competencies=6)
    big_cert.certifiers.set(cert.certifiers.all())
    big = dossier_in_state(S.VALIDATION_SUBMITTED, certification=big_cert)
    # 12, and the PDF status: the document, who may read it; whether it came from France VAE; the
    # thread and annotations (messages unread, the messages, the annotations: tests/messaging);
    # its accompaniment (organisation, hours, opinion), and the thread's note of who accompanies
    with django_assert_max_num_queries(20) as ctx:
        certifier_client.get(reverse("backoffice:dossier", args=[small.pk]))
    count = len(ctx.captured_queries)
    with django_assert_max_num_queries(20) as ctx:
        certifier_client.get(reverse("backoffice:dossier", args=[big.pk]))
    assert len(ctx.captured_queries) == count


# --- decisions ----------------------------------------------------------------------------


def decide(client, dossier, **data):
    return client.post(reverse("backoffice:dossier_feasibility", args=[dossier.pk]), data, follow=True)


def review(client, dossier, **data):
    return client.post(reverse("backoffice:dossier_validation", args=[dossier.pk]), data, follow=True)


def test_declaring_a_dossier_recevable_logs_it_and_emails_the_candidate(
    certifier_client, cert, certifier, django_capture_on_commit_callbacks
):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(certifier_client, dossier, decision=S.ADMISSIBLE)

    dossier.refresh_from_db()
    assert dossier.status == S.ADMISSIBLE
    log = TransitionLog.objects.filter(dossier=dossier).last()
    assert (log.actor, log.to_status) == (certifier, S.ADMISSIBLE)
    assert mail.outbox[0].to == [dossier.candidate.email]
    assert "Décision enregistrée : Recevable" in page_of(response)


@pytest.mark.parametrize("decision", [S.FEASIBILITY_INCOMPLETE, S.INADMISSIBLE])
def test_a_negative_recevabilite_decision_needs_a_reason_that_the_candidate_reads(certifier_client, cert, decision):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)

    refused = decide(certifier_client, dossier, decision=decision, comment="  ")
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED
    assert "Indiquez le motif" in page_of(refused)

    decide(certifier_client, dossier, decision=decision, comment="Il manque l'attestation employeur.")
    dossier.refresh_from_db()
    assert dossier.status == decision
    assert TransitionLog.objects.filter(dossier=dossier).last().comment == "Il manque l'attestation employeur."


def test_a_recevabilite_decision_on_a_dossier_not_waiting_for_one_is_refused(certifier_client, cert):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert)
    response = decide(certifier_client, dossier, decision=S.INADMISSIBLE, comment="Trop tard")
    dossier.refresh_from_db()
    assert dossier.status == S.ADMISSIBLE
    assert "Aucune demande de recevabilité n'est en attente" in page_of(response)


def test_an_unknown_decision_is_refused(certifier_client, cert):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    decide(certifier_client, dossier, decision=S.DECIDED)
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED


def test_a_complete_dossier_de_validation_waits_for_a_jury(certifier_client, cert):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    review(certifier_client, dossier, decision="complete")
    dossier.refresh_from_db()
    assert dossier.status == S.READY_FOR_JURY


def test_a_dossier_de_validation_to_complete_needs_what_is_missing(certifier_client, cert):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    response = review(certifier_client, dossier, decision="incomplete", comment="")
    assert "Indiquez ce qui manque" in page_of(response)
    review(certifier_client, dossier, decision="incomplete", comment="Le récit du bloc 2 est trop court.")
    dossier.refresh_from_db()
    assert dossier.status == S.VALIDATION_INCOMPLETE


@pytest.mark.parametrize("state", [S.FEASIBILITY_SUBMITTED, S.READY_FOR_JURY, S.VALIDATION_INCOMPLETE])
def test_a_validation_review_outside_its_state_is_refused(certifier_client, cert, state):
    dossier = dossier_in_state(state, certification=cert)
    response = review(certifier_client, dossier, decision="complete")
    dossier.refresh_from_db()
    assert dossier.status == state
    assert "Aucun dossier de validation n'est en attente" in page_of(response)


def test_the_decision_forms_appear_only_in_their_state(certifier_client, cert):
    waiting = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    ready = dossier_in_state(S.READY_FOR_JURY, certification=cert)
    assert "Décision de recevabilité" in page_of(certifier_client.get(reverse("backoffice:dossier", args=[waiting.pk])))
    page = page_of(certifier_client.get(reverse("backoffice:dossier", args=[ready.pk])))
    assert "Décision de recevabilité" not in page and "Examen du dossier de validation" not in page


def test_the_identity_document_downloads_as_an_attachment(certifier_client, cert):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    response = certifier_client.get(reverse("backoffice:dossier_identity", args=[dossier.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="identite.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- only what the candidate submitted -----------------------------------------------------


def _upload_proof(dossier, title):
    from dossiers import services
    from tests.factories import pdf_upload

    return services.add_proof(
        dossier, pdf_upload(f"{title}.pdf"), competencies=[], actor=dossier.candidate, title=title, kind="other"
    )


def test_a_certifier_cannot_download_a_proof_of_a_dossier_de_validation_not_yet_submitted(certifier_client, cert):
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert)
    draft_proof = _upload_proof(dossier, "Brouillon personnel")

    response = certifier_client.get(reverse("backoffice:dossier_proof", args=[dossier.pk, draft_proof.pk]))

    assert response.status_code == 404
    assert "Brouillon personnel" not in page_of(certifier_client.get(reverse("backoffice:dossier", args=[dossier.pk])))


def test_a_certifier_neither_sees_nor_downloads_a_proof_uploaded_after_the_deposit(certifier_client, cert):
    dossier = dossier_in_state(S.VALIDATION_INCOMPLETE, certification=cert)
    submitted = dossier.proofs.get()
    later = _upload_proof(dossier, "Ajout non déposé")

    page = page_of(certifier_client.get(reverse("backoffice:dossier", args=[dossier.pk])))
    assert "Bilan du projet" in page and "Ajout non déposé" not in page
    assert reverse("backoffice:dossier_proof", args=[dossier.pk, later.pk]) not in page
    assert certifier_client.get(reverse("backoffice:dossier_proof", args=[dossier.pk, later.pk])).status_code == 404
    assert certifier_client.get(reverse("backoffice:dossier_proof", args=[dossier.pk, submitted.pk])).status_code == 200

    # Submitted again, the new proof is the certifier's to read.
    from dossiers import services

    services.submit_validation(dossier, dossier.candidate)
    response = certifier_client.get(reverse("backoffice:dossier_proof", args=[dossier.pk, later.pk]))
    assert response.status_code == 200


def test_a_certifier_cannot_download_an_identity_document_replaced_since_the_request(certifier_client, cert):
    from dossiers import services
    from tests.factories import pdf_upload

    dossier = dossier_in_state(S.FEASIBILITY_INCOMPLETE, certification=cert)
    url = reverse("backoffice:dossier_identity", args=[dossier.pk])
    assert certifier_client.get(url).status_code == 200
    services.set_identity_document(dossier, pdf_upload("nouvelle-piece.pdf"), actor=dossier.candidate)

    assert certifier_client.get(url).status_code == 404
    page = page_of(certifier_client.get(reverse("backoffice:dossier", args=[dossier.pk])))
    assert url not in page

    services.request_feasibility(dossier, dossier.candidate)
    response = certifier_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="nouvelle-piece.pdf"')


def test_the_queue_search_ignores_accents_and_case_on_both_sides(certifier_client, cert):
    helene = dossier_in_state(
        S.FEASIBILITY_SUBMITTED, certification=cert, candidate=UserFactory(first_name="Hélène", last_name="Bœuf")
    )
    other = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert, candidate=UserFactory(last_name="Martin"))

    for query in ["helene", "HÉLÈNE", "boeuf", "Hélène BŒUF"]:
        found = list(certifier_client.get(reverse("backoffice:queue"), {"q": query}).context["page"])
        assert found == [helene], query
    assert list(certifier_client.get(reverse("backoffice:queue"), {"q": "MARTÍN"}).context["page"]) == [other]


def test_the_queue_date_filters_take_whole_local_days(certifier_client, cert):
    import datetime as dt

    from django.utils import timezone

    late = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    # 23:30 in Paris on 3 March is 22:30 UTC: still the 3rd for the certifier.
    paris_evening = dt.datetime(2026, 3, 3, 23, 30, tzinfo=timezone.get_current_timezone())
    type(late).objects.filter(pk=late.pk).update(feasibility_submitted_at=paris_evening)

    def found(**params) -> list:
        return list(certifier_client.get(reverse("backoffice:queue"), params).context["page"])

    assert found(submitted_from="2026-03-03", submitted_to="2026-03-03") == [late]
    assert found(submitted_from="2026-03-04") == []
    assert found(submitted_to="2026-03-02") == []


def test_frozen_experiences_read_as_french_dates_and_durations(certifier_client, cert):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)

    page = page_of(certifier_client.get(reverse("backoffice:dossier", args=[dossier.pk])))

    assert "depuis le 1er\xa0septembre 2019 (" in page  # not « du 2019-09-01 au aujourd'hui »
    assert " ans et " in page and "mois)" in page  # not « (87 mois) »
    assert "10\xa0h par semaine" in page  # not « 10.00 h »


def test_a_dossier_status_has_the_same_badge_colour_for_the_candidate_and_the_certifier(certifier_client, cert):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    candidate = Client()
    candidate.force_login(dossier.candidate)

    certifier_page = certifier_client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    candidate_page = candidate.get(reverse("home")).content.decode()

    badge = 'class="badge text-bg-info"'
    assert f'<span {badge} id="dossier-status">Dossier de validation déposé</span>' in certifier_page
    assert f"<span {badge}>Dossier de validation déposé</span>" in candidate_page
