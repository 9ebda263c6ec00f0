"""The jury composition rule of a certification: part of its referential.

A rule is stored on ``Certification.jury_rule`` as plain JSON, for example RNCP41296's "two
external professionals and one member of the certifier's direction"::

    {"min_members": 3, "roles": {"professional": 2, "certifier_representative": 1},
     "external_professionals": 2}

- ``min_members``: deliberating members at least (a personne ressource advises, does not count);
- ``roles``: for each role (``JuryRole`` values), how many members at least;
- ``external_professionals``: professionnels du secteur at least who are not staff of any
  certifier of the certification.

Every key is optional; an empty rule (``{}``) means the certification states none, and the
session page says so instead of declaring the composition valid. The rule travels with the
referential (export, import, new version); a session's members are checked against it by
``juries.composition``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certifications.enums import ROLE_PLURALS, JuryRole
from core.errors import DomainError

MAX_COUNT = 20


class JuryRuleError(DomainError, ValueError):
    """The rule document is malformed; the message names the key."""


@dataclass(frozen=True)
class JuryRule:
    min_members: int = 0
    roles: dict[str, int] = field(default_factory=dict)
    external_professionals: int = 0

    @classmethod
    def from_data(cls, data: Any) -> JuryRule:
        """Validate a stored or imported rule; raise ``JuryRuleError`` on anything unexpected."""
        if data in (None, ""):
            return cls()
        if not isinstance(data, dict):
            raise JuryRuleError(_("jury_rule : un objet JSON est attendu."))
        unknown = set(data) - {"min_members", "roles", "external_professionals"}
        if unknown:
            raise JuryRuleError(_("jury_rule : clé inconnue %(key)s.") % {"key": ", ".join(sorted(unknown))})

        def count(value: Any, path: str) -> int:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
                raise JuryRuleError(
                    _("%(path)s : un entier entre 0 et %(max)s est attendu, trouvé %(value)r.")
                    % {"path": path, "max": MAX_COUNT, "value": value}
                )
            return value

        roles_data = data.get("roles") or {}
        if not isinstance(roles_data, dict):
            raise JuryRuleError(_("jury_rule.roles : un objet JSON est attendu."))
        roles = {}
        for role, value in roles_data.items():
            if role not in JuryRole.values:
                raise JuryRuleError(
                    _("jury_rule.roles : rôle inconnu %(role)r (attendu : %(known)s).")
                    % {"role": role, "known": ", ".join(JuryRole.values)}
                )
            if count(value, f"jury_rule.roles.{role}"):
                roles[role] = value
        return cls(
            min_members=count(data.get("min_members", 0), "jury_rule.min_members"),
            roles=roles,
            external_professionals=count(data.get("external_professionals", 0), "jury_rule.external_professionals"),
        )

    def to_data(self) -> dict[str, Any]:
        """The canonical JSON form: zero counts are left out, roles in their declared order."""
        data: dict[str, Any] = {}
        if self.min_members:
            data["min_members"] = self.min_members
        roles = {r: self.roles[r] for r in JuryRole.values if self.roles.get(r)}
        if roles:
            data["roles"] = roles
        if self.external_professionals:
            data["external_professionals"] = self.external_professionals
        return data

    @property
    def is_empty(self) -> bool:
        return not self.to_data()

    def describe(self) -> list[str]:
        """The rule in French, one requirement a line."""
        lines = []
        if self.min_members:
            lines.append(
                ngettext(
                    "au moins %(n)s membre délibérant",
                    "au moins %(n)s membres délibérants",
                    self.min_members,
                )
                % {"n": self.min_members}
            )
        for role in JuryRole:
            n = self.roles.get(role.value, 0)
            if n:
                lines.append(_("%(n)s %(role)s au moins") % {"n": n, "role": role_label(role, n)})
        if self.external_professionals:
            lines.append(
                ngettext(
                    "dont %(n)s professionnel du secteur extérieur au certificateur",
                    "dont %(n)s professionnels du secteur extérieurs au certificateur",
                    self.external_professionals,
                )
                % {"n": self.external_professionals}
            )
        return lines


def role_label(role: JuryRole, n: int) -> str:
    return str(ROLE_PLURALS[role] if n > 1 else role.label)
