"""The declaration fluxes in the one door for files (``core.file_access``).

``"cdc_flux"`` (a ``Flux``: the XML declared to the Caisse des Dépôts), ``as_="certifier"``: the
staff of the organisation that declares it, and admins. It names every holder with their civil
identity, so no one else reads it, on any page.
"""

from __future__ import annotations

from backoffice.permissions import organisations_for
from core import file_access


def staff_reads_flux(user, flux) -> bool:
    return organisations_for(user).filter(pk=flux.organisation_id).exists()


def register() -> None:
    file_access.register("cdc_flux", staff_reads_flux, as_="certifier")
