"""The jury members' pages, for every role: sessions, declarations, reading the dossier,
scoring (with its autosave), the grid, deliberation, the procès-verbal and its documents."""

import html

import pytest
from django.urls import reverse

from documents import services as documents
from dossiers.enums import DossierStatus as S
from dossiers.models import Proof
from juries import queries, services
from juries.enums import Attendance, EvaluationStatus, JuryDocumentKind, JuryResult, LinkKind, MinutesStatus
from juries.models import Evaluation, JuryDocument
from tests.factories import MINIMAL_PDF, UserFactory, certifier_of, make_certification
from tests.juries.helpers import choose, decided, declare_none, score_everything, session_hour, sign_all

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def candidate_urls(jury, conv=None):
    conv = conv or jury.convocation
    rubric = jury.rubric()
    block = conv.dossier.targeted_blocks().first()
    return {
        "candidate": reverse("jury:candidate", args=[conv.pk]),
        "declare": reverse("jury:declare", args=[conv.pk]),
        "block": reverse("jury:dossier_block", args=[conv.pk, block.pk]),
        "score": reverse("jury:score", args=[conv.pk, rubric.pk]),
        "grid": reverse("jury:grid", args=[conv.pk]),
        "fragment": reverse("jury:grid_fragment", args=[conv.pk, rubric.pk]),
        "export": reverse("jury:grid_export", args=[conv.pk]),
        "deliberate": reverse("jury:deliberate", args=[conv.pk]),
    }


# --- sessions -----------------------------------------------------------------------------


def test_a_member_finds_their_sessions_and_the_candidates_with_their_slots(jury, login):
    client = login(jury.pro)
    listing = page(client.get(reverse("jury:sessions")))
    assert reverse("jury:session", args=[jury.session.pk]) in listing
    assert "Mes sessions de jury" in listing  # in the navigation too
    detail = page(client.get(reverse("jury:session", args=[jury.session.pk])))
    for conv in (jury.convocation, jury.other_convocation):
        assert conv.dossier.candidate.get_full_name() in detail
    hour = session_hour()  # 8 h, or earlier when the tests run before 08:00
    assert f"{hour}\u00a0h – {hour + 1}\u00a0h" in detail and f"{hour + 1}\u00a0h – {hour + 2}\u00a0h" in detail
    assert "Déclarer mes liens" in detail


def test_the_session_page_shows_the_links_members_declared(jury, login):
    detail = page(login(jury.pro).get(reverse("jury:session", args=[jury.session.pk])))
    name = jury.conflicted.user.get_full_name()
    assert f"{name} : lien professionnel" in detail
    # …and to the certifier, with the member's comment.
    back_office = page(login(jury.certifier).get(reverse("backoffice:session", args=[jury.session.pk])))
    assert f"{name} : lien professionnel" in back_office and "Ancien employeur" in back_office


def test_someone_who_does_not_sit_on_the_session_gets_a_404(jury, login, someone):
    for user in (jury.stranger.user, someone, jury.dossier.candidate, jury.certifier):
        client = login(user)
        assert client.get(reverse("jury:session", args=[jury.session.pk])).status_code == 404
        assert client.get(reverse("jury:minutes", args=[jury.session.pk])).status_code == 404
        for url in candidate_urls(jury).values():
            assert client.get(url).status_code == 404, url
    assert jury.dossier.candidate.email not in page(login(someone).get(reverse("jury:sessions")))


def test_anonymous_visitors_are_sent_to_the_login_page(jury, client):
    for url in [
        reverse("jury:sessions"),
        reverse("jury:session", args=[jury.session.pk]),
        *candidate_urls(jury).values(),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


# --- declaration and conflict -------------------------------------------------------------


def test_the_dossier_opens_only_after_declaring_no_link(jury, login):
    client = login(jury.pro)
    urls = candidate_urls(jury)
    response = client.get(urls["candidate"])
    assert response.status_code == 302 and response["Location"] == urls["declare"]
    form = page(client.get(urls["declare"]))
    assert jury.dossier.candidate.get_full_name() in form
    assert "Compétence 1 du bloc 1" not in form  # nothing of the dossier before the declaration
    response = client.post(urls["declare"], {"link": LinkKind.NONE})
    assert response["Location"] == urls["candidate"]
    overview = page(client.get(urls["candidate"]))
    assert "Bilan du projet" in overview  # the proof
    assert "Compétence 1 du bloc 1" in page(client.get(urls["block"]))


def test_another_link_without_a_comment_is_refused_keeping_the_choice(jury, login):
    response = login(jury.pro).post(candidate_urls(jury)["declare"], {"link": LinkKind.OTHER, "comment": ""})
    assert "Précisez la nature de ce lien." in page(response)
    assert not jury.convocation.declarations.filter(member=jury.pro).exists()


def test_a_member_who_declared_a_link_sees_nothing_of_that_candidate(jury, login):
    client = login(jury.conflicted)
    for name, url in candidate_urls(jury).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url).status_code in (404, 405), name
    proof = jury.dossier.proofs.first()
    assert client.get(reverse("dossiers:proof_download", args=[jury.dossier.pk, proof.pk])).status_code == 404
    # The other candidate is theirs to read once declared.
    client.post(candidate_urls(jury, jury.other_convocation)["declare"], {"link": LinkKind.NONE})
    assert client.get(candidate_urls(jury, jury.other_convocation)["candidate"]).status_code == 200


def test_declaring_a_link_afterwards_hides_the_dossier_at_once(jury, login):
    client = login(jury.pro)
    urls = candidate_urls(jury)
    client.post(urls["declare"], {"link": LinkKind.NONE})
    assert client.get(urls["candidate"]).status_code == 200
    response = client.post(urls["declare"], {"link": LinkKind.PERSONAL, "comment": "Cousine"})
    assert response["Location"] == reverse("jury:session", args=[jury.session.pk])
    assert client.get(urls["candidate"]).status_code == 404


# --- proofs -------------------------------------------------------------------------------


def test_a_member_without_conflict_downloads_the_submitted_proofs(jury, login, someone):
    proof = jury.dossier.proofs.first()
    url = reverse("dossiers:proof_download", args=[jury.dossier.pk, proof.pk])
    client = login(jury.pro)
    assert client.get(url).status_code == 404  # not declared yet
    declare_none([jury.pro], jury.convocation)
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    # A file the candidate did not submit is not the jury's to read.
    unsent = Proof.objects.create(
        dossier=jury.dossier,
        title="Brouillon",
        kind="other",
        original_name="b.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        file=proof.file.name,
    )
    assert client.get(reverse("dossiers:proof_download", args=[jury.dossier.pk, unsent.pk])).status_code == 404
    for user in (jury.stranger.user, someone):
        assert login(user).get(url).status_code == 404
    assert login(jury.dossier.candidate).get(url).status_code == 200


# --- scoring ------------------------------------------------------------------------------


def autosave(client, url, data):
    return client.post(url, data, HTTP_X_AUTOSAVE="1")


def scoring_post(jury, version, levels=None, comment="", remark=""):
    rubric = jury.rubric()
    data = {"version": version, "comment": comment}
    for criterion, level in zip(rubric.criteria.order_by("order"), levels or [None, None], strict=True):
        if level is not None:
            data[f"level-{criterion.pk}"] = rubric.levels.order_by("order")[level].pk
        data[f"remark-{criterion.pk}"] = remark
    return data


def test_the_scoring_page_shows_the_frozen_grille_and_its_formula(jury, login):
    declare_none([jury.pro], jury.convocation)
    body = page(login(jury.pro).get(candidate_urls(jury)["score"]))
    rubric = jury.rubric()
    for criterion in rubric.criteria.all():
        assert criterion.text in body
    for level in rubric.levels.all():
        assert level.label in body
    assert "Σ (pondération × points du niveau choisi) ÷ Σ (pondération × points du niveau le plus haut)" in body
    assert 'data-autosave-fields="comment level-* remark-*"' in body
    assert "Valider ma notation" in body


def test_the_autosave_answers_json_saved_conflict_refused_and_expired(jury, login, client):
    declare_none([jury.pro], jury.convocation)
    url = candidate_urls(jury)["score"]
    login(jury.pro)
    saved = autosave(client, url, scoring_post(jury, 0, [3, None], comment="Premier jet"))
    assert saved.status_code == 200 and saved.json()["status"] == "saved" and saved.json()["version"] == 1
    conflict = autosave(client, url, scoring_post(jury, 0, [2, None], comment="Autre onglet"))
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["theirs"]["comment"] == "Premier jet" and "Reprendre la version enregistrée" in body["html"]
    invalid = autosave(client, url, {"comment": "sans version"})
    assert invalid.status_code == 400
    autosave(client, url, scoring_post(jury, 1, [3, 3], comment="Complet"))
    validate = reverse("jury:validate", args=[jury.convocation.pk, jury.rubric().pk])
    client.post(validate, scoring_post(jury, 2, [3, 3], comment="Complet"))
    client.post(validate, {"confirm": "1", "version": 2})
    refused = autosave(client, url, scoring_post(jury, 2, [0, 0]))
    assert refused.status_code == 403 and refused.json()["status"] == "refused"
    client.logout()
    expired = autosave(client, url, scoring_post(jury, 2, [0, 0]))
    assert expired.status_code == 401 and expired.json()["status"] == "login_required"
    plain = client.post(url, scoring_post(jury, 2, [0, 0]))
    assert plain.status_code == 302 and plain["Location"].startswith(reverse("login"))


def test_without_javascript_a_save_redirects_and_a_conflict_keeps_both_versions(jury, login):
    declare_none([jury.pro], jury.convocation)
    client = login(jury.pro)
    url = candidate_urls(jury)["score"]
    assert client.post(url, scoring_post(jury, 0, [1, 2], comment="Premier")).status_code == 302
    conflict = client.post(url, scoring_post(jury, 0, [3, 3], comment="Le mien"))
    assert conflict.status_code == 409
    body = page(conflict)
    assert "Le mien" in body and "« Premier »" in body


def test_valider_ma_notation_requires_every_criterion(jury, login):
    declare_none([jury.pro], jury.convocation)
    client = login(jury.pro)
    url = reverse("jury:validate", args=[jury.convocation.pk, jury.rubric().pk])
    response = client.post(url, scoring_post(jury, 0, [3, None], comment="Presque"), follow=True)
    assert "Choisissez un niveau pour chaque critère" in page(response)
    evaluation = Evaluation.objects.get(member=jury.pro)
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.comment == "Presque"  # nothing typed is lost
    asked = client.post(url, scoring_post(jury, 1, [3, 2], comment="Complet"))
    assert "Confirmer la validation" in page(asked)
    response = client.post(url, {"confirm": "1", "version": 2})
    assert response["Location"] == candidate_urls(jury)["candidate"]
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.VALIDATED
    read_only = page(client.get(candidate_urls(jury)["score"]))
    assert "Notation validée le" in read_only and 'name="level-' not in read_only


def test_without_javascript_each_step_of_scoring_says_what_happened(jury, login):
    client = login(jury.pro)
    urls = candidate_urls(jury)
    declared = client.post(urls["declare"], {"link": LinkKind.NONE}, follow=True)
    assert "Déclaration enregistrée : vous pouvez lire le dossier." in page(declared)
    saved = client.post(urls["score"], scoring_post(jury, 0, [3, None]), follow=True)
    assert saved.redirect_chain == [(urls["score"], 302)] and "Enregistré à" in page(saved)
    validate = reverse("jury:validate", args=[jury.convocation.pk, jury.rubric().pk])
    stale = client.post(validate, scoring_post(jury, 0, [3, 3]), follow=True)
    assert stale.redirect_chain == [(urls["score"], 302)]
    assert "modifiée depuis un autre onglet : relisez-la avant de valider" in page(stale)
    asked = client.post(validate, scoring_post(jury, 1, [3, 3]))
    assert asked.status_code == 200 and "Valider ma notation ?" in page(asked)
    validated = client.post(validate, {"confirm": "1", "version": 2}, follow=True)
    assert validated.redirect_chain == [(urls["candidate"], 302)]
    assert "Notation validée : elle n'est plus modifiable, sauf si le président la rouvre." in page(validated)
    refused = client.post(urls["score"], scoring_post(jury, 2, [0, 0]), follow=True)
    assert refused.redirect_chain == [(urls["score"], 302)]
    assert "Votre notation est validée : elle n'est plus modifiable" in page(refused)
    conflict = client.post(
        candidate_urls(jury)["declare"], {"link": LinkKind.PERSONAL, "comment": "Voisine"}, follow=True
    )
    assert conflict.redirect_chain == [(reverse("jury:session", args=[jury.session.pk]), 302)]
    assert "Lien déclaré : vous ne verrez pas ce dossier" in page(conflict)


def test_only_the_president_reopens_a_scoring(jury, login):
    declare_none([jury.pro, jury.president], jury.convocation)
    evaluation = choose(jury.pro, jury.convocation, jury.rubric(), [3, 3])
    url = reverse("jury:reopen", args=[evaluation.pk])
    reason = {"reason": "Le critère 2 mérite une relecture du bloc."}
    assert login(jury.pro).post(url, reason).status_code == 403
    assert login(jury.stranger).post(url, reason).status_code == 404
    assert login(jury.president).post(url, reason).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT


# --- independence -------------------------------------------------------------------------

SECRET_REMARK = "Remarque-confidentielle-du-professionnel"
SECRET_COMMENT = "Appreciation-confidentielle-du-professionnel"


def test_a_member_sees_nothing_of_another_members_scoring_until_they_validated_their_own(jury, login):
    conv = jury.convocation
    declare_none([jury.pro, jury.president], conv)
    for item in queries.assessed_items(conv.dossier):
        criteria = list(item.rubric.criteria.order_by("order"))
        top = item.rubric.levels.order_by("order").last()
        changes = {"comment": SECRET_COMMENT}
        for c in criteria:
            changes[f"level-{c.pk}"], changes[f"remark-{c.pk}"] = str(top.pk), SECRET_REMARK
        services.save_evaluation(jury.pro, conv, item.rubric, 0, changes)
        services.validate_evaluation(jury.pro, conv, item.rubric)
    services.record_attendance(conv, jury.president, Attendance.PRESENT)
    pro_name = jury.pro.user.get_full_name()
    urls = candidate_urls(jury)
    client = login(jury.president)
    # The président scored one grille out of two: still nothing of the others'.
    choose(jury.president, conv, jury.rubric(0), [0, 0])
    for name in ("candidate", "score", "grid", "fragment", "deliberate", "block"):
        body = page(client.get(urls[name]))
        assert SECRET_REMARK not in body and SECRET_COMMENT not in body, name
        assert pro_name not in body or name in ("deliberate",), name
    assert client.get(urls["export"]).status_code == 403
    assert "restent masquées" in page(client.get(urls["grid"]))
    # The minutes, the certifier's pages and the session page never show scorings.
    for body in (
        page(client.get(reverse("jury:minutes", args=[jury.session.pk]))),
        page(client.get(reverse("jury:session", args=[jury.session.pk]))),
        page(login(jury.certifier).get(reverse("backoffice:session", args=[jury.session.pk]))),
    ):
        assert SECRET_REMARK not in body and SECRET_COMMENT not in body
    # Once the président has validated every grille of this candidate, the grid opens.
    client = login(jury.president)
    choose(jury.president, conv, jury.rubric(1), [0, 0])
    for name in ("grid", "fragment", "deliberate"):
        body = page(client.get(urls[name]))
        assert SECRET_REMARK in body and pro_name in body, name
    export = client.get(urls["export"]).content.decode("utf-8-sig")
    assert pro_name in export and "Excellent" in export and "Insuffisant" in export
    # The certifier still sees no scoring.
    back_office = page(login(jury.certifier).get(reverse("backoffice:session", args=[jury.session.pk])))
    assert SECRET_REMARK not in back_office and "4 notations validées" in back_office


def test_a_draft_of_another_member_never_shows_even_to_a_member_who_validated(jury, login):
    conv = jury.convocation
    declare_none([jury.pro, jury.president], conv)
    score_everything([jury.pro], conv)
    services.save_evaluation(jury.president, conv, jury.rubric(), 0, {"comment": "Brouillon du président"})
    body = page(login(jury.pro).get(candidate_urls(jury)["grid"]))
    assert "Brouillon du président" not in body
    assert "Notation en cours" in body and jury.president.user.get_full_name() in body


def test_the_grid_flags_members_two_levels_apart_and_gives_each_score(jury, login):
    conv = jury.convocation
    declare_none([jury.pro, jury.president], conv)
    first, second = jury.rubric(0), jury.rubric(1)
    choose(jury.pro, conv, first, [0, 2])  # (0 + 2) / 6 = 33.3 %
    choose(jury.president, conv, first, [2, 3])  # (2 + 3) / 6 = 83.3 %
    for m in (jury.pro, jury.president):
        choose(m, conv, second, [3, 3])
    response = login(jury.pro).get(candidate_urls(jury)["grid"])
    body = page(response)
    grid_items = response.context["grid"].items
    assert [row.divergence is not None for row in grid_items[0].rows] == [True, False]
    assert "écart de 2 niveaux" in body
    assert "33.3 %" in body or "33,3 %" in body
    assert "83.3 %" in body or "83,3 %" in body
    assert grid_items[0].suggestion.validated is None and grid_items[1].suggestion.validated is True
    assert "pas de majorité" in body


# --- deliberation -------------------------------------------------------------------------


def test_only_the_president_deliberates(jury, login):
    declare_none([jury.pro], jury.convocation)
    assert login(jury.pro).get(candidate_urls(jury)["deliberate"]).status_code == 403


def decision_post(jury, validated=("yes", "no"), action="preview", expected=""):
    data = {"action": action, "comment": "Bonne présentation.", "expected_result": expected}
    items = queries.assessed_items(jury.dossier)
    for item, ok in zip(items, validated, strict=True):
        data[f"{item.key}-validated"] = ok
        data[f"{item.key}-justification"] = f"Justification {item.label}"
        if ok == "no":
            data[f"{item.key}-competencies"] = [item.competencies()[0].pk]
            data[f"{item.key}-recommendations"] = "Décrire une situation d'encadrement."
    return data


def test_the_president_sees_the_result_computed_then_confirms_it(jury, login):
    conv = jury.convocation
    declare_none([jury.pro, jury.president], conv)
    services.record_attendance(conv, jury.president, Attendance.PRESENT)
    score_everything([jury.pro, jury.president], conv)
    client = login(jury.president)
    url = candidate_urls(jury)["deliberate"]
    preview = client.post(url, decision_post(jury))
    assert "Validation partielle de la certification visée en totalité" in page(preview)
    assert preview.context["form"]["expected_result"].value() == JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION
    # Changed after the preview: refused, nothing saved.
    stale = client.post(
        url, decision_post(jury, ("yes", "yes"), "confirm", JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION)
    )
    assert "Le résultat a changé" in page(stale)
    assert not conv.decisions.exists()
    done = client.post(
        url, decision_post(jury, ("yes", "no"), "confirm", JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION)
    )
    assert done["Location"] == reverse("jury:session", args=[jury.session.pk])
    decision = conv.decisions.get()
    assert decision.comment == "Bonne présentation."
    assert decision.items.get(validated=False).recommendations == "Décrire une situation d'encadrement."


def test_the_deliberation_page_says_why_the_jury_cannot_decide_yet(jury, login):
    declare_none([jury.president], jury.convocation)
    body = page(login(jury.president).get(candidate_urls(jury)["deliberate"]))
    assert "Relevez d'abord la présence du candidat." in body
    assert 'value="confirm"' not in body


def test_the_president_records_attendance_and_a_member_cannot(jury, login):
    url = reverse("jury:attendance", args=[jury.convocation.pk])
    assert login(jury.pro).post(url, {"attendance": Attendance.PRESENT}).status_code == 403
    assert login(jury.stranger).post(url, {"attendance": Attendance.PRESENT}).status_code == 404
    login(jury.president).post(url, {"attendance": Attendance.EXCUSED})
    jury.convocation.refresh_from_db()
    assert jury.convocation.attendance == Attendance.EXCUSED


# --- procès-verbal, documents and the candidate's result ----------------------------------


def render_documents():
    for document in JuryDocument.objects.all():
        documents.run(document.pk)


def close_session(jury):
    """Both candidates decided (the second excused), everyone signs."""
    members = [jury.president, jury.pro, jury.conflicted]
    decided(
        jury.session,
        [jury.president, jury.pro],
        jury.convocation,
        validated={i.key: i.block.order == 1 for i in queries.assessed_items(jury.dossier)},
    )
    services.record_attendance(jury.other_convocation, jury.president, Attendance.EXCUSED)
    jury.other_convocation.refresh_from_db()
    services.record_decision(jury.other_convocation, jury.president, [])
    return members


def test_each_present_member_signs_the_minutes_in_the_portal(jury, login):
    members = close_session(jury)
    url = reverse("jury:minutes", args=[jury.session.pk])
    for member in members:
        client = login(member)
        body = page(client.get(url))
        assert "Signer le procès-verbal" in body
        assert "Ancien employeur" in body  # the conflict declared
        response = client.post(reverse("jury:sign", args=[jury.session.pk]), follow=True)
        assert "Vous avez signé le procès-verbal." in page(response)
    jury.session.refresh_from_db()
    assert jury.session.minutes.status == MinutesStatus.FINAL
    assert login(jury.stranger).post(reverse("jury:sign", args=[jury.session.pk])).status_code == 404
    body = page(login(jury.pro).get(url))
    assert "définitif" in body and jury.session.minutes.content_sha256 in body


def test_the_documents_are_for_the_jury_the_candidate_and_the_certifier_only(jury, login, someone):
    members = close_session(jury)
    sign_all(jury.session, members)
    render_documents()
    minutes = JuryDocument.objects.get(kind=JuryDocumentKind.MINUTES)
    letter = JuryDocument.objects.get(kind=JuryDocumentKind.DECISION_LETTER, convocation__dossier=jury.dossier)
    attestation = JuryDocument.objects.get(kind=JuryDocumentKind.ATTESTATION)
    assert not JuryDocument.objects.filter(
        kind=JuryDocumentKind.ATTESTATION, convocation__dossier=jury.other_convocation.dossier
    ).exists()  # excused: nothing acquired
    other_candidate = jury.other_convocation.dossier.candidate
    admin = UserFactory(admin=True)
    other_certifier = certifier_of(make_certification(published=True))
    expected = {
        minutes: {jury.pro.user, jury.conflicted.user, jury.certifier, admin},
        letter: {jury.dossier.candidate, jury.certifier, admin},
        attestation: {jury.dossier.candidate, jury.certifier, admin},
    }
    everyone = {
        jury.pro.user,
        jury.conflicted.user,
        jury.stranger.user,
        jury.certifier,
        admin,
        someone,
        jury.dossier.candidate,
        other_candidate,
        other_certifier,
    }
    for document, allowed in expected.items():
        url = reverse("jury:document", args=[document.pk])
        for user in everyone:
            response = login(user).get(url)
            assert response.status_code == (200 if user in allowed else 404), (document.kind, user.email)
            if user in allowed:
                assert response["Content-Type"] == "application/pdf"


def test_the_candidate_reads_the_result_once_the_minutes_are_final(jury, login):
    members = close_session(jury)
    url = reverse("dossiers:detail", args=[jury.dossier.pk])
    client = login(jury.dossier.candidate)
    before = page(client.get(url))
    assert "Le jury a délibéré" in before and "Justification" not in before
    assert client.get(reverse("jury:document", args=[1])).status_code == 404
    sign_all(jury.session, members)
    after = page(client.get(url))
    assert "Résultat du jury" in after
    assert "Validation partielle de la certification visée en totalité" in after
    assert "validé — acquis à vie" in after and "non validé" in after
    assert "Compétences restant à démontrer" in after
    assert "Lettre de décision" in after and "Attestation de blocs acquis" in after


def test_a_revoked_decision_is_said_to_the_candidate(jury, login):
    members = close_session(jury)
    sign_all(jury.session, members)
    decision = jury.convocation.decisions.get()
    response = login(jury.certifier).post(
        reverse("backoffice:decision_revoke", args=[decision.pk]), {"reason": "Erreur matérielle"}
    )
    assert response.status_code == 302
    body = page(login(jury.dossier.candidate).get(reverse("dossiers:detail", args=[jury.dossier.pk])))
    assert "a été révoquée" in body and "Erreur matérielle" in body
    jury.dossier.refresh_from_db()
    assert jury.dossier.status == S.READY_FOR_JURY
    other_certifier = certifier_of(make_certification(published=True))
    assert login(other_certifier).get(reverse("backoffice:decision_revoke", args=[decision.pk])).status_code == 404
    assert login(jury.president).get(reverse("backoffice:decision_revoke", args=[decision.pk])).status_code == 403


def test_the_president_notes_a_member_absent(jury, login):
    url = reverse("jury:member_presence", args=[jury.conflicted.pk])
    assert login(jury.pro).post(url, {"present": "0"}).status_code == 403
    login(jury.president).post(url, {"present": "0"})
    jury.conflicted.refresh_from_db()
    assert not jury.conflicted.present


# --- query counts -------------------------------------------------------------------------


def test_the_session_page_query_count_does_not_grow_with_candidates(jury, login, django_assert_max_num_queries):
    client = login(jury.president)
    url = reverse("jury:session", args=[jury.session.pk])
    # The président's page has the agreement figures (a fixed number of queries).
    with django_assert_max_num_queries(17):
        assert client.get(url).status_code == 200
    close_session(jury)
    with django_assert_max_num_queries(17):
        assert client.get(url).status_code == 200


def test_the_grid_page_query_count_does_not_grow_with_members_or_criteria(jury, login, django_assert_max_num_queries):
    conv = jury.convocation
    declare_none([jury.pro, jury.president], conv)
    score_everything([jury.pro, jury.president], conv)
    client = login(jury.president)
    url = candidate_urls(jury)["grid"]
    with django_assert_max_num_queries(26) as small:
        assert client.get(url).status_code == 200
    # A third member scores too.
    third = services.add_member(jury.session, None, email="troisieme@example.org", role="trainer")
    declare_none([third], conv)
    score_everything([third], conv)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_candidate_and_bloc_pages_need_as_many_queries_with_more_proofs(jury, login, django_assert_max_num_queries):
    from dossiers.enums import SnapshotKind
    from dossiers.models import Proof
    from tests.factories import pdf_upload

    conv = jury.convocation
    declare_none([jury.pro], conv)
    client = login(jury.pro)
    dossier = conv.dossier
    snapshot = dossier.snapshots.filter(kind=SnapshotKind.VALIDATION).order_by("-number").first()
    block_id = snapshot.content["blocks"][0]["id"]
    urls = [reverse("jury:candidate", args=[conv.pk]), reverse("jury:dossier_block", args=[conv.pk, block_id])]

    def counts():
        counted = []
        for url in urls:
            with django_assert_max_num_queries(40) as ctx:
                assert client.get(url).status_code == 200
            counted.append(len(ctx.captured_queries))
        return counted

    before = counts()
    # Three more proofs frozen in the submitted version, each linked to the bloc's first compétence.
    content = snapshot.content
    for n in range(3):
        proof = Proof.objects.create(
            dossier=dossier, title=f"Preuve {n}", kind="other", file=pdf_upload(f"p{n}.pdf"), sha256=f"{n}" * 64, size=9
        )
        content["proofs"].append({**content["proofs"][0], "id": proof.pk, "sha256": proof.sha256, "title": proof.title})
        content["blocks"][0]["competencies"][0].setdefault("proofs", []).append(proof.pk)
    type(snapshot).objects.filter(pk=snapshot.pk).update(content=content)

    assert counts() == before


def test_the_deliberation_reads_the_scorings_and_grilles_once_for_the_grid_and_the_checks(jury, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    conv = jury.convocation
    declare_none([jury.pro, jury.president], conv)
    score_everything([jury.pro, jury.president], conv)
    client = login(jury.president)
    client.post(reverse("jury:attendance", args=[conv.pk]), {"attendance": Attendance.PRESENT})

    with CaptureQueriesContext(connection) as ctx:
        body = page(client.get(candidate_urls(jury)["deliberate"]))

    def reads(table):
        return [q for q in ctx.captured_queries if f'FROM "{table}"' in q["sql"]]

    assert "grid-" in body  # the grid is shown (its criteria are anchored)
    assert len(reads("juries_criterionscore")) == 1  # the scores, once for the grid and the checks
    assert len(reads("certifications_rubriclevel")) == 1  # the grilles' levels, once


def test_an_absent_candidate_is_decided_without_blocs(jury, login):
    conv = jury.other_convocation
    client = login(jury.president)
    client.post(candidate_urls(jury, conv)["declare"], {"link": LinkKind.NONE})
    client.post(reverse("jury:attendance", args=[conv.pk]), {"attendance": Attendance.ABSENT})
    url = candidate_urls(jury, conv)["deliberate"]
    preview = client.post(url, {"action": "preview", "comment": ""})
    assert "Absence non excusée" in page(preview)
    client.post(url, {"action": "confirm", "comment": "", "expected_result": JuryResult.CANDIDATE_ABSENT})
    decision = conv.decisions.get()
    assert decision.result == JuryResult.CANDIDATE_ABSENT and not decision.items.exists()


def test_the_certifiers_session_page_query_count_does_not_grow_with_decisions(
    jury, login, django_assert_max_num_queries
):
    decided(jury.session, [jury.president, jury.pro], jury.convocation)
    client = login(jury.certifier)
    url = reverse("backoffice:session", args=[jury.session.pk])
    # With the composition check against signing and the agreement figures (fixed counts).
    with django_assert_max_num_queries(24) as one:
        client.get(url)
    services.record_attendance(jury.other_convocation, jury.president, Attendance.EXCUSED)
    jury.other_convocation.refresh_from_db()
    services.record_decision(jury.other_convocation, jury.president, [])
    sign_all(jury.session, [jury.president, jury.pro, jury.conflicted])
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = page(client.get(url))
    assert "Définitif le" in body and "Lettre de décision" in body


def test_a_member_sees_their_past_sessions_25_a_page_the_latest_first(login):
    from juries.models import JurySession
    from tests.factories import make_session

    member = UserFactory(email="assidu@example.org")
    sessions = []
    for days in range(1, 28):
        session = make_session(days=days)
        services.add_member(session, UserFactory(admin=True), email=member.email, role="professional")
        sessions.append(session)
    JurySession.objects.filter(pk__in=[s.pk for s in sessions]).update(status="closed")
    client = login(member)

    first = page(client.get(reverse("jury:sessions")))
    second = page(client.get(reverse("jury:sessions"), {"passees": 2}))

    def listed(text):
        links = {s.pk: reverse("jury:session", args=[s.pk]) + '"' for s in sessions}
        return sorted((pk for pk, link in links.items() if link in text), key=lambda pk: text.index(links[pk]))

    latest_first = [s.pk for s in reversed(sessions)]
    assert listed(first) == latest_first[:25]
    assert "Page 1 sur 2" in first and "?passees=2" in first
    assert listed(second) == latest_first[25:]


def test_a_member_sees_the_sessions_to_come_25_a_page_the_soonest_first_todays_included(login):
    import datetime as dt

    from django.utils import timezone

    from juries.models import JurySession
    from tests.factories import make_session

    member = UserFactory(email="assidue@example.org")
    coming = [make_session(days=days) for days in range(1, 28)]
    cancelled = make_session(days=3)
    for session in [*coming, cancelled]:
        services.add_member(session, UserFactory(admin=True), email=member.email, role="professional")
    JurySession.objects.filter(pk=cancelled.pk).update(status="cancelled")
    # The first one began at midnight: still today's session, not a past one.
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(0)))
    JurySession.objects.filter(pk=coming[0].pk).update(starts_at=midnight)
    client = login(member)

    first = page(client.get(reverse("jury:sessions")))
    second = page(client.get(reverse("jury:sessions"), {"a_venir": 2}))

    def listed(text, sessions):
        links = {s.pk: reverse("jury:session", args=[s.pk]) + '"' for s in sessions}
        return sorted((pk for pk, link in links.items() if link in text), key=lambda pk: text.index(links[pk]))

    assert listed(first, coming) == [s.pk for s in coming[:25]]
    assert listed(second, coming) == [s.pk for s in coming[25:]]
    assert 'aria-label="Pages des sessions à venir"' in first and "?a_venir=2" in first
    # The cancelled session is among the past ones, on both pages of the sessions to come.
    assert listed(first, [cancelled]) == listed(second, [cancelled]) == [cancelled.pk]
