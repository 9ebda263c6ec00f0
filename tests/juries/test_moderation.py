"""Moderation of a jury's work: the composition rule enforced at signing (and an administrator's
override), the confirmation before validating a scoring, reopening with a reason, divergences
settled by the président, agreement figures; through the services and the pages of every role."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from juries import queries, services
from juries.enums import Attendance, EvaluationStatus, JuryRole, MinutesStatus
from juries.models import DivergenceSettlement, Evaluation
from juries.services.errors import JuryError
from tests.factories import UserFactory, certifier_of
from tests.juries.helpers import choose, decided, decisions, declare_none, four_level_certification, jury_session

pytestmark = pytest.mark.django_db

BROKEN = (
    "La composition du jury ne respecte pas la règle de la certification : Il manque 1 formateur (0 sur 1). "
    "Le procès-verbal ne peut pas être signé, sauf dérogation écrite d'un administrateur."
)


def page(response) -> str:
    return html.unescape(response.content.decode())


def rubric_of(convocation, index=0):
    return queries.assessed_items(convocation.dossier)[index].rubric


@pytest.fixture
def ruled():
    """A session held today on a certification whose rule asks for a trainer, with a président
    and a professional only; its one candidate decided."""
    cert = four_level_certification(jury_rule={"roles": {"trainer": 1}})
    certifier = certifier_of(cert, email="certif@org.example")
    session, members, (conv,) = jury_session(cert, actor=certifier)
    decided(session, members, conv)
    return session, members, conv, certifier


# --- the composition rule -----------------------------------------------------------------


def test_signing_is_refused_with_the_reason_when_the_composition_breaks_the_rule(ruled):
    session, members, conv, _certifier = ruled
    assert services.minutes_problems(session) == [BROKEN]
    with pytest.raises(JuryError) as refused:
        services.sign_minutes(session, members[0])
    assert str(refused.value) == BROKEN
    assert not session.minutes.signatures.exists()


def test_an_absent_member_does_not_count_toward_the_rule():
    cert = four_level_certification(jury_rule={"roles": {"trainer": 1}})
    session, (president, pro, trainer), (conv,) = jury_session(
        cert, roles=(JuryRole.PRESIDENT, JuryRole.PROFESSIONAL, JuryRole.TRAINER)
    )
    assert services.minutes_problems(session) == [
        "Le jury n'a pas encore rendu sa décision pour 1 candidat."
    ]  # the trainer counts while present
    services.set_presence(trainer, president, False)
    assert BROKEN in services.minutes_problems(session)


def test_only_an_administrator_overrides_the_rule_and_only_with_a_written_reason(ruled):
    session, members, conv, certifier = ruled
    with pytest.raises(JuryError, match="Seul un administrateur peut déroger à la règle de composition du jury."):
        services.override_composition(session, certifier, "Formatrice malade")
    admin = UserFactory(admin=True)
    with pytest.raises(JuryError, match="Écrivez le motif de la dérogation : il figure au procès-verbal."):
        services.override_composition(session, admin, "  ")
    services.override_composition(session, admin, "La formatrice, malade, a été remplacée au pied levé.")
    event = AuditEvent.objects.get(action="jury.composition_override")
    assert event.actor == admin and event.comment == "La formatrice, malade, a été remplacée au pied levé."
    assert event.dossier_id == conv.dossier_id
    assert services.minutes_problems(session) == []
    for member in members:
        services.sign_minutes(session, member)
    session.minutes.refresh_from_db()
    assert session.minutes.status == MinutesStatus.FINAL
    override = session.minutes.content["composition_override"]
    assert override["reason"] == "La formatrice, malade, a été remplacée au pied levé."


def test_no_override_is_needed_when_the_composition_meets_the_rule():
    cert = four_level_certification(jury_rule={"roles": {"professional": 1}})
    session, members, (conv,) = jury_session(cert)
    with pytest.raises(JuryError, match="aucune dérogation n'est nécessaire"):
        services.override_composition(session, UserFactory(admin=True), "Par précaution")


def test_the_askoria_certification_has_its_structured_jury_rule(reference_certifications):
    cert = reference_certifications.get(slug="charge-projets-solidaires-locaux-cpsl")
    assert cert.jury_rule == {"roles": {"professional": 1, "trainer": 1, "resource_person": 1}}
    from certifications.jury_rule import JuryRule

    assert JuryRule.from_data(cert.jury_rule).describe() == [
        "1 professionnel du secteur au moins",
        "1 formateur au moins",
        "1 personne ressource au moins",
    ]


def test_the_minutes_page_says_why_it_cannot_be_signed_and_the_admin_overrides_from_the_session_page(ruled):
    from django.test import Client

    session, members, conv, certifier = ruled
    client = Client()
    client.force_login(members[0].user)
    body = page(client.get(reverse("jury:minutes", args=[session.pk])))
    assert BROKEN in body
    refused = client.post(reverse("jury:sign", args=[session.pk]), follow=True)
    assert BROKEN in page(refused)
    url = reverse("backoffice:session", args=[session.pk])
    override = reverse("backoffice:composition_override", args=[session.pk])
    client.force_login(certifier)
    body = page(client.get(url))
    assert BROKEN in body and override not in body  # the certifier sees why, not the form
    answer = client.post(override, {"reason": "Je passe outre"}, follow=True)
    assert "Seul un administrateur peut déroger à la règle de composition du jury." in page(answer)
    admin = UserFactory(admin=True)
    client.force_login(admin)
    assert override in page(client.get(url))
    done = client.post(override, {"reason": "Jury complété par téléphone, accord du certificateur."}, follow=True)
    assert "Dérogation enregistrée" in page(done)
    assert "Jury complété par téléphone, accord du certificateur." in page(done)
    client.force_login(members[0].user)
    minutes = page(client.get(reverse("jury:minutes", args=[session.pk])))
    assert "Dérogation à la règle de composition du jury" in minutes and BROKEN not in minutes


# --- validating and reopening a scoring ---------------------------------------------------


def scoring_post(conv, rubric, version, positions, comment=""):
    levels = list(rubric.levels.order_by("order"))
    data = {"version": version, "comment": comment}
    for criterion, position in zip(rubric.criteria.order_by("order"), positions, strict=True):
        data[f"level-{criterion.pk}"] = str(levels[position].pk) if position is not None else ""
        data[f"remark-{criterion.pk}"] = ""
    return data


def test_valider_ma_notation_asks_for_confirmation_before_validating(jury, login):
    conv, rubric = jury.convocation, jury.rubric()
    declare_none([jury.pro], conv)
    client = login(jury.pro)
    url = reverse("jury:validate", args=[conv.pk, rubric.pk])
    asked = client.post(url, scoring_post(conv, rubric, 0, [3, 2], "Solide"))
    assert asked.status_code == 200
    body = page(asked)
    assert "Valider ma notation ?" in body and "Confirmer la validation" in body
    assert "Une fois validée, votre notation n'est plus modifiable" in body
    evaluation = Evaluation.objects.get(member=jury.pro)
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.comment == "Solide"  # saved, not validated
    stale = client.post(url, {"confirm": "1", "version": evaluation.version - 1}, follow=True)
    assert "Votre notation a changé depuis la confirmation : relisez-la avant de la valider." in page(stale)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT
    confirmed = client.post(url, {"confirm": "1", "version": evaluation.version}, follow=True)
    assert confirmed.redirect_chain == [(reverse("jury:candidate", args=[conv.pk]), 302)]
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.VALIDATED


def test_an_incomplete_scoring_is_not_offered_for_confirmation(jury, login):
    conv, rubric = jury.convocation, jury.rubric()
    declare_none([jury.pro], conv)
    url = reverse("jury:validate", args=[conv.pk, rubric.pk])
    response = login(jury.pro).post(url, scoring_post(conv, rubric, 0, [3, None]), follow=True)
    assert "Choisissez un niveau pour chaque critère" in page(response)
    assert "Confirmer la validation" not in page(response)


def test_the_president_reopens_with_a_reason_the_member_reads(jury, login):
    conv, rubric = jury.convocation, jury.rubric()
    declare_none([jury.pro, jury.president], conv)
    evaluation = choose(jury.pro, conv, rubric, [3, 3])
    with pytest.raises(
        JuryError, match="Indiquez au membre ce qu'il doit revoir : le motif de la réouverture lui est montré."
    ):
        services.reopen_evaluation(evaluation, jury.president, " ")
    url = reverse("jury:reopen", args=[evaluation.pk])
    refused = login(jury.president).post(url, {"reason": ""}, follow=True)
    assert "Indiquez au membre ce qu'il doit revoir" in page(refused)
    login(jury.president).post(url, {"reason": "Relisez le critère 1 au regard du récit."})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT
    event = AuditEvent.objects.get(action="jury.evaluation_reopened")
    assert event.comment == "Relisez le critère 1 au regard du récit."
    body = page(login(jury.pro).get(reverse("jury:score", args=[conv.pk, rubric.pk])))
    assert "Le président a rouvert votre notation le" in body
    assert "« Relisez le critère 1 au regard du récit. »" in body


# --- the narrative beside each criterion --------------------------------------------------


def test_the_scoring_page_shows_the_candidates_narrative_beside_each_criterion(jury, login):
    conv, rubric = jury.convocation, jury.rubric()
    declare_none([jury.pro], conv)
    response = login(jury.pro).get(reverse("jury:score", args=[conv.pk, rubric.pk]))
    body = page(response)
    rows = response.context["rows"]
    block = queries.assessed_items(conv.dossier)[0].block
    snapshot_blocks = conv.dossier.snapshots.filter(kind="validation").latest("number").content["blocks"]
    narratives = {c["id"]: c["narrative"] for b in snapshot_blocks if b["id"] == block.pk for c in b["competencies"]}
    for row in rows:
        linked = [c.pk for c in row["criterion"].competencies.all()]
        assert [part["narrative"] for part in row["evidence"]] == [narratives[pk] for pk in linked]
    assert body.count("criterion-split") == len(rows)
    assert body.count('class="border rounded p-3 mb-3 bg-body-tertiary small criterion-evidence"') == len(rows)
    assert "col-12 col-lg-6" in body  # side by side on wide screens, one under the other on narrow ones


# --- divergences settled by the président -------------------------------------------------


@pytest.fixture
def divergent(jury):
    """The professional and the président two levels apart on the first criterion of bloc 1."""
    conv = jury.convocation
    declare_none([jury.pro, jury.president], conv)
    services.record_attendance(conv, jury.president, Attendance.PRESENT)
    conv.refresh_from_db()
    choose(jury.pro, conv, rubric_of(conv, 0), [0, 3])
    choose(jury.president, conv, rubric_of(conv, 0), [2, 3])
    for m in (jury.pro, jury.president):
        choose(m, conv, rubric_of(conv, 1), [3, 3])
    criterion = rubric_of(conv, 0).criteria.order_by("order").first()
    return conv, criterion


def test_the_president_settles_each_divergence_before_deciding(jury, divergent):
    conv, criterion = divergent
    item = queries.assessed_items(conv.dossier)[0]
    assert services.deliberation_problems(conv, jury.president) == [
        f"Les membres divergent sur « {criterion.text[:80]} » ({item.label}) : "
        "retenez un niveau, justifié, avant de décider."
    ]
    with pytest.raises(JuryError, match="Les membres divergent sur"):
        services.record_decision(conv, jury.president, decisions(conv))
    level = rubric_of(conv, 0).levels.order_by("order")[2]
    with pytest.raises(JuryError, match="président"):
        services.settle_divergence(conv, jury.pro, criterion, level, "Majorité")
    with pytest.raises(JuryError, match="Justifiez le niveau retenu : la justification figure au procès-verbal."):
        services.settle_divergence(conv, jury.president, criterion, level, "  ")
    other_level = rubric_of(conv, 1).levels.first()
    with pytest.raises(JuryError, match="Ce niveau n'appartient pas à la grille."):
        services.settle_divergence(conv, jury.president, criterion, other_level, "Majorité")
    calm = rubric_of(conv, 1).criteria.first()
    with pytest.raises(JuryError, match="Les membres ne divergent pas sur ce critère : il n'y a rien à trancher."):
        services.settle_divergence(conv, jury.president, calm, other_level, "Majorité")
    services.settle_divergence(conv, jury.president, criterion, level, "L'oral a levé le doute du professionnel.")
    assert services.deliberation_problems(conv, jury.president) == []
    event = AuditEvent.objects.get(action="jury.divergence_settled")
    assert event.comment == "L'oral a levé le doute du professionnel." and "Satisfaisant" not in str(event.changes)
    services.record_decision(conv, jury.president, decisions(conv))
    with pytest.raises(JuryError, match="Le jury a déjà rendu sa décision pour ce candidat."):
        services.settle_divergence(conv, jury.president, criterion, level, "Après coup")
    content = queries.minutes_content(jury.session)
    (mine,) = [c for c in content["candidates"] if c["convocation"] == conv.pk]
    assert mine["settlements"] == [
        {
            "item": f"{item.label} — {item.title}",
            "criterion": criterion.text,
            "level": level.label,
            "justification": "L'oral a levé le doute du professionnel.",
        }
    ]


def test_the_deliberation_page_lets_the_president_settle_and_the_minutes_show_it(jury, divergent, login):
    conv, criterion = divergent
    url = reverse("jury:settle", args=[conv.pk, criterion.pk])
    deliberate = reverse("jury:deliberate", args=[conv.pk])
    body = page(login(jury.president).get(deliberate))
    assert url in body and "Trancher : retenir un niveau" in body
    assert url not in page(login(jury.pro).get(reverse("jury:grid", args=[conv.pk])))
    assert login(jury.pro).post(url, {"level": "1", "justification": "x"}).status_code == 403
    assert login(jury.stranger).post(url, {"level": "1", "justification": "x"}).status_code == 404
    assert login(jury.conflicted).post(url, {"level": "1", "justification": "x"}).status_code == 404
    missing = login(jury.president).post(url, {"level": "", "justification": "x"}, follow=True)
    assert "Choisissez le niveau retenu dans la grille." in page(missing)
    level = rubric_of(conv, 0).levels.order_by("order")[2]
    done = login(jury.president).post(
        url, {"level": str(level.pk), "justification": "Le jury retient la majorité."}, follow=True
    )
    assert f"Niveau retenu pour « {criterion.text[:80]} » : {level.label}." in page(done)
    assert DivergenceSettlement.objects.get().level == level
    assert "Niveau retenu : " + level.label in page(login(jury.pro).get(reverse("jury:grid", args=[conv.pk])))
    services.record_decision(conv, jury.president, decisions(conv))
    minutes = page(login(jury.president).get(reverse("jury:minutes", args=[jury.session.pk])))
    assert "Divergences entre membres tranchées par le président" in minutes
    assert "Le jury retient la majorité." in minutes


# --- agreement figures --------------------------------------------------------------------


def test_agreement_figures_per_session_and_bloc_computed_by_hand():
    cert = four_level_certification()
    session, (president, pro), (conv,) = jury_session(cert)
    declare_none([president, pro], conv)
    services.record_attendance(conv, president, Attendance.PRESENT)
    conv.refresh_from_db()
    choose(president, conv, rubric_of(conv, 0), [3, 3])
    choose(pro, conv, rubric_of(conv, 0), [3, 2])
    choose(president, conv, rubric_of(conv, 1), [3, 3])
    choose(pro, conv, rubric_of(conv, 1), [3, 3])
    assert queries.agreement_report(session).empty  # nothing before the decision
    services.record_decision(conv, president, decisions(conv))
    report = queries.agreement_report(session)
    # Four units, three agreeing pairs of four: 75 %. Levels 3 ×7 and 2 ×1: the one disagreement
    # is exactly what chance predicts (α = 1 − 7 × 32 / 224 = 0); bloc 2 has no variation.
    assert report.session.units == 4 and report.session.percent == Decimal(75)
    assert report.session.alpha == pytest.approx(0.0)
    (b1, first), (b2, second) = report.blocks
    items = queries.assessed_items(conv.dossier)
    assert [b1, b2] == [f"{i.label} — {i.title}" for i in items]
    assert first.percent == Decimal(50) and first.alpha == pytest.approx(0.0)
    assert second.percent == Decimal(100) and second.alpha is None
    assert {row.member.pk: row.value for row in report.severity} == {
        president.pk: Decimal("0.25"),
        pro.pk: Decimal("-0.25"),
    }
    annex = queries.minutes_content(session)["agreement"]
    assert annex["session"] == {"units": 4, "percent": "75", "alpha": "0,00"}
    assert annex["blocks"][1]["alpha"] == "—"
    assert [m["value"] for m in annex["severity"]] == ["+0,25", "-0,25"]


def test_the_president_and_the_certifier_see_the_agreement_figures_the_other_members_do_not(jury, login):
    decided(jury.session, [jury.president, jury.pro], jury.convocation)
    url = reverse("jury:session", args=[jury.session.pk])
    assert "Accord entre les membres du jury" in page(login(jury.president).get(url))
    assert "Alpha de Krippendorff" in page(login(jury.president).get(url))
    assert "Accord entre les membres du jury" not in page(login(jury.pro).get(url))
    body = page(login(jury.certifier).get(reverse("backoffice:session", args=[jury.session.pk])))
    assert "Accord entre les membres du jury" in body and "Sévérité de chaque membre" in body
