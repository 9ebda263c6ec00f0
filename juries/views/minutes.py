"""The procès-verbal of a session: read it as it stands, sign it off while logged in; the last
present member's signature makes it final. Jury documents are downloaded from here."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.actions import button_action
from core.files import serve_file
from dossiers.snapshots import canonical_sha256
from juries import permissions
from juries.enums import JuryDocumentKind, SessionStatus
from juries.models import JuryDocument, Minutes
from juries.queries import current_signatures, minutes_content
from juries.services.minutes import minutes_problems, sign_minutes


@require_safe
def minutes(request, pk: int):
    member = permissions.reading_seat_or_404(request.user, pk)
    session = member.session
    record = Minutes.objects.filter(session=session).first()
    if record is not None and record.is_final:
        content, sha256 = record.content, record.content_sha256
        problems = []
    else:
        content = minutes_content(session)
        sha256 = canonical_sha256(content)
        problems = minutes_problems(session)
    signatures = {s.member_id: s for s in current_signatures(record, sha256)}
    members = list(session.members.select_related("user").order_by("role", "pk"))
    for m in members:
        m.signature = signatures.get(m.pk)
    context = {
        "member": member,
        "session": session,
        "minutes": record,
        "content": content,
        "sha256": sha256,
        "problems": problems,
        "members": members,
        "signed": member.pk in signatures,
        "can_sign": not problems
        and member.present
        and member.pk not in signatures
        and session.status == SessionStatus.PLANNED,
        "document": JuryDocument.objects.filter(session=session, kind=JuryDocumentKind.MINUTES).first(),
    }
    return render(request, "juries/minutes.html", context)


@require_POST
def sign(request, pk: int):
    member = permissions.reading_seat_or_404(request.user, pk)
    return button_action(
        request,
        lambda: sign_minutes(member.session, member),
        _("Vous avez signé le procès-verbal."),
        reverse("jury:minutes", args=[pk]),
    )


@require_safe
def document(request, pk: int):
    """A jury PDF, for whom ``permissions.document_or_404`` allows; "en cours de génération"
    until it is ready."""
    doc = permissions.document_or_404(request.user, pk)
    if not doc.is_ready:
        return render(request, "juries/document_status.html", {"document": doc})
    return serve_file(doc.file, doc.download_name, "application/pdf")
