"""Every URL of the portal × every role × GET and POST, against one declared table.

A URL pattern missing from ``ACCESS`` fails the test: no page is ever added unchecked.
Outcomes: "ok" (served: 2xx, or a redirect that is not to the login page), "login" (redirect to
the login page), "404", "403", "405". Each request runs in a savepoint rolled back afterwards,
so one role's POST never changes what the next role sees.

``CASES`` checks some URLs again on other objects or in another state of the world: a proof
the candidate never submitted, and the jury's pages once its access to the session has ended
(``JURY_ACCESS_DAYS_AFTER_MINUTES`` after the procès-verbal became final).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.security.world import ROLES, World, build_world

pytestmark = pytest.mark.django_db


# --- who gets what --------------------------------------------------------------------------


def everyone(outcome: str = "ok") -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def logged_in(outcome: str = "ok") -> dict[str, str]:
    return {**everyone(outcome), "anonymous": "login"}


def only(allowed: set[str], denied: str = "404", outcome: str = "ok") -> dict[str, str]:
    """Anonymous goes to the login page; ``allowed`` roles get ``outcome``; the rest ``denied``."""
    return {role: "login" if role == "anonymous" else outcome if role in allowed else denied for role in ROLES}


OWNER = only({"owner"})
CERTIFIER_OF_DOSSIER = only({"certifier", "admin"})


@dataclass(frozen=True)
class Rule:
    get: dict[str, str]
    post: dict[str, str] | None = None  # None: same as GET
    kwargs: Callable[[World], dict] = lambda w: {}


def _reset_kwargs(w: World) -> dict:
    from django.contrib.auth.tokens import default_token_generator

    user = w.users["other_candidate"]
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


def _confirmation_kwargs(w: World) -> dict:
    from accounts.tokens import make_confirmation_token

    return {"token": make_confirmation_token(w.users["other_candidate"].pk)}


DOSSIER = lambda w: {"pk": w.dossier.pk}  # noqa: E731
COMPETENCY = lambda w: {"pk": w.dossier.pk, "competency_pk": w.objects["competency"].pk}  # noqa: E731
EXPERIENCE = lambda w: {"pk": w.dossier.pk, "experience_pk": w.dossier.experiences.first().pk}  # noqa: E731
PROOF = lambda w: {"pk": w.dossier.pk, "proof_pk": w.objects["proof"].pk}  # noqa: E731
ATTACHMENT = lambda w: {"pk": w.dossier.pk, "attachment_pk": w.objects["message_attachment"].pk}  # noqa: E731
# The owner's dossier is frozen: writing is a 403 for them, a 404 for anyone else.
FROZEN = only({"owner"}, outcome="403")
# A read-only page: POST is a 405 for anyone logged in (the method is checked first).
READ_ONLY = logged_in("405")
RNCP_PAGES = only({"certifier", "other_certifier", "admin"})
RNCP_FILE_OF_ORGANISATION = only({"certifier", "admin"})  # an upload is its organisation's
RNCP_FICHE = only({"certifier", "admin"})
RNCP_FILE = lambda w: {"pk": w.objects["rncp_upload"].pk}  # noqa: E731
RNCP_FICHE_KWARGS = lambda w: {"pk": w.objects["rncp_upload"].pk, "code": "RNCP90001"}  # noqa: E731

# The certifier back office: certifiers (and admins) only, 403 for everyone else; an object
# outside the certifier's organisation answers 404.
NOT_CERTIFIERS = {
    "owner",
    "other_candidate",
    "jury_member",
    "other_jury_member",
    "conflicted_jury_member",
    "accompagnateur",
    "other_accompagnateur",
}
CERTIFIER_PAGE = only({"certifier", "other_certifier", "admin"}, denied="403")
CERTIFIER_OF_OBJECT = {**only({"certifier", "admin"}), **dict.fromkeys(NOT_CERTIFIERS, "403")}


READERS_OF_DOCUMENT = only({"owner", "certifier", "jury_member", "admin"})


def DOCUMENT(w: World) -> dict:  # noqa: N802 - named like the other kwargs helpers
    from documents.models import GeneratedDocument

    return {"pk": GeneratedDocument.objects.get(dossier=w.dossier, kind="validation").pk}


def everyone_logged_in_405() -> dict[str, str]:
    """POST-only actions: a GET is refused as a method (after the login requirement)."""
    return {**everyone("405"), "anonymous": "login"}


def _object_kwargs(key: str) -> Callable[[World], dict]:
    def kwargs(w: World) -> dict:
        obj = w.dossier if key == "dossier" else w.certification if key == "certification" else w.objects[key]
        return {"pk": obj.pk}

    return kwargs


CDC_ORGANISATION = lambda w: {"pk": w.certification.certifiers.get().pk}  # noqa: E731
BADGE = lambda w: {"uuid": w.objects["badge"].uuid}  # noqa: E731
BADGE_ISSUER = lambda w: {"pk": w.objects["badge"].organisation_id}  # noqa: E731
SESSION_MEMBERS = only({"jury_member", "conflicted_jury_member"})
JURY_READER = only({"jury_member"})
JURY_CANDIDATE = lambda w: {"pk": w.objects["jury_convocation"].pk}  # noqa: E731
JURY_RUBRIC = lambda w: {"pk": w.objects["jury_convocation"].pk, "rubric_pk": w.objects["rubric"].pk}  # noqa: E731
JURY_CRITERION = lambda w: {  # noqa: E731
    "pk": w.objects["jury_convocation"].pk,
    "criterion_pk": w.objects["rubric"].criteria.order_by("order").first().pk,
}


def TRANSVERSAL(w: World) -> dict:  # noqa: N802 - named like the other kwargs helpers
    from certifications.models import AssessmentMethod

    method, _created = AssessmentMethod.objects.get_or_create(
        certification=w.dossier.certification, block=None, kind="portfolio", defaults={"access_routes": "vae"}
    )
    return {"pk": w.dossier.pk, "method_pk": method.pk}


BACK_OFFICE_LISTS = [
    "dashboard",
    "referentials",
    "referential_create",
    "referential_import",
    "queue",
    "queue_export",
    "sessions",
    "session_create",
]
BACK_OFFICE_PAGES = {
    "referential": "certification",
    "referential_identity": "draft",
    "referential_export": "certification",
    "block_add": "draft",
    "method_add": "draft",
    "block_edit": "draft_block",
    "competency_add": "draft_block",
    "group_rename": "draft_block",
    "competency_edit": "draft_competency",
    "method_edit": "draft_method",
    "rubric": "draft_rubric",
    "criterion_add": "draft_rubric",
    "level_add": "draft_rubric",
    "criterion_edit": "draft_criterion",
    "level_edit": "draft_level",
    "dossier": "dossier",
    "dossier_identity": "dossier",
    "session": "session",
    "session_edit": "session",
    "session_cancel": "session",
    "member_add": "session",
    "convoke": "session",
    "convocation_reschedule": "convocation",
    "convocation_cancel": "convocation",
}
BACK_OFFICE_ACTIONS = {
    "new_version": "certification",
    "referential_publish": "draft",
    "referential_delete": "draft",
    "rubric_create": "draft",
    "block_delete": "draft_block",
    "block_move": "draft_block",
    "competency_delete": "draft_competency",
    "competency_move": "draft_competency",
    "competency_transfer": "draft_competency",
    "method_delete": "draft_method",
    "rubric_delete": "draft_rubric",
    "criterion_delete": "draft_criterion",
    "criterion_move": "draft_criterion",
    "level_delete": "draft_level",
    "level_move": "draft_level",
    "dossier_feasibility": "dossier",
    "dossier_validation": "dossier",
    "member_remove": "member",
    "member_resend": "member",
    "convocation_attendance": "convocation",
    # An administrator's override of the jury composition rule (a certifier is refused by the
    # service, with a message).
    "composition_override": "session",
}

# The accompaniment organisations: the accompagnateur's organisation accompanies the owner's
# dossier; the other accompagnateur's accompanies nobody of the world (404 on all of it).
ACCOMPAGNATEURS = only({"accompagnateur", "other_accompagnateur"})
AAP = only({"accompagnateur"})
AAP_MANAGER = only({"accompagnateur", "admin"})
AAP_TEAM = lambda w: {"org_pk": w.objects["aap_organisation"].pk}  # noqa: E731
AAP_MEMBER = lambda w: {"org_pk": w.objects["aap_organisation"].pk, "member_pk": w.objects["aap_colleague"].pk}  # noqa: E731
AAP_REQUEST = lambda w: {"pk": w.objects["aap_request"].pk}  # noqa: E731
AAP_PROOF = lambda w: {"pk": w.dossier.pk, "proof_pk": w.objects["proof"].pk}  # noqa: E731
AAP_COMMENT = lambda w: {"pk": w.dossier.pk, "target": "competence", "target_pk": w.objects["competency"].pk}  # noqa: E731
ACCOMPANIMENT_ACCESS: dict[str, Rule] = {
    "accompaniment:home": Rule(get=ACCOMPAGNATEURS, post=READ_ONLY),
    "accompaniment:invitation": Rule(get=everyone(), kwargs=lambda w: {"uidb64": "MQ", "token": "invalide"}),
    "accompaniment:export": Rule(get=ACCOMPAGNATEURS, post=READ_ONLY),
    "accompaniment:accept": Rule(get=everyone_logged_in_405(), post=AAP, kwargs=AAP_REQUEST),
    # An empty reason: the form again, with its error.
    "accompaniment:decline": Rule(get=AAP, kwargs=AAP_REQUEST),
    # The team: its manager and admins; an empty form is shown again with its errors.
    "accompaniment:team": Rule(get=AAP_MANAGER, kwargs=AAP_TEAM),
    "accompaniment:deactivate": Rule(get=everyone_logged_in_405(), post=AAP_MANAGER, kwargs=AAP_MEMBER),
    "accompaniment:resend": Rule(get=everyone_logged_in_405(), post=AAP_MANAGER, kwargs=AAP_MEMBER),
    # The accompanied dossier: the accompagnateur of its organisation only (never its certifier,
    # nor the jury: they read the submitted versions elsewhere).
    "accompaniment:dossier": Rule(get=AAP, post=READ_ONLY, kwargs=DOSSIER),
    "accompaniment:comment": Rule(get=everyone_logged_in_405(), post=AAP, kwargs=AAP_COMMENT),
    # The request has left: the opinion is read, no longer changed (403).
    "accompaniment:opinion": Rule(get=AAP, post=only({"accompagnateur"}, outcome="403"), kwargs=DOSSIER),
    "accompaniment:meetings": Rule(get=AAP, kwargs=DOSSIER),
    "accompaniment:end": Rule(get=AAP, kwargs=DOSSIER),
    "accompaniment:proof": Rule(get=AAP, post=READ_ONLY, kwargs=AAP_PROOF),
    # The candidate's side: the owner only.
    "accompaniment:candidate": Rule(get=OWNER, post=READ_ONLY, kwargs=DOSSIER),
    "accompaniment:choose": Rule(
        get=everyone_logged_in_405(),
        post=OWNER,
        kwargs=lambda w: {"pk": w.dossier.pk, "org_pk": w.objects["other_aap_organisation"].pk},
    ),
    "accompaniment:leave": Rule(get=everyone_logged_in_405(), post=OWNER, kwargs=DOSSIER),
    "accompaniment:accept_parcours": Rule(get=everyone_logged_in_405(), post=OWNER, kwargs=DOSSIER),
    "accompaniment:comment_done": Rule(
        get=everyone_logged_in_405(), post=OWNER, kwargs=lambda w: {"pk": w.objects["aap_comment"].pk}
    ),
}

ACCESS: dict[str, Rule] = {
    # The dossier's thread: the candidate on their pages, the certifier's staff (and admins) from
    # the back office; a juror, another candidate or certifier never (404), a non-certifier is
    # refused the back-office writes (403).
    "messaging:thread": Rule(get=OWNER, kwargs=DOSSIER),
    "messaging:attachment": Rule(get=OWNER, post=READ_ONLY, kwargs=ATTACHMENT),
    "messaging:staff_attachment": Rule(get=CERTIFIER_OF_OBJECT, post=READ_ONLY, kwargs=ATTACHMENT),
    "messaging:staff_post": Rule(get=logged_in("405"), post=CERTIFIER_OF_OBJECT, kwargs=DOSSIER),
    "messaging:annotation_add": Rule(get=logged_in("405"), post=CERTIFIER_OF_OBJECT, kwargs=DOSSIER),
    "messaging:annotation_resolve": Rule(
        get=logged_in("405"),
        post=CERTIFIER_OF_OBJECT,
        kwargs=lambda w: {"pk": w.dossier.pk, "annotation_pk": w.objects["annotation"].pk},
    ),
    # The accompagnateur's organisation (staff of the one that accompanies the dossier) reads and
    # writes in the thread from its space; nobody else, admins included (404).
    "messaging:accompaniment_thread": Rule(get=AAP, kwargs=DOSSIER),
    "messaging:accompaniment_attachment": Rule(get=AAP, post=READ_ONLY, kwargs=ATTACHMENT),
    **ACCOMPANIMENT_ACCESS,
    # API tokens: certifiers create and list their organisation's; revoking another's is a 404.
    "api_tokens:list": Rule(get=CERTIFIER_PAGE),
    "api_tokens:revoke": Rule(
        get=logged_in("405"),
        post=CERTIFIER_OF_OBJECT,
        kwargs=lambda w: {"pk": w.objects["api_token"].pk},
    ),
    # Webhooks: the same rule; another organisation's endpoint or message is a 404.
    "api_tokens:webhooks": Rule(get=CERTIFIER_PAGE),
    "francevae:list": Rule(get=CERTIFIER_PAGE),
    "francevae:edit": Rule(get=CERTIFIER_OF_OBJECT, kwargs=lambda w: {"org_pk": w.objects["francevae_org"].pk}),
    "francevae:test": Rule(
        get=logged_in("405"), post=CERTIFIER_OF_OBJECT, kwargs=lambda w: {"org_pk": w.objects["francevae_org"].pk}
    ),
    "francevae:sync": Rule(
        get=logged_in("405"), post=CERTIFIER_OF_OBJECT, kwargs=lambda w: {"org_pk": w.objects["francevae_org"].pk}
    ),
    "francevae:pause": Rule(
        get=logged_in("405"), post=CERTIFIER_OF_OBJECT, kwargs=lambda w: {"org_pk": w.objects["francevae_org"].pk}
    ),
    "francevae:document": Rule(get=CERTIFIER_OF_OBJECT, kwargs=lambda w: {"pk": w.objects["francevae_document"].pk}),
    "api_tokens:webhook_toggle": Rule(
        get=logged_in("405"), post=CERTIFIER_OF_OBJECT, kwargs=lambda w: {"pk": w.objects["webhook"].pk}
    ),
    "api_tokens:webhook_delete": Rule(
        get=logged_in("405"), post=CERTIFIER_OF_OBJECT, kwargs=lambda w: {"pk": w.objects["webhook"].pk}
    ),
    "api_tokens:webhook_replay": Rule(
        get=logged_in("405"), post=CERTIFIER_OF_OBJECT, kwargs=lambda w: {"pk": w.objects["webhook_message"].pk}
    ),
    # Public pages.
    "home": Rule(get=everyone()),
    "accessibility": Rule(get=everyone()),
    "sitemap": Rule(get=everyone()),
    "favicon": Rule(get=everyone()),
    "certifications:catalogue": Rule(get=everyone()),
    "certifications:detail": Rule(get=everyone(), kwargs=lambda w: {"slug": w.certification.slug}),
    # Accounts: public forms; logout is POST only.
    "login": Rule(get=everyone()),
    "logout": Rule(get=everyone("405"), post=everyone()),
    "password_reset": Rule(get=everyone()),
    "password_reset_done": Rule(get=everyone(), post=everyone("405")),
    "password_reset_confirm": Rule(get=everyone(), kwargs=_reset_kwargs),
    "password_reset_complete": Rule(get=everyone(), post=everyone("405")),
    "accounts:signup": Rule(get=everyone()),
    "accounts:signup_done": Rule(get=everyone()),
    "accounts:resend_confirmation": Rule(get=everyone()),
    # The world's accounts are confirmed already: the link sends a visitor to the login page.
    "accounts:confirm_email": Rule(get=logged_in(), kwargs=_confirmation_kwargs),
    "accounts:profile": Rule(get=logged_in()),
    "accounts:password_change": Rule(get=logged_in()),
    # Personal data: anyone logged in reads and downloads their own. Deleting an account is
    # refused (403) while a dossier waits for a decision (the owner's is submitted) and for
    # staff accounts; another candidate's empty form is shown again with its errors.
    "accounts:my_data": Rule(get=logged_in(), post=READ_ONLY),
    "accounts:data_export": Rule(get=logged_in(), post=READ_ONLY),
    "accounts:delete_account": Rule(
        get=logged_in(),
        post={**logged_in("403"), "other_candidate": "ok"},
    ),
    "accounts:account_deleted": Rule(get=everyone(), post=everyone("405")),
    # Notifications: each person their own; another's is a 404 (opening one marks it read).
    "notifications:list": Rule(get=logged_in(), post=READ_ONLY),
    "notifications:open": Rule(get=OWNER, post=READ_ONLY, kwargs=lambda w: {"pk": w.objects["notification"].pk}),
    "notifications:mark_all_read": Rule(get=logged_in("405"), post=logged_in()),
    "notifications:preferences": Rule(get=logged_in()),
    # The candidate's dossier. The world's dossier is submitted (validation_submitted): the
    # owner reads every page, and every write is refused (403); read-only pages answer POST 405.
    "dossiers:list": Rule(get=logged_in(), post=logged_in("405")),
    "dossiers:start": Rule(get=logged_in(), kwargs=lambda w: {"slug": w.certification.slug}),
    "dossiers:reconnected": Rule(get=logged_in(), post=logged_in("405")),
    "dossiers:detail": Rule(get=OWNER, post=READ_ONLY, kwargs=DOSSIER),
    "dossiers:live_progress": Rule(get=OWNER, post=READ_ONLY, kwargs=DOSSIER),
    # Withdrawal is not possible once submitted: the owner is sent back to the dossier.
    "dossiers:withdraw": Rule(get=OWNER, kwargs=DOSSIER),
    "dossiers:snapshot": Rule(
        get=OWNER, post=READ_ONLY, kwargs=lambda w: {"pk": w.dossier.pk, "kind": "validation", "number": 1}
    ),
    "dossiers:submitted": Rule(get=OWNER, post=READ_ONLY, kwargs=DOSSIER),
    "dossiers:experiences": Rule(get=OWNER, post=FROZEN, kwargs=DOSSIER),
    "dossiers:experience_edit": Rule(get=FROZEN, kwargs=EXPERIENCE),
    "dossiers:experience_delete": Rule(get=FROZEN, kwargs=EXPERIENCE),
    "dossiers:experience_move": Rule(get=logged_in("405"), post=FROZEN, kwargs=EXPERIENCE),
    "dossiers:positioning": Rule(get=OWNER, post=READ_ONLY, kwargs=DOSSIER),
    "dossiers:sworn_statement": Rule(get=logged_in("405"), post=FROZEN, kwargs=DOSSIER),
    "dossiers:identity_document": Rule(get=logged_in("405"), post=FROZEN, kwargs=DOSSIER),
    "dossiers:identity_download": Rule(get=OWNER, post=READ_ONLY, kwargs=DOSSIER),
    "dossiers:request_feasibility": Rule(get=OWNER, post=FROZEN, kwargs=DOSSIER),
    "dossiers:feasibility": Rule(get=OWNER, post=READ_ONLY, kwargs=DOSSIER),
    "dossiers:feasibility_section": Rule(
        get=OWNER, post=FROZEN, kwargs=lambda w: {"pk": w.dossier.pk, "section": "candidate"}
    ),
    "dossiers:feasibility_document_delete": Rule(get=logged_in("405"), post=FROZEN, kwargs=PROOF),
    # The autosave endpoint answers anonymous itself (401 for the script; a plain post without
    # its fields goes to the login page); an empty post from the owner is refused with a message.
    "dossiers:statement_save": Rule(get=everyone("405"), post=OWNER, kwargs=COMPETENCY),
    "dossiers:block": Rule(
        get=OWNER, post=READ_ONLY, kwargs=lambda w: {"pk": w.dossier.pk, "block_pk": w.objects["block"].pk}
    ),
    "dossiers:competency": Rule(get=OWNER, post=READ_ONLY, kwargs=COMPETENCY),
    "dossiers:submit_validation": Rule(get=OWNER, post=FROZEN, kwargs=DOSSIER),
    # The narrative for a transversal assessment of the VAE route (one added to the world's
    # certification here).
    "dossiers:transversal": Rule(get=OWNER, post=FROZEN, kwargs=TRANSVERSAL),
    "dossiers:proofs": Rule(get=OWNER, post=FROZEN, kwargs=DOSSIER),
    "dossiers:proof_edit": Rule(get=FROZEN, kwargs=PROOF),
    "dossiers:proof_delete": Rule(get=FROZEN, kwargs=PROOF),
    # Jury members of a session the dossier is convoked to read its submitted proofs once they
    # have declared no link with the candidate.
    "dossiers:proof_download": Rule(get=only({"owner", "jury_member"}), post=READ_ONLY, kwargs=PROOF),
    # RNCP import: certifier staff and admins; an uploaded file only for its organisation's staff;
    # a fiche only for its certifier's staff.
    "rncp:upload": Rule(get=RNCP_PAGES),
    "rncp:file": Rule(get=RNCP_FILE_OF_ORGANISATION, post=READ_ONLY, kwargs=RNCP_FILE),
    "rncp:preview": Rule(get=RNCP_FICHE, post=READ_ONLY, kwargs=RNCP_FICHE_KWARGS),
    "rncp:confirm": Rule(get=logged_in("405"), post=RNCP_FICHE, kwargs=RNCP_FICHE_KWARGS),
    # Jury invitations: a public link (an invalid one says so).
    "juries:invitation": Rule(get=everyone(), kwargs=lambda w: {"uidb64": "MQ", "token": "invalide"}),
    # The load balancer's probe: public, read-only (the test gives it a fresh worker heartbeat).
    "healthz": Rule(get=everyone(), post=everyone("405")),
    **{f"backoffice:{name}": Rule(get=CERTIFIER_PAGE) for name in BACK_OFFICE_LISTS},
    **{
        f"backoffice:{name}": Rule(get=CERTIFIER_OF_OBJECT, kwargs=_object_kwargs(key))
        for name, key in BACK_OFFICE_PAGES.items()
    },
    **{
        f"backoffice:{name}": Rule(get=everyone_logged_in_405(), post=CERTIFIER_OF_OBJECT, kwargs=_object_kwargs(key))
        for name, key in BACK_OFFICE_ACTIONS.items()
    },
    # A dossier's history: its certifiers and admins; read-only.
    "backoffice:dossier_history": Rule(get=CERTIFIER_OF_OBJECT, post=READ_ONLY, kwargs=DOSSIER),
    # The jury members' pages: members of the session only; a member who declared a link with
    # the candidate gets a 404 on everything about them; président-only actions are 403 for the
    # other members. (jury_member presides the world's session.)
    "jury:sessions": Rule(get=logged_in(), post=READ_ONLY),
    "jury:session": Rule(get=SESSION_MEMBERS, post=READ_ONLY, kwargs=lambda w: {"pk": w.objects["session"].pk}),
    "jury:minutes": Rule(get=SESSION_MEMBERS, post=READ_ONLY, kwargs=lambda w: {"pk": w.objects["session"].pk}),
    "jury:sign": Rule(
        get=everyone_logged_in_405(), post=SESSION_MEMBERS, kwargs=lambda w: {"pk": w.objects["session"].pk}
    ),
    "jury:member_presence": Rule(
        get=everyone_logged_in_405(),
        post={**JURY_READER, "conflicted_jury_member": "403"},
        kwargs=lambda w: {"pk": w.objects["conflicted_member"].pk},
    ),
    "jury:candidate": Rule(get=JURY_READER, post=READ_ONLY, kwargs=JURY_CANDIDATE),
    "jury:declare": Rule(get=JURY_READER, kwargs=JURY_CANDIDATE),
    "jury:dossier_block": Rule(
        get=JURY_READER,
        post=READ_ONLY,
        kwargs=lambda w: {"pk": w.objects["jury_convocation"].pk, "block_pk": w.objects["block"].pk},
    ),
    "jury:attendance": Rule(get=everyone_logged_in_405(), post=JURY_READER, kwargs=JURY_CANDIDATE),
    "jury:score": Rule(get=JURY_READER, kwargs=JURY_RUBRIC),
    "jury:validate": Rule(get=everyone_logged_in_405(), post=JURY_READER, kwargs=JURY_RUBRIC),
    "jury:grid": Rule(get=JURY_READER, post=READ_ONLY, kwargs=JURY_CANDIDATE),
    "jury:grid_fragment": Rule(get=JURY_READER, post=READ_ONLY, kwargs=JURY_RUBRIC),
    # The président has validated one grille out of two: the others' scorings stay hidden.
    "jury:grid_export": Rule(get=only({"jury_member"}, outcome="403"), post=READ_ONLY, kwargs=JURY_CANDIDATE),
    "jury:deliberate": Rule(get=JURY_READER, kwargs=JURY_CANDIDATE),
    "jury:reopen": Rule(
        get=everyone_logged_in_405(), post=JURY_READER, kwargs=lambda w: {"pk": w.objects["evaluation"].pk}
    ),
    # The président settles a divergence (a post without a level is refused with a message).
    "jury:settle": Rule(get=everyone_logged_in_405(), post=JURY_READER, kwargs=JURY_CRITERION),
    "jury:document": Rule(
        get=only({"jury_member", "conflicted_jury_member", "certifier", "admin"}),
        post=READ_ONLY,
        kwargs=lambda w: {"pk": w.objects["minutes_document"].pk},
    ),
    # The candidate's own convocation, from their dossier page: the PDF and the calendar file are
    # theirs alone (the certifier reads the PDF through jury:document).
    "juries:convocation_pdf": Rule(get=OWNER, post=READ_ONLY, kwargs=JURY_CANDIDATE),
    "juries:convocation_ics": Rule(get=OWNER, post=READ_ONLY, kwargs=JURY_CANDIDATE),
    "backoffice:decision_revoke": Rule(get=CERTIFIER_OF_OBJECT, kwargs=lambda w: {"pk": w.objects["decision"].pk}),
    # Generated PDFs: the owner, the certifiers of the certification, the jury member who
    # declared no link, and admins read the submitted dossier's PDF; a preview is the owner's.
    "documents:status": Rule(get=READERS_OF_DOCUMENT, post=READ_ONLY, kwargs=DOCUMENT),
    "documents:download": Rule(get=READERS_OF_DOCUMENT, post=READ_ONLY, kwargs=DOCUMENT),
    "documents:retry": Rule(get=everyone_logged_in_405(), post=READERS_OF_DOCUMENT, kwargs=DOCUMENT),
    "documents:preview": Rule(get=everyone_logged_in_405(), post=OWNER, kwargs=lambda w: {"dossier_pk": w.dossier.pk}),
    "backoffice:dossier_proof": Rule(
        get=CERTIFIER_OF_OBJECT, kwargs=lambda w: {"pk": w.dossier.pk, "proof_pk": w.objects["proof"].pk}
    ),
    # Open Badges: anyone checks a badge (a recruiter has no account); its files are its holder's.
    "credentials:verify": Rule(get=everyone(), post=everyone("405"), kwargs=BADGE),
    "credentials:download_jwt": Rule(get=OWNER, post=READ_ONLY, kwargs=BADGE),
    "credentials:download_json": Rule(get=OWNER, post=READ_ONLY, kwargs=BADGE),
    "credentials:did_document": Rule(get=everyone(), post=everyone("405"), kwargs=BADGE_ISSUER),
    "credentials:status_list": Rule(get=everyone(), post=everyone("405"), kwargs=BADGE_ISSUER),
    "credentials:block_achievement": Rule(
        get=everyone(), post=everyone("405"), kwargs=lambda w: {"pk": w.objects["badge"].block_id}
    ),
    "credentials:certification_achievement": Rule(
        get=everyone(), post=everyone("405"), kwargs=lambda w: {"pk": w.certification.pk}
    ),
    # Declaration to the Caisse des Dépôts: the candidate's identity is theirs alone; the rest is
    # the organisation's certifiers' (another organisation's flux or passage: 404).
    "accrochage:identity": Rule(get=OWNER, kwargs=DOSSIER),
    "accrochage:holders": Rule(get=CERTIFIER_PAGE, post=READ_ONLY),
    "accrochage:account": Rule(get=everyone_logged_in_405(), post=CERTIFIER_OF_OBJECT, kwargs=CDC_ORGANISATION),
    "accrochage:sync": Rule(get=everyone_logged_in_405(), post=CERTIFIER_OF_OBJECT, kwargs=CDC_ORGANISATION),
    "accrochage:flux_create": Rule(get=everyone_logged_in_405(), post=CERTIFIER_OF_OBJECT, kwargs=CDC_ORGANISATION),
    "accrochage:flux": Rule(get=CERTIFIER_OF_OBJECT, post=READ_ONLY, kwargs=_object_kwargs("cdc_flux")),
    "accrochage:flux_download": Rule(get=CERTIFIER_OF_OBJECT, post=READ_ONLY, kwargs=_object_kwargs("cdc_flux")),
    "accrochage:flux_report": Rule(
        get=everyone_logged_in_405(), post=CERTIFIER_OF_OBJECT, kwargs=_object_kwargs("cdc_flux")
    ),
    "accrochage:passage_put_back": Rule(
        get=everyone_logged_in_405(), post=CERTIFIER_OF_OBJECT, kwargs=_object_kwargs("cdc_passage")
    ),
    "credentials:context": Rule(
        get=everyone(), post=everyone("405"), kwargs=lambda w: {"name": "credentials-v2.jsonld"}
    ),
}


# --- the same URLs, on other objects or in another state of the world ----------------------


@dataclass(frozen=True)
class Case:
    name: str  # the URL name, in ACCESS
    rule: Rule
    # Changes the world before the requests (rolled back after the case).
    setup: Callable[[World], None] = lambda w: None
    # Roles that must not find the world's candidates in any answer, served pages included.
    blind: frozenset[str] = frozenset()


UNSUBMITTED_PROOF = lambda w: {  # noqa: E731
    "pk": w.objects["unsubmitted_dossier"].pk,
    "proof_pk": w.objects["unsubmitted_proof"].pk,
}


def _jury_access_ended(w: World) -> None:
    """The world's session closed, its procès-verbal final for one day longer than the jury's
    access lasts."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    from juries.enums import MinutesStatus, SessionStatus
    from juries.models import JurySession, Minutes

    session = w.objects["session"]
    finalised_at = timezone.now() - dt.timedelta(days=settings.JURY_ACCESS_DAYS_AFTER_MINUTES + 1)
    Minutes.objects.create(session=session, status=MinutesStatus.FINAL, finalised_at=finalised_at)
    JurySession.objects.filter(pk=session.pk).update(status=SessionStatus.CLOSED)


JURY_ROLES = frozenset({"jury_member", "conflicted_jury_member", "other_jury_member"})
NOBODY = only(set())
SESSION = lambda w: {"pk": w.objects["session"].pk}  # noqa: E731
# Once the jury's access has ended, its members still open the session's page (without its
# candidates) and nothing else of it; the certifier, the candidate and the admin keep theirs.
AFTER_JURY_ACCESS: dict[str, Rule] = {
    "jury:session": Rule(get=SESSION_MEMBERS, post=READ_ONLY, kwargs=SESSION),
    "jury:minutes": Rule(get=NOBODY, post=READ_ONLY, kwargs=SESSION),
    "jury:sign": Rule(get=everyone_logged_in_405(), post=NOBODY, kwargs=SESSION),
    "jury:candidate": Rule(get=NOBODY, post=READ_ONLY, kwargs=JURY_CANDIDATE),
    "jury:declare": Rule(get=NOBODY, kwargs=JURY_CANDIDATE),
    "jury:dossier_block": Rule(
        get=NOBODY,
        post=READ_ONLY,
        kwargs=lambda w: {"pk": w.objects["jury_convocation"].pk, "block_pk": w.objects["block"].pk},
    ),
    "jury:attendance": Rule(get=everyone_logged_in_405(), post=NOBODY, kwargs=JURY_CANDIDATE),
    "jury:score": Rule(get=NOBODY, kwargs=JURY_RUBRIC),
    "jury:validate": Rule(get=everyone_logged_in_405(), post=NOBODY, kwargs=JURY_RUBRIC),
    "jury:grid": Rule(get=NOBODY, post=READ_ONLY, kwargs=JURY_CANDIDATE),
    "jury:grid_fragment": Rule(get=NOBODY, post=READ_ONLY, kwargs=JURY_RUBRIC),
    "jury:grid_export": Rule(get=NOBODY, post=READ_ONLY, kwargs=JURY_CANDIDATE),
    "jury:deliberate": Rule(get=NOBODY, kwargs=JURY_CANDIDATE),
    "jury:reopen": Rule(get=everyone_logged_in_405(), post=NOBODY, kwargs=lambda w: {"pk": w.objects["evaluation"].pk}),
    "jury:settle": Rule(get=everyone_logged_in_405(), post=NOBODY, kwargs=JURY_CRITERION),
    "jury:document": Rule(
        get=only({"certifier", "admin"}), post=READ_ONLY, kwargs=lambda w: {"pk": w.objects["minutes_document"].pk}
    ),
    "dossiers:proof_download": Rule(get=OWNER, post=READ_ONLY, kwargs=PROOF),
    "documents:status": Rule(get=only({"owner", "certifier", "admin"}), post=READ_ONLY, kwargs=DOCUMENT),
    "documents:download": Rule(get=only({"owner", "certifier", "admin"}), post=READ_ONLY, kwargs=DOCUMENT),
}


def _accompaniment_ended(days_ago: int) -> Callable[[World], None]:
    """The owner's accompaniment ended by its organisation ``days_ago`` days ago."""

    def setup(w: World) -> None:
        import datetime as dt

        from django.utils import timezone

        from accompaniment.models import Accompaniment

        Accompaniment.objects.filter(pk=w.objects["accompaniment"].pk).update(
            state="ended", finished_at=timezone.now() - dt.timedelta(days=days_ago)
        )

    return setup


def _read_period_over(w: World) -> None:
    from django.conf import settings

    _accompaniment_ended(settings.ACCOMPANIMENT_READ_DAYS_AFTER_END + 1)(w)


AAP_ROLES = frozenset({"accompagnateur", "other_accompagnateur"})
# Once the accompaniment has ended, its organisation reads the dossier without writing; once the
# read-only period is over, nothing of it.
AFTER_ACCOMPANIMENT: dict[str, Rule] = {
    "accompaniment:dossier": Rule(get=AAP, post=READ_ONLY, kwargs=DOSSIER),
    "accompaniment:proof": Rule(get=AAP, post=READ_ONLY, kwargs=AAP_PROOF),
    "accompaniment:comment": Rule(
        get=everyone_logged_in_405(), post=only({"accompagnateur"}, outcome="403"), kwargs=AAP_COMMENT
    ),
    "accompaniment:meetings": Rule(get=AAP, post=only({"accompagnateur"}, outcome="403"), kwargs=DOSSIER),
    "accompaniment:end": Rule(get=only({"accompagnateur"}, outcome="403"), kwargs=DOSSIER),
    "messaging:accompaniment_thread": Rule(get=AAP, post=only({"accompagnateur"}, outcome="403"), kwargs=DOSSIER),
    "messaging:accompaniment_attachment": Rule(get=AAP, post=READ_ONLY, kwargs=ATTACHMENT),
}
AFTER_READ_PERIOD: dict[str, Rule] = {
    "accompaniment:dossier": Rule(get=NOBODY, post=READ_ONLY, kwargs=DOSSIER),
    "accompaniment:proof": Rule(get=NOBODY, post=READ_ONLY, kwargs=AAP_PROOF),
    "accompaniment:comment": Rule(get=everyone_logged_in_405(), post=NOBODY, kwargs=AAP_COMMENT),
    "accompaniment:meetings": Rule(get=NOBODY, kwargs=DOSSIER),
    "accompaniment:opinion": Rule(get=NOBODY, kwargs=DOSSIER),
    "accompaniment:export": Rule(get=ACCOMPAGNATEURS, post=READ_ONLY),
    "messaging:accompaniment_thread": Rule(get=NOBODY, kwargs=DOSSIER),
    "messaging:accompaniment_attachment": Rule(get=NOBODY, post=READ_ONLY, kwargs=ATTACHMENT),
}
AAP_ATTACHMENT = lambda w: {"pk": w.dossier.pk, "attachment_pk": w.objects["aap_attachment"].pk}  # noqa: E731

CASES: dict[str, Case] = {
    **{
        f"{name}, accompaniment ended": Case(name, rule, setup=_accompaniment_ended(1))
        for name, rule in AFTER_ACCOMPANIMENT.items()
    },
    **{
        f"{name}, read-only period over": Case(name, rule, setup=_read_period_over, blind=AAP_ROLES)
        for name, rule in AFTER_READ_PERIOD.items()
    },
    # The accompagnateur's attachment: the candidate, the certifier's staff and its organisation.
    "messaging:attachment, the accompagnateur's": Case(
        "messaging:attachment", Rule(get=OWNER, post=READ_ONLY, kwargs=AAP_ATTACHMENT)
    ),
    "messaging:staff_attachment, the accompagnateur's": Case(
        "messaging:staff_attachment", Rule(get=CERTIFIER_OF_OBJECT, post=READ_ONLY, kwargs=AAP_ATTACHMENT)
    ),
    "messaging:accompaniment_attachment, the accompagnateur's": Case(
        "messaging:accompaniment_attachment", Rule(get=AAP, post=READ_ONLY, kwargs=AAP_ATTACHMENT)
    ),
    # A request not accepted yet opens nothing of the dossier.
    "accompaniment:dossier, request not accepted": Case(
        "accompaniment:dossier",
        Rule(get=NOBODY, post=READ_ONLY, kwargs=lambda w: {"pk": w.objects["unsubmitted_dossier"].pk}),
    ),
    "accompaniment:proof, request not accepted": Case(
        "accompaniment:proof", Rule(get=NOBODY, post=READ_ONLY, kwargs=UNSUBMITTED_PROOF)
    ),
    # A proof the candidate has not submitted is theirs alone: neither the certifier (back
    # office) nor anyone else reads it.
    "backoffice:dossier_proof, proof not submitted": Case(
        "backoffice:dossier_proof",
        Rule(get={**only(set()), **dict.fromkeys(NOT_CERTIFIERS, "403")}, kwargs=UNSUBMITTED_PROOF),
    ),
    "dossiers:proof_download, proof not submitted": Case(
        "dossiers:proof_download", Rule(get=OWNER, post=READ_ONLY, kwargs=UNSUBMITTED_PROOF)
    ),
    **{
        f"{name}, jury access ended": Case(name, rule, setup=_jury_access_ended, blind=JURY_ROLES)
        for name, rule in AFTER_JURY_ACCESS.items()
    },
}


# --- walking the URLconf --------------------------------------------------------------------


def portal_url_names() -> list[str]:
    """Every named URL pattern of the portal (the Django admin has its own checks below, the API
    its own matrix)."""
    names: list[str] = []

    def walk(patterns, namespace: str | None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name in ("admin", "api"):  # the API has its own matrix: tests/api/test_access.py
                    continue
                ns = p.namespace or namespace
                walk(p.url_patterns, f"{namespace}:{p.namespace}" if namespace and p.namespace else ns)
            elif isinstance(p, URLPattern):
                assert p.name, f"URL pattern {p.pattern} has no name: it cannot be checked"
                names.append(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_of_the_portal_is_in_the_access_table():
    missing = sorted(set(portal_url_names()) - set(ACCESS))
    assert missing == [], f"add these URLs to ACCESS: {missing}"
    stale = sorted(set(ACCESS) - set(portal_url_names()))
    assert stale == [], f"these ACCESS entries name no URL: {stale}"


def _outcome(response) -> str:
    if response.status_code in (403, 404, 405):
        return str(response.status_code)
    if response.status_code in (301, 302, 303) and response.url.startswith(reverse("login")):
        return "login"
    if response.status_code < 400:
        return "ok"
    return str(response.status_code)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, inside a transaction rolled back at the end."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        world = build_world()
        world.objects["media_root"] = media
        yield world
        transaction.set_rollback(True)


def _wrong_outcomes(name: str, rule: Rule, world: World, client, blind: frozenset[str] = frozenset()) -> list[str]:
    url = reverse(name, kwargs=rule.kwargs(world) or None)
    candidates = [world.dossier.candidate, world.objects["convocation"].dossier.candidate]
    secrets = [c.email for c in candidates] + [c.get_full_name() for c in candidates]
    wrong = []
    for method, expected in (("get", rule.get), ("post", rule.post or rule.get)):
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(world.users[role])
            sid = transaction.savepoint()
            try:
                response = getattr(client, method)(url)
            finally:
                transaction.savepoint_rollback(sid)
            got = _outcome(response)
            if got != expected[role]:
                wrong.append(f"{method.upper()} {url} as {role}: expected {expected[role]}, got {got}")
            refused = got in ("403", "404") and response.status_code in (403, 404) and role != "anonymous"
            if refused or role in blind:
                body = response.content.decode(errors="replace") if not response.streaming else ""
                if role in blind:
                    leaked = [s for s in secrets if s in body]
                    assert leaked == [], f"{method.upper()} {url} as {role} shows {leaked}"
                else:
                    assert world.dossier.candidate.email not in body or role in ("owner", "certifier", "admin")
    return wrong


@pytest.fixture
def served(world, settings, tmp_path):
    settings.MEDIA_ROOT = world.objects["media_root"]
    (tmp_path / "heartbeat").touch()
    settings.WORKER_HEARTBEAT_FILE = str(tmp_path / "heartbeat")
    return world


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_each_role_gets_the_declared_outcome(name, served, client):
    assert _wrong_outcomes(name, ACCESS[name], served, client) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_role_gets_the_declared_outcome_on_other_objects_and_states(case, served, client):
    spec = CASES[case]
    sid = transaction.savepoint()
    try:
        spec.setup(served)
        wrong = _wrong_outcomes(spec.name, spec.rule, served, client, spec.blind)
    finally:
        transaction.savepoint_rollback(sid)
    assert wrong == []


def test_every_case_names_a_url_of_the_access_table():
    assert sorted({c.name for c in CASES.values()} - set(ACCESS)) == []


def test_a_refused_access_is_logged(world, client, caplog):
    client.force_login(world.users["other_candidate"])
    with caplog.at_level(logging.WARNING, logger="vae_portal.access"):
        response = client.get(reverse("dossiers:detail", args=[world.dossier.pk]))
    assert response.status_code == 404
    (record,) = [r for r in caplog.records if r.name == "vae_portal.access"]
    assert str(world.users["other_candidate"].pk) in record.getMessage()
    assert f"/dossiers/{world.dossier.pk}/" in record.getMessage()


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_the_django_admin_is_for_admins_only(role, world, client):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
