"""Who may use the RNCP import pages, and for which fiches."""

from __future__ import annotations

from certifications.models import Certifier


def can_use_rncp_import(user) -> bool:
    """Staff of at least one certifier organisation, or a superuser."""
    return user.is_authenticated and (user.is_superuser or user.certifiers.exists())


def allowed_sirets(user) -> set[str] | None:
    """The SIRETs whose fiches ``user`` may import: those of their organisations; ``None`` (no
    restriction) for a superuser."""
    if user.is_superuser:
        return None
    return set(Certifier.objects.filter(staff=user).exclude(siret="").values_list("siret", flat=True))


def may_import_fiche(sirets: set[str] | None, fiche_sirets) -> bool:
    """A fiche may be imported by whoever shares one of its certifiers' SIRETs (anyone: ``None``)."""
    return sirets is None or bool(sirets & set(fiche_sirets))
