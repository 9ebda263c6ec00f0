from django import template

from core import file_access
from documents.models import GeneratedDocument
from documents.services import can_retry

register = template.Library()


@register.inclusion_tag("documents/_status.html", takes_context=True)
def document_status(context, dossier, kind: str = "validation"):
    """The state of the latest ``kind`` document of ``dossier`` the user may read:
    ``{% load documents %}{% document_status dossier "validation" %}`` (or "feasibility",
    or "preview" for the candidate's "Aperçu PDF" button)."""
    user = context["request"].user
    document = GeneratedDocument.objects.latest_for(dossier, kind)
    if document is not None:
        document.dossier = dossier  # already loaded: no query for the permission check
        if not file_access.may_read(user, "document", document, as_=file_access.AUDIENCES):
            document = None
        else:
            document.can_retry = can_retry(user, document)
    return {
        "document": document,
        "dossier": dossier,
        "kind": kind,
        "can_preview": dossier.candidate_id == user.pk,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def latest_documents(context, dossier) -> dict[str, GeneratedDocument]:
    """The latest document of each kind of ``dossier`` that the user may read, in one query:
    ``{% latest_documents dossier as documents %}`` then ``documents.validation``."""
    user = context["request"].user
    latest: dict[str, GeneratedDocument] = {}
    for document in GeneratedDocument.objects.filter(dossier=dossier).order_by("-created_at", "-pk"):
        document.dossier = dossier
        latest.setdefault(document.kind, document)
    readable = {
        kind: document
        for kind, document in latest.items()
        if file_access.may_read(user, "document", document, as_=file_access.AUDIENCES)
    }
    for document in readable.values():
        document.can_retry = can_retry(user, document)
    return readable
