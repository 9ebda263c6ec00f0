from django import template

from documents.models import GeneratedDocument
from documents.permissions import can_read_document

register = template.Library()


@register.inclusion_tag("documents/_status.html", takes_context=True)
def document_status(context, dossier, kind: str = "validation"):
    """The state of the latest ``kind`` document of ``dossier`` the user may read:
    ``{% load documents %}{% document_status dossier "validation" %}`` (or "feasibility",
    or "preview" for the candidate's "Aperçu PDF" button)."""
    document = GeneratedDocument.objects.latest_for(dossier, kind)
    user = context["request"].user
    if document is not None and not can_read_document(user, document):
        document = None
    return {
        "document": document,
        "dossier": dossier,
        "kind": kind,
        "can_preview": dossier.candidate_id == user.pk,
        "csrf_token": context.get("csrf_token"),
    }
