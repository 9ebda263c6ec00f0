from __future__ import annotations

import base64

import pytest

from documents.enums import DocumentKind
from documents.models import GeneratedDocument
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from francevae import services
from francevae.enums import MessageStatus
from francevae.models import FranceVaeLink, OutboxMessage, SyncEntry
from tests.factories import pdf_with_comment
from tests.francevae.conftest import TOKEN, assert_conforms

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pull_brings_the_dossier_into_the_queue_once(connection, fake, mailoutbox):
    assert services.pull(connection)["created"] == 1
    link = FranceVaeLink.objects.get()
    assert link.dossier.status == S.FEASIBILITY_SUBMITTED
    assert link.dossier.candidate.email == "alice.martin@example.org"
    assert link.dossier.experiences.count() == 1
    assert link.documents.count() == 1
    assert [m.to for m in mailoutbox] == [["alice.martin@example.org"]]
    assert services.pull(connection) == {"created": 0, "updated": 0, "unchanged": 1, "errors": 0}
    assert FranceVaeLink.objects.count() == 1
    assert_conforms(fake.requests())


def test_a_candidature_listed_twice_makes_one_dossier(connection, fake):
    state = fake.state()
    state["dossiersDeFaisabilite"] *= 2
    fake.set_state(state)
    services.pull(connection)
    assert FranceVaeLink.objects.count() == 1


def test_a_changed_dossier_adds_its_new_document_and_comes_back_to_the_queue(connection, fake):
    services.pull(connection)
    link = FranceVaeLink.objects.get()
    dossier_services.decide_feasibility(link.dossier, connection.staff, S.FEASIBILITY_INCOMPLETE, "Pièce manquante.")
    state = fake.state()
    state["files"]["complement.pdf"] = base64.b64encode(pdf_with_comment(b"complement")).decode()
    state["dossiersDeFaisabilite"][0]["documents"].append(
        {"nom": "complement.pdf", "url": fake.base_url + "/_files/complement.pdf", "typeMime": "application/pdf"}
    )
    fake.set_state(state)
    assert services.pull(connection)["updated"] == 1
    link.refresh_from_db()
    assert link.documents.count() == 2
    assert link.dossier.status == S.FEASIBILITY_SUBMITTED


def test_a_decision_is_sent_once_and_conforms(connection, fake):
    services.pull(connection)
    link = FranceVaeLink.objects.get()
    dossier_services.decide_feasibility(link.dossier, connection.staff, S.ADMISSIBLE, "")
    message = OutboxMessage.objects.get()
    assert message.fields == {"decision": "RECEVABLE"}
    assert services.deliver(message.pk).status == MessageStatus.SENT
    services.deliver(message.pk)  # a second delivery (a task run twice) sends nothing
    posts = [r for r in fake.requests() if r["method"] == "POST"]
    assert len(posts) == 1
    assert posts[0]["fields"] == {"decision": "RECEVABLE", "document": "<binary>"}
    letter = GeneratedDocument.objects.get(dossier=link.dossier, kind=DocumentKind.FEASIBILITY_DECISION)
    sent = posts[0]["files"]["document"]
    assert sent["pdf"] and sent["content_type"] == "application/pdf"
    assert sent["sha256"] == letter.sha256 and sent["filename"] == f"decision-de-recevabilite-{link.dossier_id}-1.pdf"
    assert_conforms(fake.requests())
    assert SyncEntry.objects.filter(link=link, summary__contains="avec le PDF").exists()


def test_a_500_is_tried_again_then_sent(connection, fake):
    services.pull(connection)
    link = FranceVaeLink.objects.get()
    dossier_services.decide_feasibility(link.dossier, connection.staff, S.INADMISSIBLE, "Hors du champ.")
    fake.fault(method="POST", path_contains="/decisions", status=500, times=1)
    message = OutboxMessage.objects.get()
    first = services.deliver(message.pk)
    assert first.status == MessageStatus.PENDING and first.next_attempt_at is not None
    assert SyncEntry.objects.filter(link=link, ok=False, status_code=500).exists()
    assert services.deliver(message.pk).status == MessageStatus.SENT
    assert [r["fields"] for r in fake.requests() if r["method"] == "POST"][-1] == {
        "decision": "IRRECEVABLE",
        "commentaire": "Hors du champ.",
        "document": "<binary>",
    }


def test_a_timeout_leaves_the_message_to_send_again(connection, fake):
    services.pull(connection)
    link = FranceVaeLink.objects.get()
    dossier_services.decide_feasibility(link.dossier, connection.staff, S.ADMISSIBLE, "")
    fake.fault(method="POST", path_contains="/decisions", delay=2, times=1)
    message = services.deliver(OutboxMessage.objects.get().pk, timeout=0.5)
    assert message.status == MessageStatus.PENDING
    assert "délai" in message.last_error


def test_a_paused_connection_sends_nothing(connection, fake):
    services.pull(connection)
    link = FranceVaeLink.objects.get()
    dossier_services.decide_feasibility(link.dossier, connection.staff, S.ADMISSIBLE, "")
    services.set_paused(connection, True)
    assert services.deliver(OutboxMessage.objects.get().pk).status == MessageStatus.PENDING
    assert not [r for r in fake.requests() if r["method"] == "POST"]


def test_a_wrong_token_is_reported_by_the_connection_test(connection, fake):
    assert "réussie" in services.test_connection(connection)
    services.save_connection(
        connection.organisation, base_url=fake.base_url, authority_id="ca-1", token="faux", invite_candidates=False
    )
    connection.refresh_from_db()
    with pytest.raises(services.ConnectorError, match="401"):
        services.test_connection(connection)


def test_the_token_is_stored_encrypted(connection):
    connection.refresh_from_db()
    assert TOKEN not in connection.token_encrypted
