"""Personal data: the ZIP of a candidate's data, deleting an account, purging abandoned drafts."""

import datetime as dt
import html
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import DraftPurgeNotice, User
from audit.models import AuditEvent
from dossiers import services
from dossiers.enums import DossierStatus as S
from dossiers.models import CompetencyStatement, Dossier, Experience, Proof, TransitionLog
from juries import services as jury_services
from privacy import retention
from tests.emails import assert_html_says_the_same
from tests.factories import (
    MINIMAL_PDF,
    NARRATIVE,
    PASSWORD,
    UserFactory,
    certifier_of,
    dossier_in_state,
    make_certification,
    make_session,
    pdf_upload,
    slot,
)

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("accounts:data_export")
DELETE_URL = reverse("accounts:delete_account")


@pytest.fixture
def nina(db):
    return UserFactory(email="nina@example.org", first_name="Nina", last_name="Simoné", phone="06 12 34 56 78")


@pytest.fixture
def submitted(nina):
    """A dossier de validation submitted by Nina: experiences, narratives, a proof, an ID."""
    return dossier_in_state(S.VALIDATION_SUBMITTED, candidate=nina)


def _unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _files_of(dossier) -> list[Path]:
    paths = [Path(p.file.path) for p in dossier.proofs.all()]
    if dossier.identity_document:
        paths.append(Path(dossier.identity_document.path))
    return paths


def _decided(candidate, certifier=None):
    """A dossier through the jury: convoked, then decided."""
    cert = make_certification(published=True)
    certifier = certifier or certifier_of(cert)
    dossier = dossier_in_state(S.READY_FOR_JURY, candidate=candidate, certification=cert, certifier_user=certifier)
    session = make_session(cert, actor=certifier)
    jury_services.convoke(session, dossier, certifier, **slot(session, "09:00", "10:00"))
    dossier.refresh_from_db()
    services.mark_decided(dossier, certifier, "Validation totale : tous les blocs sont acquis.")
    dossier.refresh_from_db()
    return dossier


# --- the ZIP ---------------------------------------------------------------------------------


def test_the_zip_holds_the_json_and_every_file_the_candidate_uploaded(client, submitted, nina):
    client.force_login(nina)

    response = client.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = _unzip(response)
    data = json.loads(archive.read("mes-donnees.json"))
    (dossier,) = data["dossiers"]
    proof = submitted.proofs.get()
    exported_proof = next(p for p in dossier["proofs"] if p["id"] == proof.pk)
    assert archive.read(exported_proof["file"]) == MINIMAL_PDF
    assert exported_proof["sha256"] == proof.sha256
    with submitted.identity_document.open("rb") as identity:
        assert archive.read(dossier["identity_document"]["file"]) == identity.read()
    assert set(archive.namelist()) == {
        "mes-donnees.json",
        "LISEZMOI.txt",
        exported_proof["file"],
        dossier["identity_document"]["file"],
    }
    assert data["missing_files"] == []


def test_the_json_matches_the_data(client, submitted, nina):
    client.force_login(nina)
    data = json.loads(_unzip(client.get(EXPORT_URL)).read("mes-donnees.json"))

    assert data["account"] == {
        "email": "nina@example.org",
        "first_name": "Nina",
        "last_name": "Simoné",
        "phone": "06 12 34 56 78",
        "date_joined": nina.date_joined.isoformat(),
        "last_login": data["account"]["last_login"],
    }
    (dossier,) = data["dossiers"]
    assert dossier["id"] == submitted.pk and dossier["status"] == S.VALIDATION_SUBMITTED
    assert len(dossier["statements"]) == submitted.statements.count()
    assert {s["narrative"] for s in dossier["statements"]} == {NARRATIVE}
    assert [e["organisation"] for e in dossier["experiences"]] == ["Association Les Ateliers"]
    assert [t["to"] for t in dossier["transitions"]] == [
        S.DRAFT,
        S.FEASIBILITY_SUBMITTED,
        S.ADMISSIBLE,
        S.VALIDATION_SUBMITTED,
    ]
    decision = dossier["transitions"][2]
    assert decision["by"] == "certificateur ou jury" and decision["comment"] == "Motif détaillé pour le candidat."
    kinds = [(v["kind"], v["number"]) for v in dossier["submitted_versions"]]
    assert kinds == [("feasibility", 1), ("validation", 1)]
    validation = dossier["submitted_versions"][1]
    assert validation["content"] == submitted.snapshots.get(kind="validation").content
    assert validation["sha256"] == submitted.snapshots.get(kind="validation").sha256


def test_the_zip_holds_the_candidates_own_actions_from_the_audit_trail(client, nina):
    dossier = dossier_in_state(S.ADMISSIBLE, candidate=nina)
    services.add_proof(dossier, pdf_upload("bilan.pdf"), title="Bilan", kind="production")
    client.force_login(nina)
    data = json.loads(_unzip(client.get(EXPORT_URL)).read("mes-donnees.json"))
    assert [a["action"] for a in data["your_actions"]] == ["proof.added"]


def test_another_users_data_never_appears_in_the_zip(client, submitted, nina):
    other = dossier_in_state(S.VALIDATION_SUBMITTED, candidate=UserFactory(email="zoe@example.org"))
    services_narrative = "Le récit très personnel de Zoé, qui ne doit jamais sortir de son dossier."
    CompetencyStatement.objects.filter(dossier=other).update(narrative=services_narrative)
    client.force_login(nina)

    archive = _unzip(client.get(EXPORT_URL))

    everything = archive.read("mes-donnees.json").decode()
    assert "zoe@example.org" not in everything
    assert services_narrative not in everything
    assert [d["id"] for d in json.loads(everything)["dossiers"]] == [submitted.pk]
    assert all(not name.startswith(f"dossiers/{other.pk}/") for name in archive.namelist())


def test_a_file_missing_on_disk_is_listed_and_the_rest_is_exported(client, submitted, nina):
    proof = submitted.proofs.get()
    Path(proof.file.path).unlink()
    client.force_login(nina)
    archive = _unzip(client.get(EXPORT_URL))
    data = json.loads(archive.read("mes-donnees.json"))
    assert len(data["missing_files"]) == 1 and data["missing_files"][0].endswith("bilan.pdf")
    assert data["dossiers"][0]["identity_document"]["file"] in archive.namelist()


def test_the_export_is_recorded_in_the_audit_trail(client, nina):
    client.force_login(nina)
    b"".join(client.get(EXPORT_URL).streaming_content)
    assert AuditEvent.objects.get(action="account.data_exported").actor == nina


def test_the_data_page_says_what_is_held_and_links_to_the_zip_and_the_deletion(client, submitted, nina):
    client.force_login(nina)
    page = client.get(reverse("accounts:my_data")).content.decode()
    assert EXPORT_URL in page and DELETE_URL in page
    assert "1 dossier" in page and "1 preuve" in page
    assert reverse("accounts:my_data") in client.get(reverse("accounts:profile")).content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for name in ("accounts:my_data", "accounts:data_export", "accounts:delete_account"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- deleting the account ---------------------------------------------------------------------


def _delete(client, user, password=PASSWORD):
    client.force_login(user)
    return client.post(DELETE_URL, {"password": password, "understood": "on"})


@pytest.mark.parametrize("state", [S.FEASIBILITY_SUBMITTED, S.VALIDATION_SUBMITTED, S.READY_FOR_JURY, S.SCHEDULED])
def test_deletion_is_refused_while_a_dossier_waits_for_a_decision(client, nina, state):
    if state == S.SCHEDULED:
        cert = make_certification(published=True)
        certifier = certifier_of(cert)
        dossier = dossier_in_state(S.READY_FOR_JURY, candidate=nina, certification=cert, certifier_user=certifier)
        session = make_session(cert, actor=certifier)
        jury_services.convoke(session, dossier, certifier, **slot(session, "09:00", "10:00"))
    else:
        dossier = dossier_in_state(state, candidate=nina)
    files = _files_of(dossier)

    client.force_login(nina)
    page = client.get(DELETE_URL).content.decode()
    response = _delete(client, nina)

    assert "ne peut pas être supprimé pour l'instant" in page
    assert response.status_code == 403
    assert "une décision est attendue" in response.content.decode()
    nina.refresh_from_db()
    assert nina.email == "nina@example.org" and nina.is_active
    assert Dossier.objects.filter(pk=dossier.pk).exists()
    assert all(path.exists() for path in files)


def test_a_wrong_password_deletes_nothing(client, nina):
    dossier_in_state(S.DRAFT, candidate=nina)
    response = _delete(client, nina, password="pas le bon")
    assert response.status_code == 200
    assert "Mot de passe incorrect" in response.content.decode()
    assert User.objects.get(pk=nina.pk).email == "nina@example.org"
    assert Dossier.objects.filter(candidate=nina).exists()


def test_deletion_erases_drafts_and_withdrawn_dossiers_with_their_files(
    client, nina, django_capture_on_commit_callbacks
):
    draft = dossier_in_state(S.DRAFT, candidate=nina)
    services.set_identity_document(draft, pdf_upload("carte.pdf"))
    draft.refresh_from_db()
    withdrawn = dossier_in_state(S.WITHDRAWN, candidate=nina)
    files = _files_of(draft)
    assert files and all(path.exists() for path in files)

    with django_capture_on_commit_callbacks(execute=True):
        response = _delete(client, nina)

    assert response.status_code == 302 and response.url == reverse("accounts:account_deleted")
    assert not Dossier.objects.filter(pk__in=[draft.pk, withdrawn.pk]).exists()
    assert not AuditEvent.objects.filter(dossier_id__in=[draft.pk, withdrawn.pk]).exists()
    assert not any(path.exists() for path in files)
    user = User.objects.get(pk=nina.pk)
    assert user.email == f"deleted-{nina.pk}@invalid"
    assert (user.first_name, user.last_name, user.phone) == ("", "", "")
    assert not user.is_active and not user.has_usable_password()


def test_the_candidate_is_logged_out_and_cannot_log_in_again(client, nina):
    dossier_in_state(S.DRAFT, candidate=nina)
    _delete(client, nina)
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert not client.login(username="nina@example.org", password=PASSWORD)


def test_decisions_are_kept_anonymised_and_everything_else_erased(client, nina, django_capture_on_commit_callbacks):
    decided = _decided(nina)
    inadmissible = dossier_in_state(S.INADMISSIBLE, candidate=nina)
    files = _files_of(decided) + _files_of(inadmissible)
    snapshot_hashes = set(decided.snapshots.values_list("sha256", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        _delete(client, nina)

    for dossier in (decided, inadmissible):
        dossier.refresh_from_db()
        assert dossier.candidate.email == f"deleted-{nina.pk}@invalid"
        assert not Experience.objects.filter(dossier=dossier).exists()
        assert not Proof.objects.filter(dossier=dossier).exists()
        assert not dossier.identity_document and dossier.identity_document_name == ""
        assert set(dossier.statements.values_list("narrative", "self_assessment", "self_comment")) == {("", "", "")}
        for snapshot in dossier.snapshots.all():
            assert "erased_at" in snapshot.content
            content = json.dumps(snapshot.content, ensure_ascii=False)
            assert "Simoné" not in content and "nina@example.org" not in content and NARRATIVE not in content
    assert decided.status == S.DECIDED and inadmissible.status == S.INADMISSIBLE
    assert set(decided.snapshots.values_list("sha256", flat=True)) == snapshot_hashes
    decision = TransitionLog.objects.get(dossier=decided, to_status=S.DECIDED)
    assert decision.comment == "Validation totale : tous les blocs sont acquis."
    assert decided.convocations.exists()
    assert not any(path.exists() for path in files)
    assert AuditEvent.objects.filter(action="dossier.erased", dossier=decided).exists()


def test_the_candidate_is_told_what_is_kept_and_why(client, nina, django_capture_on_commit_callbacks):
    decided = _decided(nina)
    dossier_in_state(S.DRAFT, candidate=nina)
    client.force_login(nina)
    before = client.get(DELETE_URL).content.decode()
    assert "Ce qui est conservé, et pourquoi" in before
    assert decided.certification.title in before

    with django_capture_on_commit_callbacks(execute=True):
        response = _delete(client, nina)
    page = html.unescape(client.get(response.url).content.decode())

    assert "Votre compte est supprimé" in page
    assert decided.certification.title in page
    assert "répondre d'une décision contestée" in page
    (message,) = [m for m in mail.outbox if m.to == ["nina@example.org"]]
    assert "supprimé" in message.subject
    assert decided.certification.title in message.body and "conservées par le" in message.body
    assert_html_says_the_same(message)


def test_the_login_attempts_of_the_address_are_forgotten(client, nina):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="nina@example.org", ip_address="127.0.0.1", user_agent="x", failures_since_start=1
    )
    _delete(client, nina)
    assert not AccessAttempt.objects.filter(username="nina@example.org").exists()


@pytest.mark.parametrize("role", ["certifier", "jury member", "admin"])
def test_staff_accounts_are_closed_by_an_administrator_not_by_themselves(client, role):
    cert = make_certification(published=True)
    if role == "certifier":
        user = certifier_of(cert)
    elif role == "admin":
        user = UserFactory(admin=True)
    else:
        user = UserFactory()
        jury_services.add_member(make_session(cert), UserFactory(admin=True), email=user.email, role="professional")
    response = _delete(client, user)
    assert response.status_code == 403
    assert "administrateur" in response.content.decode()
    assert User.objects.get(pk=user.pk).is_active


def test_the_deleted_page_is_public_and_harmless_without_a_deletion(client):
    response = client.get(reverse("accounts:account_deleted"))
    assert response.status_code == 200


# --- purging abandoned drafts -----------------------------------------------------------------

DAYS, NOTICE = 365, 30


def _later(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def _purge(days_later: int, **kwargs):
    return retention.purge_drafts(days=DAYS, notice_days=NOTICE, now=_later(days_later), **kwargs)


@pytest.fixture
def abandoned(nina):
    """A draft with an experience and an identity document, then left alone."""
    dossier = dossier_in_state(S.DRAFT, candidate=nina)
    services.save_experience(
        dossier,
        Experience(kind="employee", organisation="Org", role="Rôle", start_date=dt.date(2020, 1, 1), activities="A"),
    )
    services.set_identity_document(dossier, pdf_upload("carte.pdf"))
    dossier.refresh_from_db()
    return dossier


def test_an_inactive_draft_gets_one_notice_by_email_then_none(abandoned, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _purge(DAYS - NOTICE + 1)
        again = _purge(DAYS - NOTICE + 2)

    assert first.noticed == [abandoned.pk] and again.noticed == []
    assert DraftPurgeNotice.objects.filter(dossier=abandoned).count() == 1
    (message,) = mail.outbox
    assert message.to == ["nina@example.org"]
    assert abandoned.get_absolute_url() in message.body and reverse("accounts:my_data") in message.body
    assert "Association" not in message.body  # links only, no dossier content
    assert "Association" not in assert_html_says_the_same(message)
    assert AuditEvent.objects.filter(action="dossier.purge_notice", dossier=abandoned, actor=None).exists()


def test_a_noticed_draft_is_deleted_with_its_files_once_the_delay_is_over(
    abandoned, django_capture_on_commit_callbacks
):
    files = _files_of(abandoned)
    _purge(DAYS - NOTICE + 1)
    assert _purge(DAYS - 1).purged == []  # not yet inactive long enough

    with django_capture_on_commit_callbacks(execute=True):
        report = _purge(DAYS + 1)

    assert report.purged == [abandoned.pk]
    assert not Dossier.objects.filter(pk=abandoned.pk).exists()
    assert not any(path.exists() for path in files)
    event = AuditEvent.objects.get(action="dossier.purged")
    assert event.actor is None and event.dossier is None
    assert "Nina" not in event.target_repr and str(abandoned.pk) in event.target_repr


def test_a_draft_is_never_deleted_without_a_notice_old_enough(abandoned):
    """The command did not run for months: the notice goes out now, the deletion waits for it."""
    assert _purge(DAYS + 100).purged == []
    assert _purge(DAYS + 100 + NOTICE - 1).purged == []
    assert _purge(DAYS + 100 + NOTICE).purged == [abandoned.pk]


def test_activity_after_the_notice_cancels_it(abandoned):
    _purge(DAYS - NOTICE + 1)
    # The candidate comes back: any write counts (here a real one, dated in the simulated future).
    statement = abandoned.statements.first()
    services.save_statement(statement, statement.version, {"self_assessment": "yes"})
    CompetencyStatement.objects.filter(pk=statement.pk).update(updated_at=_later(DAYS - NOTICE + 5))

    assert _purge(DAYS + 1).purged == []
    assert Dossier.objects.filter(pk=abandoned.pk).exists()
    # Abandoned again: a new notice, later.
    assert _purge(DAYS - NOTICE + 5 + DAYS - NOTICE + 1).noticed == [abandoned.pk]


def test_a_dry_run_changes_nothing(abandoned, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _purge(DAYS - NOTICE + 1, dry_run=True)
    assert report.noticed == [abandoned.pk]
    assert not DraftPurgeNotice.objects.exists() and mail.outbox == []

    _purge(DAYS - NOTICE + 1)
    assert _purge(DAYS + 1, dry_run=True).purged == [abandoned.pk]
    assert Dossier.objects.filter(pk=abandoned.pk).exists()


def test_recent_drafts_and_dossiers_with_a_decision_or_under_review_are_untouched(nina):
    recent = dossier_in_state(S.DRAFT, candidate=nina)
    admissible_then_withdrawn = dossier_in_state(S.ADMISSIBLE)
    services.withdraw(admissible_then_withdrawn, admissible_then_withdrawn.candidate)
    incomplete = dossier_in_state(S.FEASIBILITY_INCOMPLETE)
    submitted = dossier_in_state(S.FEASIBILITY_SUBMITTED)

    report = _purge(DAYS - NOTICE - 1)
    far = _purge(DAYS * 3)

    assert report.noticed == [] and report.purged == []
    assert recent.pk in far.noticed  # only the plain draft is concerned, once old enough
    for dossier in (admissible_then_withdrawn, incomplete, submitted):
        assert dossier.pk not in far.noticed + far.purged


def test_a_withdrawn_dossier_without_decision_is_purged_like_a_draft(nina):
    withdrawn = dossier_in_state(S.WITHDRAWN, candidate=nina)
    assert _purge(DAYS - NOTICE + 1).noticed == [withdrawn.pk]
    assert _purge(DAYS + 1).purged == [withdrawn.pk]


def _age(dossier, days: int) -> None:
    past = timezone.now() - dt.timedelta(days=days)
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=past)
    CompetencyStatement.objects.filter(dossier=dossier).update(updated_at=past)
    TransitionLog.objects.filter(dossier=dossier).update(created_at=past)
    AuditEvent.objects.filter(dossier=dossier).update(created_at=past, updated_at=past)


def test_the_command_notices_then_purges_and_a_dry_run_says_what_it_would_do(abandoned):
    _age(abandoned, DAYS - NOTICE + 1)
    out = io.StringIO()
    call_command("purge_drafts", "--dry-run", stdout=out)
    assert f"[simulation] avis envoyé : dossier {abandoned.pk}" in out.getvalue()
    assert not DraftPurgeNotice.objects.exists()

    call_command("purge_drafts", stdout=io.StringIO())
    notice = DraftPurgeNotice.objects.get(dossier=abandoned)
    DraftPurgeNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now() - dt.timedelta(days=NOTICE))
    _age(abandoned, DAYS)
    out = io.StringIO()
    call_command("purge_drafts", "--days", str(DAYS), "--notice-days", str(NOTICE), stdout=out)
    assert f"supprimé : dossier {abandoned.pk}" in out.getvalue()
    assert not Dossier.objects.filter(pk=abandoned.pk).exists()


def test_the_command_refuses_a_notice_delay_longer_than_the_retention(db):
    with pytest.raises(CommandError):
        call_command("purge_drafts", "--days", "30", "--notice-days", "30")


def test_the_purge_runs_daily_from_celery_beat(settings, abandoned):
    from privacy.tasks import purge_drafts

    entry = settings.CELERY_BEAT_SCHEDULE["purge-drafts"]
    assert entry["task"] == "accounts.tasks.purge_drafts"
    assert entry["schedule"].hour == {3}
    _age(abandoned, DAYS - NOTICE + 1)
    assert purge_drafts() == {"noticed": 1, "purged": 0}


def test_the_export_holds_the_dossier_de_faisabilite_and_the_civil_identity(client, submitted, nina):
    from dossiers.models import CivilIdentity, Feasibility

    identity = CivilIdentity.objects.get(dossier=submitted)
    feasibility = Feasibility.objects.get(dossier=submitted)
    client.force_login(nina)
    data = json.loads(_unzip(client.get(EXPORT_URL)).read("mes-donnees.json"))

    (dossier,) = data["dossiers"]
    assert dossier["civil_identity"]["birth_name"] == identity.birth_name != ""
    assert dossier["civil_identity"]["birth_date"] == identity.birth_date.isoformat()
    answers = dossier["dossier_de_faisabilite"]
    assert answers["identity"]["birth_name"] == identity.birth_name
    assert answers["status"] == feasibility.status != "" and answers["address"]["city"] == feasibility.city


def test_exporting_a_draft_with_no_faisabilite_yet_writes_nothing(client, nina):
    from dossiers.models import Feasibility

    dossier = dossier_in_state(S.DRAFT, candidate=nina)
    Feasibility.objects.filter(dossier=dossier).delete()
    client.force_login(nina)
    data = json.loads(_unzip(client.get(EXPORT_URL)).read("mes-donnees.json"))

    assert [d["dossier_de_faisabilite"] for d in data["dossiers"]] == [None]
    assert not Feasibility.objects.filter(dossier=dossier).exists()
