import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from accompaniment import permissions, services
from accompaniment.enums import AccompanimentState as A
from accompaniment.models import StaffMember
from accompaniment.services import AccompanimentError
from accounts.invitations import InvitationRefused, awaiting_invitation
from audit.models import AuditEvent
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from dossiers.services import IncompleteDossier
from tests.accompaniment.helpers import OPINION, accompany, make_organisation, staff_of
from tests.factories import UserFactory, dossier_in_state, fill_feasibility, make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    certification = make_certification(published=True)
    dossier = dossier_in_state(S.DRAFT, certification=certification)
    org = make_organisation(certification)
    other = make_organisation(certification, postcode="69003")
    return {
        "dossier": dossier,
        "org": org,
        "other": other,
        "aap": staff_of(org),
        "manager": staff_of(org, manager=True),
        "other_aap": staff_of(other),
    }


def actions(dossier) -> list[str]:
    return list(AuditEvent.objects.filter(dossier=dossier).order_by("pk").values_list("action", flat=True))


# --- choose, accept, decline, leave, end ---------------------------------------------------


def test_a_candidate_chooses_an_organisation_which_accepts_and_the_history_says_so(world):
    dossier = world["dossier"]
    accompaniment = services.choose(dossier, world["org"], dossier.candidate)
    assert accompaniment.state == A.REQUESTED
    assert not permissions.reads(world["aap"], dossier)
    services.accept(accompaniment, world["aap"])
    accompaniment.refresh_from_db()
    assert accompaniment.state == A.ACCEPTED and accompaniment.decided_by == world["aap"]
    assert permissions.accompanies(world["aap"], dossier)
    assert not permissions.reads(world["other_aap"], dossier)
    assert actions(dossier) == ["accompaniment.requested", "accompaniment.accepted"]


def test_choosing_another_organisation_leaves_the_first(world):
    dossier = world["dossier"]
    first = accompany(dossier, world["org"], world["aap"])
    second = services.choose(dossier, world["other"], dossier.candidate)
    first.refresh_from_db()
    assert first.state == A.LEFT and second.state == A.REQUESTED
    assert not permissions.accompanies(world["aap"], dossier)
    assert actions(dossier)[-2:] == ["accompaniment.left", "accompaniment.requested"]


def test_an_organisation_that_does_not_support_the_certification_cannot_be_chosen(world):
    dossier = world["dossier"]
    elsewhere = make_organisation(make_certification(published=True))
    with pytest.raises(AccompanimentError, match="Cet organisme n'accompagne pas cette certification."):
        services.choose(dossier, elsewhere, dossier.candidate)


def test_only_the_candidate_chooses_their_organisation(world):
    with pytest.raises(AccompanimentError, match="Seul le candidat choisit son organisme d'accompagnement."):
        services.choose(world["dossier"], world["org"], world["aap"])


def test_choosing_the_same_organisation_twice_is_refused(world):
    dossier = world["dossier"]
    services.choose(dossier, world["org"], dossier.candidate)
    with pytest.raises(AccompanimentError, match="Vous avez déjà choisi cet organisme."):
        services.choose(dossier, world["org"], dossier.candidate)


def test_a_closed_dossier_cannot_be_accompanied(world):
    dossier = dossier_in_state(S.WITHDRAWN, certification=world["dossier"].certification)
    with pytest.raises(AccompanimentError, match="Ce dossier est clos : il ne peut plus être accompagné."):
        services.choose(dossier, world["org"], dossier.candidate)


def test_staff_of_another_organisation_cannot_accept_a_request(world):
    accompaniment = services.choose(world["dossier"], world["org"], world["dossier"].candidate)
    with pytest.raises(AccompanimentError, match="Vous ne faites pas partie de cet organisme."):
        services.accept(accompaniment, world["other_aap"])


def test_declining_needs_a_reason_and_gives_no_access(world):
    dossier = world["dossier"]
    accompaniment = services.choose(dossier, world["org"], dossier.candidate)
    with pytest.raises(AccompanimentError, match="Indiquez le motif : il sera communiqué au candidat."):
        services.decline(accompaniment, world["aap"], "  ")
    services.decline(accompaniment, world["aap"], "Nous n'avons plus de place ce trimestre.")
    accompaniment.refresh_from_db()
    assert accompaniment.state == A.DECLINED
    assert not permissions.reads(world["aap"], dossier)
    with pytest.raises(AccompanimentError, match="Cette demande n'est plus en attente."):
        services.accept(accompaniment, world["aap"])
    assert actions(dossier)[-1] == "accompaniment.declined"


def test_a_candidate_leaves_and_the_organisation_reads_for_the_configured_period_then_nothing(world, settings):
    settings.ACCOMPANIMENT_READ_DAYS_AFTER_END = 30
    dossier = world["dossier"]
    accompaniment = accompany(dossier, world["org"], world["aap"])
    services.leave(accompaniment, dossier.candidate)
    assert not permissions.accompanies(world["aap"], dossier)
    assert permissions.reads(world["aap"], dossier)
    accompaniment.refresh_from_db()
    accompaniment.finished_at = timezone.now() - dt.timedelta(days=31)
    accompaniment.save(update_fields=["finished_at"])
    assert not permissions.reads(world["aap"], dossier)


def test_the_organisation_ends_an_accompaniment_with_a_reason(world):
    dossier = world["dossier"]
    accompaniment = accompany(dossier, world["org"], world["aap"])
    services.end(accompaniment, world["aap"], "Le candidat ne donne plus de nouvelles.")
    accompaniment.refresh_from_db()
    assert accompaniment.state == A.ENDED and accompaniment.finished_by == world["aap"]
    with pytest.raises(AccompanimentError, match="Cet accompagnement n'est pas en cours."):
        services.end(accompaniment, world["aap"], "Encore.")
    assert actions(dossier)[-1] == "accompaniment.ended"


def test_only_the_candidate_leaves(world):
    accompaniment = accompany(world["dossier"], world["org"], world["aap"])
    with pytest.raises(AccompanimentError, match="Seul le candidat quitte son organisme d'accompagnement."):
        services.leave(accompaniment, world["aap"])


def test_a_deactivated_accompagnateur_reads_nothing(world):
    dossier = world["dossier"]
    accompany(dossier, world["org"], world["aap"])
    member = StaffMember.objects.get(user=world["aap"])
    services.deactivate_staff(member, world["manager"])
    assert not permissions.reads(world["aap"], dossier)


def test_organisations_are_filtered_by_departement_remote_ones_included(world):
    remote = make_organisation(world["dossier"].certification, postcode="13001", remote=True)
    found = list(services.organisations_for(world["dossier"], "69"))
    assert world["other"] in found and remote in found and world["org"] not in found


# --- comments ------------------------------------------------------------------------------


def test_an_accompagnateur_comments_a_competence_and_the_candidate_marks_it_done(world):
    dossier = world["dossier"]
    accompaniment = accompany(dossier, world["org"], world["aap"])
    competency = dossier.targeted_competencies().first()
    comment = services.add_comment(accompaniment, world["aap"], "Précisez votre rôle.", competency=competency)
    with pytest.raises(AccompanimentError, match="Seul le candidat marque un commentaire comme traité."):
        services.mark_comment_done(comment, world["aap"])
    services.mark_comment_done(comment, dossier.candidate)
    comment.refresh_from_db()
    assert comment.done_at is not None
    assert actions(dossier)[-2:] == ["accompaniment.comment_added", "accompaniment.comment_done"]


def test_a_comment_on_an_experience_of_another_dossier_is_refused(world):
    dossier = world["dossier"]
    accompaniment = accompany(dossier, world["org"], world["aap"])
    elsewhere = dossier_in_state(S.DRAFT)
    fill_feasibility(elsewhere)
    with pytest.raises(AccompanimentError, match="Cette expérience n'est pas dans ce dossier."):
        services.add_comment(accompaniment, world["aap"], "Hors sujet.", experience=elsewhere.experiences.first())


def test_staff_of_another_organisation_cannot_comment(world):
    dossier = world["dossier"]
    accompaniment = accompany(dossier, world["org"], world["aap"])
    competency = dossier.targeted_competencies().first()
    with pytest.raises(AccompanimentError, match=r"Vous n'accompagnez pas ce dossier \(ou plus\)."):
        services.add_comment(accompaniment, world["other_aap"], "Intrusion.", competency=competency)


def test_an_empty_comment_is_refused(world):
    dossier = world["dossier"]
    accompaniment = accompany(dossier, world["org"], world["aap"])
    with pytest.raises(AccompanimentError, match="Le commentaire est vide."):
        services.add_comment(accompaniment, world["aap"], " ", competency=dossier.targeted_competencies().first())


# --- the opinion ---------------------------------------------------------------------------


def test_an_accompanied_request_waits_for_the_opinion_then_for_the_candidates_acceptance(world):
    dossier = world["dossier"]
    accompaniment = accompany(dossier, world["org"], world["aap"])
    fill_feasibility(dossier)
    with pytest.raises(IncompleteDossier) as refused:
        dossier_services.request_feasibility(dossier, dossier.candidate)
    assert any("doit d'abord donner son avis" in m.message for m in refused.value.missing)
    opinion = services.give_opinion(accompaniment, world["aap"], **OPINION)

    with pytest.raises(IncompleteDossier) as refused:
        dossier_services.request_feasibility(dossier, dossier.candidate)

    [missing] = refused.value.missing
    assert missing.message == (
        f"Lisez l'avis de votre organisme d'accompagnement ({world['org'].name}) et acceptez le parcours qu'il "
        "prévoit : votre demande le contient."
    )
    assert missing.url == f"/accompagnement/mon-dossier/{dossier.pk}/"
    dossier.refresh_from_db()
    assert dossier.status == S.DRAFT
    services.accept_parcours(opinion, dossier.candidate)
    dossier_services.request_feasibility(dossier, dossier.candidate)
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED


def test_an_autonomous_request_does_not_wait_for_any_opinion(world):
    dossier = world["dossier"]
    fill_feasibility(dossier)
    assert dossier_services.request_feasibility(dossier, dossier.candidate).status == S.FEASIBILITY_SUBMITTED


def test_the_opinion_no_longer_changes_once_the_request_left(world):
    dossier = world["dossier"]
    accompaniment = accompany(dossier, world["org"], world["aap"])
    fill_feasibility(dossier)
    services.accept_parcours(services.give_opinion(accompaniment, world["aap"], **OPINION), dossier.candidate)
    dossier_services.request_feasibility(dossier, dossier.candidate)
    with pytest.raises(AccompanimentError, match="La demande de recevabilité est déjà partie : l'avis ne change plus."):
        services.give_opinion(accompaniment, world["aap"], **{**OPINION, "verdict": "reserved"})


def test_an_opinion_needs_a_verdict_and_a_comment(world):
    accompaniment = accompany(world["dossier"], world["org"], world["aap"])
    with pytest.raises(AccompanimentError, match="Choisissez un avis : favorable, réservé ou défavorable."):
        services.give_opinion(accompaniment, world["aap"], **{**OPINION, "verdict": "maybe"})
    with pytest.raises(AccompanimentError, match="Motivez votre avis par un commentaire."):
        services.give_opinion(accompaniment, world["aap"], **{**OPINION, "comment": ""})


def test_changing_the_parcours_asks_the_candidate_to_accept_it_again(world):
    dossier = world["dossier"]
    accompaniment = accompany(dossier, world["org"], world["aap"])
    opinion = services.give_opinion(accompaniment, world["aap"], **OPINION)
    services.accept_parcours(opinion, dossier.candidate)
    with pytest.raises(AccompanimentError, match="Vous avez déjà accepté ce parcours."):
        services.accept_parcours(opinion, dossier.candidate)
    opinion = services.give_opinion(accompaniment, world["aap"], **{**OPINION, "individual_hours": 20})
    assert opinion.candidate_accepted_at is None
    event = AuditEvent.objects.filter(dossier=dossier, action="accompaniment.opinion_given").order_by("pk").last()
    assert event.changes["individual_hours"] == [12, 20]


# --- meetings ------------------------------------------------------------------------------


def test_meetings_make_the_hours(world):
    accompaniment = accompany(world["dossier"], world["org"], world["aap"])
    for minutes in (90, 60):
        services.record_meeting(
            accompaniment,
            world["aap"],
            starts_at=timezone.now(),
            duration_minutes=minutes,
            kind="individual",
            mode="remote",
            topic="Relecture",
        )
    assert services.hours(accompaniment) == 2.5
    with pytest.raises(AccompanimentError, match="La durée d'un rendez-vous va d'une minute à douze heures."):
        services.record_meeting(
            accompaniment,
            world["aap"],
            starts_at=timezone.now(),
            duration_minutes=0,
            kind="individual",
            mode="remote",
            topic="Relecture",
        )


# --- staff ---------------------------------------------------------------------------------


def test_a_manager_invites_a_colleague_who_activates_their_account_through_the_link(
    world, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        member = services.add_staff(world["org"], world["manager"], email="Nouvelle@Example.org", first_name="Léa")
    user = member.user
    assert user.email == "nouvelle@example.org" and awaiting_invitation(user)
    assert not permissions.is_accompagnateur(user)  # inactive until the password is chosen
    message = mail.outbox[-1]
    assert message.subject == "Invitation à rejoindre un organisme d'accompagnement VAE"
    link = re.search(r"https?://\S+/accompagnement/invitation/\S+/", message.body).group(0)
    response = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Un-mot-de-passe-2026!", "new_password2": "Un-mot-de-passe-2026!"},
        follow=True,
    )
    user.refresh_from_db()
    assert user.is_active and permissions.is_accompagnateur(user)
    assert response.request["PATH_INFO"] == "/accompagnement/"
    assert "Votre compte est activé" in response.content.decode()


def test_a_simple_accompagnateur_cannot_add_colleagues(world):
    with pytest.raises(AccompanimentError, match="Seul un responsable de l'organisme gère son équipe."):
        services.add_staff(world["org"], world["aap"], email="x@example.org")


def test_an_admin_adds_staff_to_any_organisation(world):
    admin = UserFactory(admin=True)
    member = services.add_staff(world["other"], admin, email=world["aap"].email)
    assert member.user == world["aap"]


def test_a_manager_cannot_deactivate_themself_nor_the_last_manager(world):
    own = StaffMember.objects.get(user=world["manager"])
    with pytest.raises(AccompanimentError, match="Vous ne pouvez pas vous désactiver vous-même."):
        services.deactivate_staff(own, world["manager"])
    admin = UserFactory(admin=True)
    with pytest.raises(AccompanimentError, match="L'organisme doit garder au moins un responsable actif."):
        services.deactivate_staff(own, admin)


def test_an_account_an_admin_deactivated_is_not_reactivated_by_an_invitation(world):
    UserFactory(email="parti@example.org", is_active=False)
    with pytest.raises(InvitationRefused, match="Ce compte est désactivé : un administrateur doit le réactiver"):
        services.add_staff(world["org"], world["manager"], email="parti@example.org")


def test_adding_an_active_colleague_twice_is_refused(world):
    with pytest.raises(AccompanimentError, match="fait déjà partie de l'organisme."):
        services.add_staff(world["org"], world["manager"], email=world["aap"].email)
