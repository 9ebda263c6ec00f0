"""Moderation in real headless Chromium: the président reopens a scoring with a reason the
member reads, the member scores with the candidate's narrative beside each criterion (side by
side on a wide screen, one under the other on a phone) and confirms the validation, then the
président settles the divergence with a justification and decides."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from juries import services
from juries.enums import Attendance, JuryRole
from juries.models import DivergenceSettlement
from tests.factories import PASSWORD, UserFactory
from tests.juries.helpers import choose, declare_none, four_level_certification, jury_session

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, user):
    page.context.clear_cookies()
    page.goto(reverse("login"))
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_the_president_reopens_with_a_reason_then_settles_the_divergence(page):
    cert = four_level_certification(title="Médiation sociale")
    first_bloc = cert.blocks.get(order=1)
    session, (m_president, m_professional), (conv,) = jury_session(
        cert, roles=(JuryRole.PRESIDENT, JuryRole.PROFESSIONAL), blocks=[first_bloc]
    )
    president = UserFactory(email="presidente@example.org", first_name="Claire", last_name="Durand")
    professional = UserFactory(email="pro@example.org", first_name="Bruno", last_name="Petit")
    type(m_president).objects.filter(pk=m_president.pk).update(user=president)
    type(m_professional).objects.filter(pk=m_professional.pk).update(user=professional)
    m_president.refresh_from_db()
    m_professional.refresh_from_db()
    rubric = first_bloc.rubric
    declare_none([m_president, m_professional], conv)
    services.record_attendance(conv, m_president, Attendance.PRESENT)
    conv.refresh_from_db()
    choose(m_professional, conv, rubric, [1, 3])
    choose(m_president, conv, rubric, [2, 3])

    # The président reads the grid and gives the professional's scoring back, saying why.
    log_in(page, president)
    page.goto(reverse("jury:grid", args=[conv.pk]))
    column = page.get_by_role("columnheader", name=re.compile("Bruno Petit"))
    column.get_by_text("Rouvrir sa notation").click()
    column.get_by_label("Ce que le membre doit revoir (il le lira)").fill("Relisez le premier critère après l'oral.")
    column.get_by_role("button", name="Rouvrir", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("est rouverte")

    # The professional reads the reason; the narrative sits beside each criterion on a wide screen…
    log_in(page, professional)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("jury:score", args=[conv.pk, rubric.pk]))
    expect(page.locator("#reopen-reason")).to_contain_text("« Relisez le premier critère après l'oral. »")
    criterion = page.locator("fieldset[id^=criterion-]").first
    evidence = page.locator(".criterion-evidence").first
    expect(evidence).to_contain_text("Ce que le candidat en dit")
    wide_f, wide_e = criterion.bounding_box(), evidence.bounding_box()
    assert wide_e["x"] >= wide_f["x"] + wide_f["width"] - 1 and abs(wide_e["y"] - wide_f["y"]) < 40
    # … and under it on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    narrow_f, narrow_e = criterion.bounding_box(), evidence.bounding_box()
    assert narrow_e["y"] >= narrow_f["y"] + narrow_f["height"] - 1

    # They move the first criterion to the lowest level and confirm the validation.
    page.set_viewport_size({"width": 1280, "height": 900})
    criterion.get_by_label("Insuffisant").check()
    expect(page.locator("[data-autosave-status]")).to_contain_text("Enregistré à")
    page.get_by_role("button", name="Valider ma notation").click()
    expect(page.locator("#confirm-levels")).to_contain_text("Insuffisant")
    page.get_by_role("button", name="Confirmer la validation").click()
    expect(page.get_by_role("alert")).to_contain_text("Notation validée")

    # The président cannot decide before settling the divergence, then settles it.
    log_in(page, president)
    page.goto(reverse("jury:deliberate", args=[conv.pk]))
    expect(page.locator("#deliberation-problems")).to_contain_text("Les membres divergent sur")
    settle = page.locator("tr[data-divergent] form.settle-form")
    settle.get_by_label("Niveau retenu").select_option(label="Fragile")
    settle.get_by_role("button", name="Retenir ce niveau").click()
    # The browser asks for the justification before sending (required), the service too.
    assert not DivergenceSettlement.objects.exists()
    settle.get_by_label("Pourquoi ce niveau (motif au procès-verbal)").fill(
        "L'oral confirme une pratique encore fragile."
    )
    settle.get_by_role("button", name="Retenir ce niveau").click()
    expect(page.get_by_role("alert")).to_contain_text("Niveau retenu pour")
    expect(page.locator("tr[data-divergent] .settlement")).to_contain_text(
        "L'oral confirme une pratique encore fragile."
    )
    expect(page.locator("#deliberation-problems")).to_have_count(0)
    assert DivergenceSettlement.objects.get().level.label == "Fragile"
