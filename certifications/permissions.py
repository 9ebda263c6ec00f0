"""Who may add a version to a certification: the one rule shared by every import.

Rule: an existing lineage can only be versioned on behalf of an organisation that already
manages it, that is one of the certifiers of its latest version. The exchange-format import
(``services.import_referential``), the RNCP pages and ``import_rncp`` all ask ``may_version_lineage``;
they differ only in who acts:

- a certifier acts for the organisations they are staff of (``acting_organisations``);
- a superuser acts for every organisation (``None``: no restriction);
- ``import_rncp``, an administrator's tool, acts for the certifiers named on the fiche, so that it
  never hands a lineage to another organisation unless run with ``--force`` (``None``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from certifications.models import Certification, Certifier


def acting_organisations(user) -> set[int] | None:
    """The ids of the organisations ``user`` acts for; ``None`` (all of them) for a superuser, and
    for no user at all: the system itself (fixtures, demo seeds, management commands)."""
    if user is None:
        return None
    if user.is_authenticated and user.is_superuser:
        return None
    if not user.is_authenticated:
        return set()
    return set(Certifier.objects.filter(staff=user).values_list("pk", flat=True))


def lineage_owners(latest: Certification) -> set[int]:
    """The ids of the organisations that manage a lineage: the certifiers of its latest version."""
    return set(latest.certifiers.values_list("pk", flat=True))


def may_version_lineage(owners: Iterable[int], acting: Collection[int] | None) -> bool:
    """May a new version be added to the lineage managed by ``owners`` (the certifier ids of its
    latest version) on behalf of the organisations ``acting``? Only if one of them already
    manages it; ``acting=None`` means no restriction (a superuser, ``import_rncp --force``).

    Without this rule a certifier could import a version of another organisation's certification
    carrying their own SIRET, publish it (which archives the owner's version) and receive the
    candidates of the catalogue page.
    """
    if acting is None:
        return True
    return not set(owners).isdisjoint(acting)
