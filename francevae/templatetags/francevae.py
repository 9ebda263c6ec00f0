"""Template tags the certifier pages use to show France VAE's part, without the back office
importing this app: ``{% francevae_linked dossiers as ids %}`` (one query for a page of the
queue), ``{% francevae_link_of dossier as link %}`` (one query) and ``{% francevae_panel link %}``
(documents and sync log on the review page)."""

from __future__ import annotations

from django import template

from francevae.enums import MessageStatus
from francevae.models import FranceVaeLink

register = template.Library()


@register.simple_tag
def francevae_linked(dossiers) -> set[int]:
    ids = [d.pk for d in dossiers]
    return set(FranceVaeLink.objects.filter(dossier_id__in=ids).values_list("dossier_id", flat=True))


@register.simple_tag
def francevae_link_of(dossier) -> FranceVaeLink | None:
    return FranceVaeLink.objects.filter(dossier=dossier).first()


@register.inclusion_tag("francevae/_panel.html")
def francevae_panel(link) -> dict:
    if link is None:
        return {"link": None}
    return {
        "link": link,
        "documents": list(link.documents.all()),
        "entries": list(link.entries.all()[:50]),
        "pending": link.messages.filter(status=MessageStatus.PENDING).count(),
    }
