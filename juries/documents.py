"""The jury's PDFs, as kinds of the documents registry (``documents.registry``), imported by
``JuriesConfig.ready``: the procès-verbal (owned by the session), the decision letter and the
attestation of acquired blocs (owned by the convocation, whose decision in force they state),
and the convocation (owned by the convocation: rendered when it is issued, again when it moves,
and marked cancelled when it is cancelled: ``render_convocation``, on the ``juries.signals``).

They go through the one pipeline of ``documents.services`` (one task, retries, time limits, the
sweeper, PDF/A-3b, the restricted URL fetcher). The procès-verbal reads the content frozen when
it became final; letters and attestations read the convocation's decision in force.

Readers:
- the procès-verbal: an admin, the certifiers of the certification, and the session's members
  while they read the session (``permissions.members_access_open``);
- a decision letter or attestation: an admin, the certifiers of the certification, and the
  candidate once the procès-verbal is final;
- the convocation: an admin, the certifiers of the certification, and the candidate;
- and the jury reads the dossier de validation of a candidate it examines, on the terms of the
  candidate's files (``permissions.jury_reads_dossier``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.models import Certification
from documents import letters
from documents import services as documents
from documents.enums import DocumentKind
from documents.registry import Kind, add_reader, register
from juries import permissions
from juries.enums import JuryDocumentKind
from juries.models import Convocation, Decision

TEMPLATES = {
    JuryDocumentKind.MINUTES: "pdf/jury/minutes.html",
    JuryDocumentKind.DECISION_LETTER: "pdf/jury/decision_letter.html",
    JuryDocumentKind.ATTESTATION: "pdf/jury/attestation.html",
    JuryDocumentKind.CONVOCATION: "pdf/jury/convocation.html",
}
PREFIXES = {
    JuryDocumentKind.DECISION_LETTER: "lettre-de-decision",
    JuryDocumentKind.ATTESTATION: "attestation-blocs-acquis",
    JuryDocumentKind.CONVOCATION: "convocation-jury",
}


def session_of(document):
    return document.session if document.session_id else document.convocation.session


def file_name(document) -> str:
    day = timezone.localdate(session_of(document).starts_at).isoformat()
    if document.kind == JuryDocumentKind.MINUTES:
        return f"proces-verbal-jury-{day}.pdf"
    return f"{PREFIXES[document.kind]}-{document.convocation.dossier_id}-{day}.pdf"


def _admin_or_certifier(user, session) -> bool:
    return user.is_superuser or Certification.objects.managed_by(user).filter(pk=session.certification_id).exists()


def may_read_minutes(user, document) -> bool:
    session = document.session
    if _admin_or_certifier(user, session):
        return True
    return permissions.seats_of(user).filter(session_id=session.pk).exists() and permissions.members_access_open(
        session
    )


def may_read_result(user, document) -> bool:
    session = document.convocation.session
    if _admin_or_certifier(user, session):
        return True
    minutes = getattr(session, "minutes", None)
    return document.convocation.dossier.candidate_id == user.pk and minutes is not None and minutes.is_final


def may_read_convocation(user, document) -> bool:
    convocation = document.convocation
    return _admin_or_certifier(user, convocation.session) or convocation.dossier.candidate_id == user.pk


def convocation_context(document) -> dict:
    convocation = Convocation.objects.select_related(
        "session__certification", "dossier__candidate", "dossier__certification", "dossier__civil_identity"
    ).get(pk=document.convocation_id)
    session, dossier = convocation.session, convocation.dossier
    return {
        "document": document,
        "convocation": convocation,
        "session": session,
        "candidate": dossier.candidate,
        "certification": dossier.certification,
        "certifiers": list(dossier.certification.certifiers.order_by("legal_name")),
        "blocks": list(dossier.targeted_blocks().order_by("order")),
        "targets_all_blocks": dossier.targets_all_blocks,
        "starts_at": timezone.localtime(convocation.starts_at),
        "ends_at": timezone.localtime(convocation.ends_at),
        "created": timezone.localtime(),
        "site_url": settings.SITE_URL,
        "dossier_url": settings.SITE_URL + dossier.get_absolute_url(),
        "salutation": letters.salutation(dossier),
        "title": _("Convocation au jury de VAE"),
    }


def render_convocation(sender, convocation_id: int, **kwargs) -> None:
    """A convocation was issued, moved or cancelled (``juries.signals``, after the commit): its
    PDF is rendered again from what it now says (the one documents pipeline)."""
    convocation = Convocation.objects.get(pk=convocation_id)
    documents.replace_document(JuryDocumentKind.CONVOCATION, convocation=convocation)


def minutes_context(document) -> dict:
    minutes = document.session.minutes
    return {
        "document": document,
        "minutes": minutes,
        "content": minutes.content or {},
        "created": timezone.localtime(),
        "title": _("Procès-verbal du jury"),
        "signatures": list(
            minutes.signatures.filter(content_sha256=minutes.content_sha256).select_related("member__user")
        ),
    }


def result_context(document) -> dict:
    minutes = document.convocation.session.minutes
    decision = (
        Decision.objects.in_force()
        .select_related("dossier__candidate", "dossier__certification", "decided_by")
        .prefetch_related("items__block", "items__assessment_method", "items__competencies_to_prove")
        .get(convocation_id=document.convocation_id)
    )
    items = list(decision.items.all())
    return {
        "document": document,
        "minutes": minutes,
        "content": minutes.content or {},
        "created": timezone.localtime(),
        "decision": decision,
        "candidate": decision.dossier.candidate,
        "certification": decision.dossier.certification,
        "items": items,
        "validated_blocks": [i for i in items if i.validated and i.block_id],
        "president": next((m for m in minutes.content["members"] if m["role"] == "president"), None),
        "salutation": letters.salutation(decision.dossier),
        "title": _("Lettre de décision")
        if document.kind == JuryDocumentKind.DECISION_LETTER
        else _("Attestation de blocs de compétences acquis"),
    }


register(
    Kind(
        code=JuryDocumentKind.MINUTES,
        label=JuryDocumentKind.MINUTES.label,
        owner="session",
        template=TEMPLATES[JuryDocumentKind.MINUTES],
        context=minutes_context,
        may_read=may_read_minutes,
        file_name=file_name,
    )
)
for code in (JuryDocumentKind.DECISION_LETTER, JuryDocumentKind.ATTESTATION):
    register(
        Kind(
            code=code,
            label=JuryDocumentKind(code).label,
            owner="convocation",
            template=TEMPLATES[code],
            context=result_context,
            may_read=may_read_result,
            file_name=file_name,
        )
    )
register(
    Kind(
        code=JuryDocumentKind.CONVOCATION,
        label=JuryDocumentKind.CONVOCATION.label,
        owner="convocation",
        template=TEMPLATES[JuryDocumentKind.CONVOCATION],
        context=convocation_context,
        may_read=may_read_convocation,
        file_name=file_name,
    )
)


def jury_reads_validation(user, document) -> bool:
    return permissions.jury_reads_dossier(user, document.dossier)


add_reader(DocumentKind.VALIDATION, jury_reads_validation)
