"""The recevabilité request as the dossier de faisabilité (arrêté du 3 juillet 2025, Code du
travail R6412-3 and L6412-2): its sections, mandatory fields, the per-bloc rule, prerequisites,
the calendar-year limit and the certifier's two months."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from dossiers import feasibility, services
from dossiers.enums import DossierStatus as S
from dossiers.models import CivilIdentity, Dossier
from tests.factories import (
    UserFactory,
    dossier_in_state,
    fill_feasibility,
    make_certification,
    pdf_upload,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db

CANDIDATE_POST = {
    "birth_name": "Girard",
    "usage_name": "",
    "first_name1": "Lucie",
    "first_name2": "",
    "first_name3": "",
    "sex": "F",
    "birth_date": "1985-03-14",
    "nationality": "française",
    "training_level": "4",
    "certification_level": "4",
    "titles_held": "Baccalauréat professionnel",
    "street": "12 rue des Lilas",
    "address_complement": "",
    "postcode": "35000",
    "city": "Rennes",
    "country": "France",
    "phone": "06 12 34 56 78",
    "email": "lucie@example.org",
    "status": "volunteer",
    "idcc": "",
    "objectives": ["progress", "recognition"],
}


@pytest.fixture
def candidate_client(client):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def draft(candidate_client, certification):
    return services.start_dossier(candidate_client.user, certification)


def section_url(dossier, section):
    return reverse("dossiers:feasibility_section", args=[dossier.pk, section])


# --- mandatory fields -------------------------------------------------------------------


def test_a_missing_birth_name_is_refused_naming_it_and_nothing_typed_is_lost(candidate_client, draft):
    response = candidate_client.post(section_url(draft, "candidate"), {**CANDIDATE_POST, "birth_name": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "« Nom de naissance » est obligatoire." in page
    assert 'value="12 rue des Lilas"' in page and 'value="Lucie"' in page
    assert not CivilIdentity.objects.filter(dossier=draft).exists()


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("nationality", "Nationalité"),
        ("street", "Adresse (numéro et voie)"),
        ("country", "Pays"),
        ("phone", "Téléphone"),
        ("email", "Adresse e-mail"),
        ("training_level", "Niveau de formation le plus élevé"),
        ("certification_level", "Niveau de la certification la plus élevée obtenue"),
        ("status", "Statut"),
        ("birth_date", "Date de naissance"),
    ],
)
def test_each_mandatory_field_of_the_candidate_is_refused_when_missing(candidate_client, draft, field, label):
    response = candidate_client.post(section_url(draft, "candidate"), {**CANDIDATE_POST, field: ""})

    assert f"« {label} » est obligatoire." in response.content.decode()


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("first_name1", "Premier prénom"),
        ("sex", "Sexe (état civil)"),
        ("postcode", "Code postal"),
        ("city", "Commune"),
        ("titles_held", "Intitulés des certifications obtenues"),
    ],
)
def test_a_missing_name_sex_postcode_city_or_title_held_is_refused_naming_it_and_nothing_typed_is_lost(
    candidate_client, draft, field, label
):
    response = candidate_client.post(section_url(draft, "candidate"), {**CANDIDATE_POST, field: ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert f"« {label} » est obligatoire." in page
    kept = {name: value for name, value in CANDIDATE_POST.items() if name != field and isinstance(value, str)}
    for name in ("birth_name", "street", "nationality", "phone"):
        assert f'value="{kept[name]}"' in page, name
    if field != "titles_held":
        assert "Baccalauréat professionnel" in page
    assert not CivilIdentity.objects.filter(dossier=draft).exists()
    draft.feasibility.refresh_from_db()
    assert draft.feasibility.street == ""


def test_no_title_is_asked_of_a_candidate_who_holds_no_certification(candidate_client, draft):
    response = candidate_client.post(
        section_url(draft, "candidate"), {**CANDIDATE_POST, "certification_level": "none", "titles_held": ""}
    )

    assert response.status_code == 302
    draft.feasibility.refresh_from_db()
    assert draft.feasibility.certification_level == "none"


def test_a_missing_nature_is_refused_naming_it_and_the_date_typed_is_kept(candidate_client, draft):
    response = candidate_client.post(
        section_url(draft, "nature"), {"nature": "", "earlier_decision_date": "2024-05-02"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "« Nature de la demande » est obligatoire." in page
    assert 'value="2024-05-02"' in page
    draft.feasibility.refresh_from_db()
    assert draft.feasibility.nature == "" and draft.feasibility.earlier_decision_date is None


def test_an_employee_of_the_private_sector_gives_the_idcc(candidate_client, draft):
    response = candidate_client.post(section_url(draft, "candidate"), {**CANDIDATE_POST, "status": "private_employee"})

    assert "« Convention collective de l&#x27;employeur (IDCC) » est obligatoire." in response.content.decode()


def test_exactly_two_objectives_are_chosen(candidate_client, draft):
    response = candidate_client.post(section_url(draft, "candidate"), {**CANDIDATE_POST, "objectives": ["progress"]})

    assert "Choisissez exactement deux objectifs principaux." in response.content.decode()


def test_the_candidate_section_saves_the_civil_identity_and_the_situation(candidate_client, draft):
    response = candidate_client.post(section_url(draft, "candidate"), CANDIDATE_POST)

    assert response.status_code == 302
    identity = CivilIdentity.objects.get(dossier=draft)
    assert (identity.birth_name, identity.first_name1, identity.nationality) == ("Girard", "Lucie", "française")
    draft.feasibility.refresh_from_db()
    assert draft.feasibility.city == "Rennes" and draft.feasibility.objectives == ["progress", "recognition"]
    assert AuditEvent.objects.filter(action="feasibility.saved", dossier=draft).exists()


def test_a_renewal_needs_the_earlier_decision_date(candidate_client, draft):
    response = candidate_client.post(section_url(draft, "nature"), {"nature": "renewal"})

    assert "« Date de la décision de recevabilité antérieure » est obligatoire." in response.content.decode()


def test_the_signature_asks_the_choice_about_accompaniment(candidate_client, draft):
    response = candidate_client.post(section_url(draft, "signature"), {"signed": "on"})

    assert "« Accompagnement » est obligatoire." in response.content.decode()
    draft.refresh_from_db()
    assert draft.sworn_statement_at is None


def test_a_new_dossier_offers_the_identity_and_situation_already_given(candidate_client, certification):
    first = services.start_dossier(candidate_client.user, certification)
    fill_feasibility(first)
    services.withdraw(first, candidate_client.user)

    second = services.start_dossier(candidate_client.user, certification)

    assert CivilIdentity.objects.get(dossier=second).birth_name == "Girard"
    assert second.feasibility.city == "Rennes"
    page = candidate_client.get(section_url(second, "candidate")).content.decode()
    assert 'value="Girard"' in page


def test_a_complete_dossier_de_faisabilite_is_frozen_in_the_snapshot(candidate_client, draft):
    fill_feasibility(draft)

    services.request_feasibility(draft, candidate_client.user)

    content = draft.snapshots.get().content["feasibility"]
    assert content["identity"]["birth_name"] == "Girard"
    assert content["status_label"] == "bénévole"
    assert [o["value"] for o in content["objectives"]] == ["progress", "recognition"]
    assert all(b["activity"] == "yes" and b["comment"] for b in content["blocks"])
    CivilIdentity.objects.filter(dossier=draft).update(birth_name="Autre")
    assert draft.snapshots.get().content["feasibility"]["identity"]["birth_name"] == "Girard"


# --- per bloc -----------------------------------------------------------------------------


@pytest.mark.parametrize("activity", ["yes", "partly"])
def test_a_bloc_with_activity_needs_a_detailed_comment(draft, activity):
    block = draft.targeted_blocks().first()

    with pytest.raises(services.DossierError) as refusal:
        services.save_block_statement(draft, block, activity, "  ")

    assert "le commentaire détaillé est obligatoire" in str(refusal.value)


def test_a_bloc_without_activity_needs_no_comment(draft):
    block = draft.targeted_blocks().first()

    statement = services.save_block_statement(draft, block, "no", "")

    assert statement.activity == "no"


def test_the_blocs_page_keeps_what_was_typed_when_a_comment_is_missing(candidate_client, draft):
    first, second = draft.targeted_blocks()
    data = {
        f"block-{first.pk}-activity": "partly",
        f"block-{first.pk}-comment": "",
        f"block-{second.pk}-activity": "yes",
        f"block-{second.pk}-comment": "Trois ans de coordination.",
    }

    response = candidate_client.post(section_url(draft, "blocks"), data)

    page = response.content.decode()
    assert "Le commentaire détaillé est obligatoire pour « PARTIELLEMENT »." in page
    assert "Trois ans de coordination." in page
    assert draft.block_statements.get(block=second).comment == "Trois ans de coordination."


# --- prerequisites --------------------------------------------------------------------------


@pytest.fixture
def certification_with_prerequisite(db):
    cert = make_certification(published=True, blocks=1, competencies=1)
    cert.regulatory_prerequisites = ["Attestation de formation aux gestes et soins d'urgence de niveau 2"]
    cert.options = ["Option A", "Option B"]
    cert.save()
    return cert


def test_each_prerequisite_of_the_certification_is_asked(certification_with_prerequisite):
    dossier = services.start_dossier(UserFactory(), certification_with_prerequisite)

    messages = [g.message for g in feasibility.gaps(dossier)]

    assert (
        "Prérequis : dites si vous détenez « Attestation de formation aux gestes et soins d'urgence de niveau 2 »."
        in messages
    )
    assert "Certification visée : « option » est à renseigner." in messages


def test_a_prerequisite_held_needs_its_proof(certification_with_prerequisite):
    dossier = services.start_dossier(UserFactory(), certification_with_prerequisite)
    fill_feasibility(dossier)
    text = certification_with_prerequisite.regulatory_prerequisites[0]
    services.save_feasibility(dossier, "prerequisites", {"prerequisites_held": {text: True}})
    dossier = Dossier.objects.get(pk=dossier.pk)

    assert [g.section for g in feasibility.gaps(dossier)] == ["documents"]

    services.add_feasibility_document(
        dossier, pdf_upload("afgsu.pdf"), role="prerequisite", title="AFGSU 2", prerequisite=text
    )
    assert feasibility.gaps(dossier) == []


def test_an_option_the_certification_does_not_offer_is_refused(certification_with_prerequisite):
    dossier = services.start_dossier(UserFactory(), certification_with_prerequisite)

    with pytest.raises(services.DossierError) as refusal:
        services.save_feasibility(
            dossier, "certification", {"option": "Option Z", "foreign_language": "", "parcours": ""}
        )

    assert str(refusal.value) == "« Option Z » n'est pas proposé par cette certification."


# --- the calendar-year limit (R6412-3) --------------------------------------------------------


def _requested(candidate, certification, blocks=None, when=None):
    dossier = services.start_dossier(candidate, certification, blocks)
    fill_feasibility(dossier)
    services.request_feasibility(dossier, candidate)
    if when:
        Dossier.objects.filter(pk=dossier.pk).update(feasibility_submitted_at=when)
    return dossier


def test_a_second_request_for_the_same_certification_in_the_calendar_year_is_refused(db):
    candidate, cert = UserFactory(), make_certification(published=True)
    first = _requested(candidate, cert)
    services.decide_feasibility(first, UserFactory(admin=True), S.INADMISSIBLE, "Hors champ.")

    with pytest.raises(services.DossierError) as refusal:
        services.start_dossier(candidate, cert)

    assert "article R6412-3" in str(refusal.value) and "une par année civile" in str(refusal.value)


def test_the_limit_is_the_calendar_year_not_twelve_months(db):
    candidate, cert = UserFactory(), make_certification(published=True)
    first = _requested(candidate, cert)
    services.decide_feasibility(first, UserFactory(admin=True), S.INADMISSIBLE, "Hors champ.")
    last_december = dt.datetime(timezone.localdate().year - 1, 12, 31, 12, tzinfo=PARIS)
    Dossier.objects.filter(pk=first.pk).update(feasibility_submitted_at=last_december)

    assert services.start_dossier(candidate, cert).status == S.DRAFT


def test_a_fourth_certification_in_the_calendar_year_is_refused_even_for_blocs(db):
    candidate, admin = UserFactory(), UserFactory(admin=True)
    for _ in range(3):
        dossier = _requested(candidate, make_certification(published=True))
        services.decide_feasibility(dossier, admin, S.INADMISSIBLE, "Hors champ.")
    fourth = make_certification(published=True, blocks=2)

    with pytest.raises(services.DossierError) as refusal:
        services.start_dossier(candidate, fourth)
    assert "trois certifications différentes" in str(refusal.value)
    # Al. 3 exempts the earlier requests that targeted blocs, not a new one.
    with pytest.raises(services.DossierError):
        services.start_dossier(candidate, fourth, [fourth.blocks.first()])


def test_earlier_requests_that_targeted_blocs_do_not_count(db):
    candidate, admin = UserFactory(), UserFactory(admin=True)
    cert = make_certification(published=True, blocks=2)
    first = _requested(candidate, cert, blocks=[cert.blocks.first()])
    services.decide_feasibility(first, admin, S.INADMISSIBLE, "Hors champ.")

    assert services.start_dossier(candidate, cert).targets_all_blocks


# --- the certifier's two months (L6412-2) --------------------------------------------------


def test_two_months_of_silence_make_the_request_recevable(db, settings, django_capture_on_commit_callbacks):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)
    received = dt.datetime(2026, 3, 31, 10, 0, tzinfo=PARIS)
    dossier.feasibility.received_at = received
    dossier.feasibility.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.check_feasibility_deadlines(now=dt.datetime(2026, 5, 31, 9, 59, tzinfo=PARIS)) == (1, 0)
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.check_feasibility_deadlines(now=dt.datetime(2026, 5, 31, 10, 0, tzinfo=PARIS)) == (0, 1)

    dossier.refresh_from_db()
    assert dossier.status == S.ADMISSIBLE
    log = dossier.transitions.order_by("pk").last()
    assert log.actor is None and "Recevable (décision implicite)" in log.comment and "L6412-2" in log.comment
    assert AuditEvent.objects.filter(action="dossier.implicit_admissibility", dossier=dossier).exists()
    assert [m.to for m in mail.outbox] == [[dossier.candidate.email]]
    assert "ce silence vaut décision de recevabilité" in mail.outbox[0].body


def test_the_beat_task_records_the_implicit_decision_once_two_months_have_passed_on_a_frozen_clock(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    from dossiers import tasks

    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)
    dossier.feasibility.received_at = dt.datetime(2026, 3, 31, 10, 0, tzinfo=PARIS)
    dossier.feasibility.save()
    # The task reads the clock itself (no ``now`` passed): the project's frozen clock is
    # ``django.utils.timezone.now`` patched, as for the juries' reminders.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 5, 31, 9, 59, tzinfo=PARIS))
    with django_capture_on_commit_callbacks(execute=True):
        assert tuple(tasks.check_feasibility_deadlines.apply().get()) == (1, 0)
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 5, 31, 10, 0, tzinfo=PARIS))
    with django_capture_on_commit_callbacks(execute=True):
        assert tuple(tasks.check_feasibility_deadlines.apply().get()) == (0, 1)
        assert tuple(tasks.check_feasibility_deadlines.apply().get()) == (0, 0)

    dossier.refresh_from_db()
    assert dossier.status == S.ADMISSIBLE
    assert dossier.transitions.filter(actor__isnull=True, to_status=S.ADMISSIBLE).count() == 1
    assert AuditEvent.objects.filter(action="dossier.implicit_admissibility", dossier=dossier).count() == 1


def test_the_deadlines_task_is_in_the_beat_schedule_every_hour(settings):
    from dossiers import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["feasibility-deadlines"]

    assert entry["task"] == tasks.check_feasibility_deadlines.name
    assert entry["schedule"].hour == set(range(24)) and entry["schedule"].minute == {15}


def test_the_certifier_staff_are_reminded_once_before_the_deadline(db, settings, django_capture_on_commit_callbacks):
    settings.FEASIBILITY_REMINDER_DAYS = 15
    certification = make_certification(published=True)
    staff = UserFactory()
    certification.certifiers.first().staff.add(staff)
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=certification)
    dossier.feasibility.received_at = dt.datetime(2026, 1, 10, 8, 0, tzinfo=PARIS)
    dossier.feasibility.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.check_feasibility_deadlines(now=dt.datetime(2026, 2, 22, 8, 0, tzinfo=PARIS)) == (0, 0)
        assert services.check_feasibility_deadlines(now=dt.datetime(2026, 2, 24, 8, 0, tzinfo=PARIS)) == (1, 0)
        assert services.check_feasibility_deadlines(now=dt.datetime(2026, 2, 25, 8, 0, tzinfo=PARIS)) == (0, 0)

    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "10 mars 2026" in mail.outbox[0].subject


def test_a_decision_before_the_deadline_leaves_no_implicit_one(db):
    dossier = dossier_in_state(S.ADMISSIBLE)
    dossier.feasibility.received_at = dt.datetime(2025, 1, 1, tzinfo=PARIS)
    dossier.feasibility.save()

    assert services.record_implicit_admissibility(dossier) is False
    assert dossier.transitions.filter(actor__isnull=True).count() == 0


def test_the_deadline_is_two_calendar_months_after_reception():
    assert feasibility.deadline(dt.datetime(2026, 12, 31, 9, tzinfo=PARIS)) == dt.datetime(2027, 2, 28, 9, tzinfo=PARIS)


# --- the certifier: review page, queue, sections to complete ----------------------------------


def test_the_review_page_shows_the_sections_in_order_and_the_deadline(client, certification):
    staff = UserFactory()
    certification.certifiers.first().staff.add(staff)
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=certification)
    client.force_login(staff)

    page = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()

    positions = [page.index(f'id="rubrique-{s.value}"') for s in feasibility.SECTIONS]
    assert positions == sorted(positions)
    assert "Girard" in page and "Lucie, Anne" in page
    assert "À décider avant le" in page and "L6412-2" in page
    queue = client.get(reverse("backoffice:queue")).content.decode()
    due = feasibility.deadline(dossier.feasibility.received_at)
    assert "Décision avant le" in queue
    assert due.strftime("%Y") in queue


def test_an_incomplete_decision_points_the_candidate_at_sections(client, certification):
    staff = UserFactory()
    certification.certifiers.first().staff.add(staff)
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=certification)
    client.force_login(staff)

    client.post(
        reverse("backoffice:dossier_feasibility", args=[dossier.pk]),
        {"decision": S.FEASIBILITY_INCOMPLETE, "comment": "Précisez le bloc 2.", "sections": ["blocks"]},
    )

    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_INCOMPLETE and dossier.feasibility.sections_to_complete == ["blocks"]
    client.force_login(dossier.candidate)
    page = client.get(reverse("dossiers:feasibility", args=[dossier.pk])).content.decode()
    assert page.count("à compléter selon le certificateur") == 1
    assert page.index("à compléter selon le certificateur") > page.index("Activités par bloc")


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["feasibility", "candidate-section"])
def test_only_the_owner_opens_the_dossier_de_faisabilite(client, draft, roles, name):
    url = reverse("dossiers:feasibility", args=[draft.pk]) if name == "feasibility" else section_url(draft, "candidate")
    for role, user in roles.items():
        client.force_login(user)
        assert client.get(url).status_code == 404, role
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(draft.candidate)
    assert client.get(url).status_code == 200


def test_a_submitted_request_cannot_be_changed_by_its_candidate(candidate_client, draft):
    fill_feasibility(draft)
    services.request_feasibility(draft, candidate_client.user)

    response = candidate_client.post(section_url(draft, "candidate"), CANDIDATE_POST)

    assert response.status_code == 403
