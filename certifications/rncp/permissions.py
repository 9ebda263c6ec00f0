"""Who may use the RNCP import pages, and for which fiches.

- the import pages are for staff of a certifier organisation and superusers (404 otherwise);
- an uploaded RNCP file (``"rncp_upload"`` in ``core.file_access``, ``as_="certifier"``) is read,
  through the fiches it lists, by the staff of the organisations it was uploaded for
  (``RncpUpload.objects.visible_to``; every upload for a superuser); anyone else, 404;
- a fiche of it is imported only by whoever shares one of its certifiers' SIRETs.
"""

from __future__ import annotations

from certifications.models import Certifier, RncpUpload
from core import file_access


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


def may_read_upload(user, upload: RncpUpload) -> bool:
    return RncpUpload.objects.visible_to(user).filter(pk=upload.pk).exists()


def register_files() -> None:
    file_access.register("rncp_upload", may_read_upload, as_="certifier")
