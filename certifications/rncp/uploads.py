"""Store an uploaded RNCP flux under MEDIA_ROOT with the list of its fiches.

The file is read once, as a stream, when it is uploaded: a broken file is refused there and
then (``RncpFormatError``), and the index lets certifiers choose a fiche without reading the file
again. Only the chosen fiche is read later, up to where it stands in the file.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from certifications.models import RncpUpload
from certifications.rncp.parser import Fiche, FluxReader, find_fiche
from certifications.rncp.splitter import inline_text


def summary(fiche: Fiche) -> dict:
    return {
        "code": fiche.number,
        "title": inline_text(fiche.title)[:300],
        "sirets": sorted(fiche.sirets),
        "certifiers": [inline_text(c.commercial_name or c.name) for c in fiche.certifiers],
        "blocs": len(fiche.blocs),
        "level": fiche.level,
        "active": fiche.active,
        "vae": fiche.open_to_vae,
        "state": fiche.state,
    }


def save_upload(uploaded: UploadedFile, user) -> RncpUpload:
    """Read the whole flux (raises ``RncpFormatError`` when it is broken), then store it."""
    reader = FluxReader(uploaded)
    index = [summary(fiche) for fiche in reader]
    uploaded.seek(0)
    return RncpUpload.objects.create(
        file=uploaded,
        original_name=uploaded.name[:255],
        uploaded_by=user,
        flux_version=reader.version or "",
        fiche_count=len(index),
        index=index,
    )


def index_entry(upload: RncpUpload, code: str) -> dict | None:
    return next((entry for entry in upload.index if entry["code"] == code), None)


def read_fiche(upload: RncpUpload, code: str) -> Fiche | None:
    with upload.file.open("rb") as stream:
        return find_fiche(stream, code)
