"""The accompaniment pages for every role: the accompagnateur of the organisation, of another
organisation, the candidate, another candidate, a certifier, a juror and anonymous."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accompaniment import services
from accompaniment.models import Comment, Meeting, StaffMember
from audit.models import AuditEvent
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from tests.accompaniment.helpers import OPINION, accompany, make_organisation, staff_of
from tests.factories import UserFactory, certifier_of, dossier_in_state, make_certification, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    certification = make_certification(published=True)
    dossier = dossier_in_state(S.ADMISSIBLE, certification=certification)
    statement = dossier.statements.select_related("competency").first()
    dossier_services.save_statement(
        statement, statement.version, {"narrative": "Brouillon du récit : j'ai animé l'équipe."}
    )
    org = make_organisation(certification, name="Cap Avenir")
    other = make_organisation(certification, name="Autre Organisme", postcode="69003")
    aap = staff_of(org, manager=True)
    accompaniment = accompany(dossier, org, aap)
    return {
        "dossier": dossier,
        "competency": statement.competency,
        "org": org,
        "other": other,
        "aap": aap,
        "other_aap": staff_of(other),
        "accompaniment": accompaniment,
        "other_candidate": UserFactory(),
        "certifier": certifier_of(certification),
        "candidate": dossier.candidate,
    }


def login(client, user):
    client.force_login(user)
    return client


# --- the accompagnateur's pages ------------------------------------------------------------


def test_the_home_page_lists_the_organisations_candidates_with_what_is_waiting(client, w):
    services.add_comment(w["accompaniment"], w["aap"], "À reprendre.", competency=w["competency"])
    page = login(client, w["aap"]).get(reverse("accompaniment:home")).content.decode()
    assert w["candidate"].get_full_name() in page
    assert "1 commentaire non traité" in page
    assert "récits non commencés" in page


def test_the_home_page_of_another_organisation_does_not_show_the_candidate(client, w):
    page = login(client, w["other_aap"]).get(reverse("accompaniment:home")).content.decode()
    assert w["candidate"].get_full_name() not in page and w["candidate"].email not in page


def test_the_home_page_finds_a_candidate_by_name_accents_aside_the_latest_accepted_first(client, w):
    certification = w["dossier"].certification
    helene = dossier_in_state(S.ADMISSIBLE, certification=certification)
    type(helene.candidate).objects.filter(pk=helene.candidate_id).update(first_name="Hélène", last_name="Vérité")
    accompany(helene, w["org"], w["aap"])  # accepted after the fixture's candidate
    elsewhere = dossier_in_state(S.ADMISSIBLE, certification=certification)
    type(elsewhere.candidate).objects.filter(pk=elsewhere.candidate_id).update(first_name="Hélène", last_name="Vérin")
    accompany(elsewhere, w["other"], w["other_aap"])  # another organisation's candidate
    home = reverse("accompaniment:home")
    login(client, w["aap"])

    listed = client.get(home).content.decode()
    found = client.get(home, {"q": "helene VERI"}).content.decode()
    none = client.get(home, {"q": "personne"}).content.decode()

    assert listed.index("Hélène Vérité") < listed.index(w["candidate"].get_full_name())
    assert "Hélène Vérité" in found and w["candidate"].get_full_name() not in found
    assert "Hélène Vérin" not in found  # never another organisation's
    assert 'value="helene VERI"' in found
    assert "Aucun candidat accompagné ne correspond." in none


@pytest.mark.parametrize("role", ["candidate", "other_candidate", "certifier"])
def test_the_home_page_is_a_404_for_anyone_but_staff(client, w, role):
    assert login(client, w[role]).get(reverse("accompaniment:home")).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, w):
    response = client.get(reverse("accompaniment:dossier", args=[w["dossier"].pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_accompagnateur_reads_the_draft_narrative_which_the_certifier_never_sees(client, w):
    page = login(client, w["aap"]).get(reverse("accompaniment:dossier", args=[w["dossier"].pk])).content.decode()
    assert "Brouillon du récit : j&#x27;ai animé l&#x27;équipe." in page


@pytest.mark.parametrize("role", ["other_aap", "candidate", "other_candidate", "certifier"])
def test_nobody_else_opens_the_accompagnateurs_dossier_page(client, w, role):
    url = reverse("accompaniment:dossier", args=[w["dossier"].pk])
    assert login(client, w[role]).get(url).status_code == 404


def test_a_request_not_accepted_yet_opens_nothing_of_the_dossier(client, w):
    dossier = dossier_in_state(S.DRAFT, certification=w["dossier"].certification)
    services.choose(dossier, w["org"], dossier.candidate)
    assert login(client, w["aap"]).get(reverse("accompaniment:dossier", args=[dossier.pk])).status_code == 404


def test_a_comment_posted_by_the_accompagnateur_shows_beside_the_candidates_text_and_is_marked_done(client, w):
    url = reverse("accompaniment:comment", args=[w["dossier"].pk, "competence", w["competency"].pk])
    response = login(client, w["aap"]).post(url, {"text": "Précisez le résultat obtenu."})
    assert response.status_code == 302
    comment = Comment.objects.get()
    page_url = reverse("dossiers:competency", args=[w["dossier"].pk, w["competency"].pk])
    page = login(client, w["candidate"]).get(page_url).content.decode()
    assert "Précisez le résultat obtenu." in page and "Marquer comme traité" in page
    client.post(reverse("accompaniment:comment_done", args=[comment.pk]), {"done": "1", "next": page_url})
    comment.refresh_from_db()
    assert comment.done_at is not None


def test_another_candidate_cannot_mark_the_comment_done(client, w):
    comment = services.add_comment(w["accompaniment"], w["aap"], "À reprendre.", competency=w["competency"])
    response = login(client, w["other_candidate"]).post(reverse("accompaniment:comment_done", args=[comment.pk]))
    assert response.status_code == 404
    comment.refresh_from_db()
    assert comment.done_at is None


def test_a_comment_on_an_experience_shows_on_the_candidates_experiences_page(client, w):
    experience = w["dossier"].experiences.first()
    services.add_comment(w["accompaniment"], w["aap"], "Chiffrez votre budget.", experience=experience)
    page = login(client, w["candidate"]).get(reverse("dossiers:experiences", args=[w["dossier"].pk]))
    assert "Chiffrez votre budget." in page.content.decode()


def test_staff_of_another_organisation_cannot_comment(client, w):
    url = reverse("accompaniment:comment", args=[w["dossier"].pk, "competence", w["competency"].pk])
    assert login(client, w["other_aap"]).post(url, {"text": "Intrusion."}).status_code == 404
    assert not Comment.objects.exists()


def test_once_ended_the_dossier_is_read_only_for_the_organisation(client, w):
    services.end(w["accompaniment"], w["aap"], "Fin du financement.")
    login(client, w["aap"])
    assert client.get(reverse("accompaniment:dossier", args=[w["dossier"].pk])).status_code == 200
    url = reverse("accompaniment:comment", args=[w["dossier"].pk, "competence", w["competency"].pk])
    assert client.post(url, {"text": "Encore un mot."}).status_code == 403
    assert not Comment.objects.exists()


def test_the_accompagnateur_records_meetings_and_exports_the_hours(client, w):
    login(client, w["aap"])
    url = reverse("accompaniment:meetings", args=[w["dossier"].pk])
    response = client.post(
        url,
        {
            "starts_at": "2026-11-03T14:30",
            "duration_minutes": "90",
            "kind": "individual",
            "mode": "remote",
            "topic": "=HYPERLINK(relecture)",
        },
    )
    assert response.status_code == 302 and Meeting.objects.count() == 1
    assert "1\u00a0h\u00a030" in client.get(url).content.decode()
    export = client.get(reverse("accompaniment:export"))
    body = export.content.decode("utf-8-sig")
    assert export["Content-Type"].startswith("text/csv")
    assert "1,50" in body and "'=HYPERLINK(relecture)" in body and w["candidate"].email not in body
    other = login(client, w["other_aap"]).get(reverse("accompaniment:export")).content.decode("utf-8-sig")
    assert "relecture" not in other


def test_the_opinion_is_given_then_seen_by_the_candidate_and_by_the_certifier_with_the_request(client, w):
    dossier = dossier_in_state(S.DRAFT, certification=w["dossier"].certification)
    accompany(dossier, w["org"], w["aap"])
    from tests.factories import fill_feasibility

    fill_feasibility(dossier)
    login(client, w["aap"])
    response = client.post(reverse("accompaniment:opinion", args=[dossier.pk]), OPINION)
    assert response.status_code == 302
    page = login(client, dossier.candidate).get(reverse("accompaniment:candidate", args=[dossier.pk])).content.decode()
    assert "Expérience en lien direct avec la certification." in page and "J'accepte ce parcours" in page
    client.post(reverse("accompaniment:accept_parcours", args=[dossier.pk]))
    dossier_services.request_feasibility(dossier, dossier.candidate)
    review = login(client, w["certifier"]).get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    assert "Cap Avenir" in review and "Favorable" in review
    assert "Expérience en lien direct avec la certification." in review


def test_the_certifier_sees_the_organisation_and_the_hours_but_not_the_comments(client, w):
    services.add_comment(w["accompaniment"], w["aap"], "Commentaire privé de travail.", competency=w["competency"])
    services.record_meeting(
        w["accompaniment"],
        w["aap"],
        starts_at=timezone.now() - dt.timedelta(days=1),
        duration_minutes=120,
        kind="individual",
        mode="on_site",
        topic="Relecture",
    )
    review = login(client, w["certifier"]).get(reverse("backoffice:dossier", args=[w["dossier"].pk])).content.decode()
    assert "Cap Avenir" in review and "réalisées : 2\u00a0h" in review
    assert "Commentaire privé de travail." not in review


def test_the_opinion_form_is_read_only_once_the_request_left(client, w):
    response = login(client, w["aap"]).post(reverse("accompaniment:opinion", args=[w["dossier"].pk]), OPINION)
    assert response.status_code == 403


def test_the_accompagnateur_downloads_a_draft_proof_another_organisation_does_not(client, w):
    proof = dossier_services.add_proof(w["dossier"], pdf_upload("brouillon.pdf"), title="Brouillon", kind="other")
    url = reverse("accompaniment:proof", args=[w["dossier"].pk, proof.pk])
    response = login(client, w["aap"]).get(url)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="proof.read", actor=w["aap"]).exists()
    assert login(client, w["other_aap"]).get(url).status_code == 404
    assert login(client, w["candidate"]).get(url).status_code == 404


def test_a_request_is_accepted_or_declined_by_the_organisation(client, w):
    dossier = dossier_in_state(S.DRAFT, certification=w["dossier"].certification)
    first = services.choose(dossier, w["org"], dossier.candidate)
    assert login(client, w["other_aap"]).post(reverse("accompaniment:accept", args=[first.pk])).status_code == 404
    login(client, w["aap"])
    response = client.post(reverse("accompaniment:decline", args=[first.pk]), {"reason": ""})
    assert response.status_code == 200  # the form again, with its error
    client.post(reverse("accompaniment:decline", args=[first.pk]), {"reason": "Complet ce trimestre."})
    first.refresh_from_db()
    assert first.state == "declined"
    page = login(client, dossier.candidate).get(reverse("accompaniment:candidate", args=[dossier.pk])).content.decode()
    assert "Complet ce trimestre." in page


# --- the candidate's side ------------------------------------------------------------------


def test_the_candidate_chooses_an_organisation_from_the_list_filtered_by_departement(client, w):
    dossier = dossier_in_state(S.DRAFT, certification=w["dossier"].certification)
    login(client, dossier.candidate)
    page = client.get(reverse("accompaniment:candidate", args=[dossier.pk]), {"departement": "69"}).content.decode()
    assert "Autre Organisme" in page and "Cap Avenir" not in page
    assert "autonome" in page
    client.post(reverse("accompaniment:choose", args=[dossier.pk, w["other"].pk]))
    page = client.get(reverse("accompaniment:candidate", args=[dossier.pk])).content.decode()
    assert "Votre demande est en attente" in page
    client.post(reverse("accompaniment:leave", args=[dossier.pk]))
    assert not dossier.accompaniments.live().exists()


def test_the_candidates_dossier_page_says_it_is_accompanied(client, w):
    page = login(client, w["candidate"]).get(reverse("dossiers:detail", args=[w["dossier"].pk])).content.decode()
    assert "accompagné</strong> par Cap Avenir" in page


@pytest.mark.parametrize("role", ["other_candidate", "aap", "certifier"])
def test_nobody_but_the_candidate_chooses_or_leaves(client, w, role):
    login(client, w[role])
    assert client.get(reverse("accompaniment:candidate", args=[w["dossier"].pk])).status_code == 404
    url = reverse("accompaniment:choose", args=[w["dossier"].pk, w["other"].pk])
    assert client.post(url).status_code == 404
    assert client.post(reverse("accompaniment:leave", args=[w["dossier"].pk])).status_code == 404


# --- the team ------------------------------------------------------------------------------


def test_the_manager_adds_and_deactivates_a_colleague(client, w):
    login(client, w["aap"])
    url = reverse("accompaniment:team", args=[w["org"].pk])
    client.post(url, {"email": "collegue@example.org", "first_name": "Lou", "last_name": "Martin"})
    member = StaffMember.objects.get(user__email="collegue@example.org")
    client.post(reverse("accompaniment:deactivate", args=[w["org"].pk, member.pk]))
    member.refresh_from_db()
    assert not member.active


def test_a_refused_deactivation_is_shown_in_french(client, w):
    login(client, w["aap"])
    own = StaffMember.objects.get(user=w["aap"])
    response = client.post(reverse("accompaniment:deactivate", args=[w["org"].pk, own.pk]), follow=True)
    assert "Vous ne pouvez pas vous désactiver vous-même." in response.content.decode()


@pytest.mark.parametrize("role", ["other_aap", "candidate", "certifier"])
def test_only_the_manager_or_an_admin_opens_the_team(client, w, role):
    assert login(client, w[role]).get(reverse("accompaniment:team", args=[w["org"].pk])).status_code == 404


def test_an_admin_opens_any_team_from_the_django_admin(client, w):
    admin = UserFactory(admin=True)
    login(client, admin)
    change = client.get(reverse("admin:accompaniment_organisation_change", args=[w["org"].pk])).content.decode()
    assert w["org"].get_absolute_url() == reverse("accompaniment:team", args=[w["org"].pk])
    assert "/r/" in change  # « Voir sur le site »
    assert client.get(w["org"].get_absolute_url()).status_code == 200


# --- fixed costs ---------------------------------------------------------------------------


def test_the_navigation_offers_the_accompagnateurs_space_to_staff_only(client, w):
    assert "Mes accompagnements" in login(client, w["aap"]).get(reverse("dossiers:list")).content.decode()
    assert "Mes accompagnements" not in login(client, w["candidate"]).get(reverse("dossiers:list")).content.decode()


def test_an_accompagnateur_who_left_their_organisation_is_no_longer_offered_its_space(client, w):
    from accompaniment.models import StaffMember

    StaffMember.objects.filter(user=w["aap"]).update(active=False)

    assert "Mes accompagnements" not in login(client, w["aap"]).get(reverse("dossiers:list")).content.decode()


def _queries(client, django_assert_max_num_queries, url) -> int:
    with django_assert_max_num_queries(30) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_home_and_dossier_pages_do_not_grow_with_candidates_comments_or_proofs(
    client, w, django_assert_max_num_queries
):
    login(client, w["aap"])
    home = reverse("accompaniment:home")
    page = reverse("accompaniment:dossier", args=[w["dossier"].pk])
    before = [_queries(client, django_assert_max_num_queries, url) for url in (home, page)]
    for _ in range(3):
        accompany(dossier_in_state(S.DRAFT, certification=w["dossier"].certification), w["org"], w["aap"])
        services.add_comment(w["accompaniment"], w["aap"], "Encore.", competency=w["competency"])
        dossier_services.add_proof(w["dossier"], pdf_upload("p.pdf"), title="Preuve", kind="other")
    after = [_queries(client, django_assert_max_num_queries, url) for url in (home, page)]
    assert after == before
