"""A jury member's declaration of their link with a candidate (conflict of interest).

Rules:
- a member declares their link with a candidate of their session before opening the dossier
  (``juries.permissions``), while the session is programmed; "autre" needs a précision;
- "aucun lien" may later become a conflict; a conflict, once declared, is never withdrawn; it
  excludes the member from that candidate's scoring and deliberation, and shows in the
  procès-verbal;
- each declaration is written to the audit trail (``audit.services.record``), in the dossier's
  history.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit
from juries.enums import LinkKind
from juries.formats import display_name
from juries.models import ConflictDeclaration, Convocation, JuryMember
from juries.services.errors import JuryError
from juries.services.locking import ensure_open, ensure_seat, locked_convocation

logger = logging.getLogger(__name__)


@transaction.atomic
def declare_link(member: JuryMember, convocation: Convocation, link: str, comment: str = "") -> ConflictDeclaration:
    """Declare a link (or none) with the candidate. "Aucun lien" may later become a conflict;
    a conflict stays."""
    conv = locked_convocation(convocation.pk)
    ensure_seat(member, conv)
    ensure_open(conv.session)
    if link not in LinkKind.values:
        raise JuryError(_("Choisissez la nature de votre lien avec le candidat."))
    comment = comment.strip()
    if link == LinkKind.OTHER and not comment:
        raise JuryError(_("Précisez la nature de ce lien."))
    current = ConflictDeclaration.objects.select_for_update().filter(member=member, convocation=conv).first()
    if current is not None and current.is_conflict:
        raise JuryError(_("Vous avez déclaré un lien avec ce candidat : cette déclaration ne peut pas être retirée."))
    if current is not None and link == LinkKind.NONE:
        return current
    before = audit.values(current, ("link", "comment")) if current else {}
    if current is None:
        declaration = ConflictDeclaration.objects.create(member=member, convocation=conv, link=link, comment=comment)
    else:
        current.link, current.comment = link, comment
        current.save(update_fields=["link", "comment", "updated_at"])
        declaration = current
    audit.record(
        "jury.conflict_declared",
        actor=member.user,
        target=declaration,
        target_repr=display_name(member.user),
        dossier=conv.dossier,
        changes=audit.diff(before, audit.values(declaration, ("link", "comment"))),
    )
    logger.info("Member %s declared %s for convocation %s", member.pk, link, conv.pk)
    return declaration
