"""One small world with every role, for the access matrix.

Roles: anonymous, the owning candidate, another candidate, a certifier of the certification's
organisation, a certifier of another organisation, a jury member of the session, a jury member
of another session, a jury member who declared a conflict, an admin.

The owner's dossier (submitted, then complete) is convoked to a session of the certification:
``jury_member`` presides it and declared no link with the candidate (and validated the scoring of
one grille), ``conflicted_jury_member`` sits on it and declared a link; ``other_jury_member``
sits on a session of the other certification. The owner also writes a dossier de validation on
a second certification of the organisation (recevable, not submitted yet), with a proof in its
library: ``unsubmitted_dossier`` and ``unsubmitted_proof``.

``accompagnateur`` manages the organisation that accompanies the owner's dossier (accepted, with
a comment, an opinion, a meeting and a message with a PDF attached in the dossier's thread:
``aap_attachment``) and has a request to answer on ``unsubmitted_dossier``;
``other_accompagnateur`` manages another organisation of the same certification, which
accompanies nobody of the world.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from certifications.rncp import uploads as rncp_uploads
from dossiers.enums import DossierStatus as S
from notifications.models import Notification
from tests.certifications import rncp_samples
from tests.factories import CertifierFactory, UserFactory, dossier_in_state, make_certification

ROLES = [
    "anonymous",
    "owner",
    "other_candidate",
    "certifier",
    "other_certifier",
    "jury_member",
    "other_jury_member",
    "conflicted_jury_member",
    "accompagnateur",
    "other_accompagnateur",
    "admin",
]


@dataclass
class World:
    users: dict[str, Any]
    certification: Any
    other_certification: Any
    dossier: Any
    objects: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    org = CertifierFactory()
    other_org = CertifierFactory()
    users = {role: UserFactory(email=f"{role}@example.org") for role in ROLES if role != "anonymous"}
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    org.staff.add(users["certifier"])
    other_org.staff.add(users["other_certifier"])
    certification = make_certification(published=True, certifier=org)
    other_certification = make_certification(published=True, certifier=other_org)
    dossier = dossier_in_state(
        S.VALIDATION_SUBMITTED,
        candidate=users["owner"],
        certification=certification,
        certifier_user=users["certifier"],
    )
    world = World(users, certification, other_certification, dossier)
    world.objects["competency"] = dossier.targeted_competencies().first()
    world.objects["proof"] = dossier.proofs.first()
    world.objects["block"] = dossier.targeted_blocks().first()
    # The owner's notification of their dossier's last change (notifications.receivers).
    world.objects["notification"] = Notification.objects.filter(recipient=users["owner"]).first()
    # An RNCP flux uploaded by the certifier (it belongs to their organisation), holding one fiche
    # of that organisation, read as the worker reads it.
    fiche = rncp_samples.fiche("RNCP90001", certifiers=[{"name": org.legal_name, "siret": org.siret}])
    flux = SimpleUploadedFile("flux.xml", rncp_samples.flux(fiche).encode())
    world.objects["rncp_upload"] = rncp_uploads.create_upload(flux, users["certifier"])
    rncp_uploads.run(world.objects["rncp_upload"].pk)
    _add_unsubmitted_proof(world, org)
    _add_back_office_objects(world)
    _add_messaging_objects(world)
    from api import tokens

    world.objects["api_token"] = tokens.create_token(org, "SI de l'organisme", ["lecture"]).token
    from api.models import WebhookEndpoint, WebhookMessage

    # Rows written as they are: the URL checks (DNS) are not what this world is for.
    endpoint = WebhookEndpoint.objects.create(
        organisation=org, url="https://si.example.org/webhooks", events=["dossier.depose"], secret="whsec_test"
    )
    world.objects["webhook"] = endpoint
    world.objects["webhook_message"] = WebhookMessage.objects.create(
        endpoint=endpoint, event_id="8a3f0c1e-0000-4000-8000-000000000001", event_type="dossier.depose", body="{}"
    )
    from django.core.files.base import ContentFile

    from francevae.models import Connection, FranceVaeDocument, FranceVaeLink

    # Paused, on a closed loopback port: the test button fails fast, the sync button refuses.
    connection = Connection.objects.create(
        organisation=org, base_url="http://127.0.0.1:9/interop/v1", authority_id="ca", paused=True
    )
    world.objects["francevae_org"] = org
    link = FranceVaeLink.objects.create(connection=connection, candidature_id="c-1", dossier=world.dossier)
    document = FranceVaeDocument(link=link, kind="feasibility", name="df.pdf", content_type="application/pdf", size=4)
    document.file.save("df.pdf", ContentFile(b"%PDF"), save=False)
    document.save()
    world.objects["francevae_document"] = document
    _add_accompaniment(world)
    return world


def _add_accompaniment(world: World) -> None:
    """Two accompaniment organisations of the certification: the accompagnateur's accompanies
    the owner's dossier and is asked to accompany their second one; a colleague to manage."""
    from django.utils import timezone

    from accompaniment import services as accompaniment_services
    from accompaniment.models import Opinion, Organisation, StaffMember

    users = world.users
    organisations = []
    for index, role in enumerate(["accompagnateur", "other_accompagnateur"], start=1):
        org = Organisation.objects.create(
            name=f"Organisme d'accompagnement {index}",
            siret=f"5555555500000{index}",
            postcode="75011",
            city="Paris",
            contact_email=f"aap{index}@example.org",
        )
        org.certifications.add(world.certification, world.objects["unsubmitted_dossier"].certification)
        StaffMember.objects.create(organisation=org, user=users[role], is_manager=True)
        organisations.append(org)
    org = organisations[0]
    colleague = StaffMember.objects.create(
        organisation=org, user=UserFactory(email="collegue-aap@example.org", is_active=False, password=None)
    )
    colleague.user.set_unusable_password()
    colleague.user.save()
    accompaniment = accompaniment_services.choose(world.dossier, org, users["owner"])
    accompaniment = accompaniment_services.accept(accompaniment, users["accompagnateur"])
    comment = accompaniment_services.add_comment(
        accompaniment, users["accompagnateur"], "Précisez votre rôle.", competency=world.objects["competency"]
    )
    accompaniment_services.record_meeting(
        accompaniment,
        users["accompagnateur"],
        starts_at=timezone.now(),
        duration_minutes=60,
        kind="individual",
        mode="remote",
        topic="Relecture",
    )
    # The request has left already: the opinion is written as it stands.
    Opinion.objects.create(
        accompaniment=accompaniment, verdict="favorable", comment="Favorable.", given_at=timezone.now()
    )
    from messaging import services as messaging
    from tests.factories import pdf_upload

    aap_message = messaging.post_message(
        world.dossier, users["accompagnateur"], "Bonjour", files=[pdf_upload("aap.pdf")]
    )
    request = accompaniment_services.choose(world.objects["unsubmitted_dossier"], org, users["owner"])
    world.objects.update(
        aap_attachment=aap_message.attachments.get(),
        aap_organisation=org,
        other_aap_organisation=organisations[1],
        accompaniment=accompaniment,
        aap_request=request,
        aap_comment=comment,
        aap_colleague=colleague,
    )


def _add_unsubmitted_proof(world: World, org) -> None:
    """A recevable dossier of the owner on a second certification of the organisation, and a
    proof uploaded to it: the candidate's alone until they submit their dossier de validation."""
    from dossiers import services as dossier_services
    from tests.factories import pdf_upload

    second = make_certification(published=True, certifier=org)
    dossier = dossier_in_state(
        S.ADMISSIBLE, candidate=world.users["owner"], certification=second, certifier_user=world.users["certifier"]
    )
    proof = dossier_services.add_proof(dossier, pdf_upload("brouillon.pdf"), title="Brouillon", kind="other")
    world.objects.update(unsubmitted_dossier=dossier, unsubmitted_proof=proof)


def _add_back_office_objects(world: World) -> None:
    """A draft version with its parts, a jury session with members and a convocation, and a
    session of the other certification: what the certifier back office works on."""
    from certifications import services as certification_services
    from juries import services as jury_services
    from juries.enums import JuryRole
    from tests.factories import make_session, slot

    users = world.users
    draft = certification_services.new_version(world.certification, users["certifier"])
    block = draft.blocks.get(order=1)
    world.objects.update(
        draft=draft,
        draft_block=block,
        draft_competency=block.competencies.first(),
        draft_method=block.assessment_methods.first(),
        draft_rubric=block.rubric,
        draft_criterion=block.rubric.criteria.first(),
        draft_level=block.rubric.levels.first(),
    )
    session = make_session(world.certification, actor=users["certifier"])
    other_session = make_session(world.other_certification, actor=users["other_certifier"])
    for role, seat, jury_role in [
        ("jury_member", session, JuryRole.PRESIDENT),
        ("conflicted_jury_member", session, JuryRole.PROFESSIONAL),
        ("other_jury_member", other_session, JuryRole.PROFESSIONAL),
    ]:
        jury_services.add_member(seat, users["admin"], email=users[role].email, role=jury_role)
    ready = dossier_in_state(S.READY_FOR_JURY, certification=world.certification, certifier_user=users["certifier"])
    world.objects.update(
        session=session,
        member=session.members.get(user=users["jury_member"]),
        convocation=jury_services.convoke(session, ready, users["certifier"], **slot(session, "10:00", "11:00")),
    )
    _add_jury_objects(world)
    _add_badges(world)
    _add_cdc_objects(world)


def _add_jury_objects(world: World) -> None:
    """The world's dossier convoked to the session, the members' declarations, a validated
    scoring of the first grille by the président, and the procès-verbal's document row."""
    from dossiers import services as dossier_services
    from juries import queries
    from juries import services as jury_services
    from juries.enums import JuryDocumentKind, LinkKind
    from juries.models import JuryDocument
    from tests.factories import slot

    users, session = world.users, world.objects["session"]
    dossier_services.review_validation(world.dossier, users["certifier"], complete=True)
    convocation = jury_services.convoke(session, world.dossier, users["certifier"], **slot(session, "09:00", "10:00"))
    world.dossier.refresh_from_db()
    president = session.members.get(user=users["jury_member"])
    conflicted = session.members.get(user=users["conflicted_jury_member"])
    jury_services.declare_link(president, convocation, LinkKind.NONE)
    jury_services.declare_link(conflicted, convocation, LinkKind.PERSONAL, "Voisin")
    rubric = queries.assessed_items(world.dossier)[0].rubric
    top = rubric.levels.order_by("order").last()
    changes = {f"level-{c.pk}": str(top.pk) for c in rubric.criteria.all()}
    jury_services.save_evaluation(president, convocation, rubric, 0, changes)
    evaluation = jury_services.validate_evaluation(president, convocation, rubric)
    # A session held today on the certification, whose candidate the jury decided on.
    from tests.juries.helpers import decided, jury_session

    past, members, (decided_convocation,) = jury_session(world.certification, actor=users["certifier"])
    world.objects.update(
        decision=decided(past, members, decided_convocation),
        jury_convocation=convocation,
        rubric=rubric,
        evaluation=evaluation,
        conflicted_member=conflicted,
        minutes_document=JuryDocument.objects.create(kind=JuryDocumentKind.MINUTES, session=session),
    )


def _add_badges(world: World) -> None:
    """Two Open Badges of the owner (a bloc, the certification), rows written as they are and
    signed with a key in a temporary folder: the issuing rules are not what this world is for."""
    import tempfile

    from django.test import override_settings

    from credentials import openbadges
    from credentials.models import Badge

    decision = world.objects["decision"]
    org = world.certification.certifiers.get()
    for index, block in enumerate([world.certification.blocks.order_by("order").first(), None]):
        badge = Badge.objects.create(
            organisation=org,
            decision=decision,
            block=block,
            candidate=world.users["owner"],
            name=block.title if block else world.certification.title,
            status_index=index,
        )
        with override_settings(BADGE_KEYS_DIR=tempfile.mkdtemp()):
            badge.token = openbadges.sign({"id": str(badge.uuid)}, org.pk)
        badge.save(update_fields=["token"])
        world.objects["certification_badge" if block is None else "badge"] = badge


def _add_cdc_objects(world: World) -> None:
    """The organisation's CDC identifiers, a passage to declare and a built flux holding it."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from accrochage.models import CdcAccount, Flux, FluxStatus, Passage

    org = world.certification.certifiers.get()
    CdcAccount.objects.create(organisation=org, client_id="03ABC123", contract_id="MCFCER000123")
    decision = world.objects["decision"]
    day = timezone.localdate()
    flux = Flux.objects.create(
        organisation=org, action="CREATION", period_start=day, period_end=day, status=FluxStatus.DONE, total=1, done=1
    )
    flux.file.save("flux.xml", ContentFile(b"<flux/>"), save=True)
    world.objects["cdc_flux"] = flux
    world.objects["cdc_passage"] = Passage.objects.create(
        action="CREATION",
        organisation=org,
        certification=world.certification,
        dossier=decision.dossier,
        decision=decision,
        awarded_on=day,
        flux=flux,
        status="sent",
    )


def _add_messaging_objects(world: World) -> None:
    """The owner's message to the certifier, with a PDF attached, and a staff annotation."""
    from messaging import services as messaging
    from tests.factories import pdf_upload

    message = messaging.post_message(world.dossier, world.users["owner"], "Bonjour", files=[pdf_upload("note.pdf")])
    world.objects["message_attachment"] = message.attachments.get()
    world.objects["annotation"] = messaging.add_annotation(
        world.dossier, world.users["certifier"], "À vérifier", blocks_decision=True
    )
