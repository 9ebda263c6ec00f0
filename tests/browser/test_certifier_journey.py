"""A certifier's day, in real headless Chromium, on the pages users see."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dossiers import services
from dossiers.enums import DossierStatus as S
from tests.factories import (
    PASSWORD,
    UserFactory,
    certifier_of,
    dossier_in_state,
    fill_validation,
    make_certification,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_certifier_takes_a_dossier_from_recevabilite_to_a_convocation(page):
    cert = make_certification(published=True, title="Médiateur social", code="RNCP45678")
    cert.jury_rule = {"min_members": 3, "roles": {"president": 1, "professional": 2}}
    cert.save()
    certifier = certifier_of(cert, email="certif@mediation.example", first_name="Alice", last_name="Martin")
    certifier.set_password(PASSWORD)
    certifier.save()
    candidate = UserFactory(email="nina@example.org", first_name="Nina", last_name="Lopez")
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, candidate=candidate, certification=cert)

    # Log in and reach the back office from the navigation.
    page.goto("/accounts/login/")
    page.fill("#id_username", certifier.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Espace certificateur").click()
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()

    # The dashboard counts one dossier waiting for recevabilité; the queue lists it.
    page.get_by_role("link", name="Recevabilité demandée").click()
    page.get_by_role("link", name="Nina Lopez").click()
    expect(page.locator("#dossier-status")).to_have_text("Recevabilité demandée")

    page.get_by_label("Recevable", exact=True).check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("alert")).to_contain_text("Décision enregistrée : Recevable")
    expect(page.locator("#dossier-status")).to_contain_text("Recevable")

    # Later, the candidate submits their dossier de validation.
    dossier.refresh_from_db()
    fill_validation(dossier)
    services.submit_validation(dossier, candidate)

    back_office = page.get_by_role("navigation", name="Espace certificateur")
    back_office.get_by_role("link", name="Dossiers").click()
    page.get_by_role("link", name=re.compile("Dossier de validation déposé")).click()
    page.get_by_role("link", name="Nina Lopez").click()
    page.get_by_label("Complet : en attente de jury").check()
    page.get_by_role("button", name="Enregistrer l'examen").click()
    expect(page.locator("#dossier-status")).to_have_text("En attente de jury")

    # A session three weeks from now.
    back_office.get_by_role("link", name="Sessions de jury").click()
    page.get_by_role("link", name="Programmer une session").click()
    day = timezone.localdate() + dt.timedelta(days=21)
    page.select_option("#id_certification", str(cert.pk))
    page.fill("#id_date", day.isoformat())
    page.fill("#id_time", "09:00")
    page.fill("#id_place", "Maison des associations, salle 2")
    page.fill("#id_capacity", "3")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".alert-success")).to_contain_text("Session programmée")
    expect(page.locator("#composition")).to_contain_text("Il manque 1 président")

    # Three members: the composition then meets the certification's rule.
    for email, role in [
        ("presidente@example.org", "president"),
        ("pro1@example.org", "professional"),
        ("pro2@example.org", "professional"),
    ]:
        page.fill("#id_email", email)
        page.select_option("#id_role", role)
        page.get_by_role("button", name="Ajouter au jury").click()
        expect(page.locator("#members")).to_contain_text(email)
    expect(page.locator("#composition")).to_contain_text("La composition respecte la règle de la certification")

    # Convoke the candidate on the suggested slot.
    page.select_option("#id_dossier", str(dossier.pk))
    expect(page.locator("#id_start")).to_have_value("09:00")
    page.get_by_role("button", name="Convoquer", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Convocation envoyée à Nina Lopez")
    expect(page.locator("#convocations")).to_contain_text("9\u00a0h – 10\u00a0h")

    dossier.refresh_from_db()
    assert dossier.status == S.SCHEDULED
    assert dossier.convocations.get().session.members.count() == 3
