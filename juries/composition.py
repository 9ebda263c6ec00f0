"""The check of a jury session's members against its certification's composition rule.

The rule itself (its JSON format, its validation, its French description) belongs to the
referential: ``certifications.jury_rule``. Here, a session's seats are counted against it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certifications.enums import JuryRole
from certifications.jury_rule import JuryRule, JuryRuleError, role_label

__all__ = ["CompositionCheck", "JuryRule", "JuryRuleError", "Seat", "check"]


@dataclass(frozen=True)
class Seat:
    """One member as the check sees them: their role and whether they work for the certifier."""

    role: str
    certifier_staff: bool


@dataclass(frozen=True)
class CompositionCheck:
    rule: JuryRule
    problems: list[str]

    @property
    def rule_defined(self) -> bool:
        return not self.rule.is_empty

    @property
    def ok(self) -> bool:
        return self.rule_defined and not self.problems


def check(rule: JuryRule, seats: Iterable[Seat]) -> CompositionCheck:
    """What the composition lacks against ``rule``, in French (empty when it meets it)."""
    seats = list(seats)
    problems = []
    deliberating = [s for s in seats if s.role != JuryRole.RESOURCE_PERSON]
    if len(deliberating) < rule.min_members:
        problems.append(
            ngettext(
                "Le jury compte %(n)s membre délibérant ; la règle en demande au moins %(min)s.",
                "Le jury compte %(n)s membres délibérants ; la règle en demande au moins %(min)s.",
                len(deliberating),
            )
            % {"n": len(deliberating), "min": rule.min_members}
        )
    for role in JuryRole:
        wanted = rule.roles.get(role.value, 0)
        have = sum(1 for s in seats if s.role == role.value)
        if have < wanted:
            missing = wanted - have
            problems.append(
                _("Il manque %(missing)s %(role)s (%(have)s sur %(wanted)s).")
                % {"missing": missing, "role": role_label(role, missing), "have": have, "wanted": wanted}
            )
    external = sum(1 for s in seats if s.role == JuryRole.PROFESSIONAL and not s.certifier_staff)
    if external < rule.external_professionals:
        missing = rule.external_professionals - external
        problems.append(
            ngettext(
                "Il manque %(missing)s professionnel du secteur extérieur au certificateur (%(have)s sur %(wanted)s).",
                "Il manque %(missing)s professionnels du secteur extérieurs au certificateur "
                "(%(have)s sur %(wanted)s).",
                missing,
            )
            % {"missing": missing, "have": external, "wanted": rule.external_professionals}
        )
    return CompositionCheck(rule=rule, problems=problems)
