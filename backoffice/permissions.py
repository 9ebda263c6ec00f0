"""Who may see and do what in the certifier back office.

- A certifier is a staff member of at least one ``Certifier`` organisation (``Certifier.staff``);
  a superuser acts as every certifier. Anyone else gets 403 on every back-office page.
- A certifier sees the certifications of their organisations (``Certification.objects.managed_by``),
  every part of their referentials, the dossiers filed on them once recevabilité has been
  requested (a draft the candidate never sent stays theirs alone), and the jury sessions of
  those certifications with their members and convocations, the links members declared, the
  jury's decisions (which they may revoke, with a reason) and the procès-verbal — never the
  members' scorings, which stay the jury's.
- Anything outside that scope is looked up through these querysets and so answers 404.
- A dossier's files (proofs, identity document) are downloaded only once the candidate submitted
  them and the antivirus has released them (``backoffice.files``, in ``core.file_access``):
  pending, failed and infected files stay closed.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from certifications.models import (
    AssessmentMethod,
    Block,
    Certification,
    Certifier,
    Competency,
    Rubric,
    RubricCriterion,
    RubricLevel,
)
from dossiers.models import Dossier
from juries.models import Convocation, Decision, JuryMember, JurySession


def is_certifier(user) -> bool:
    """Staff of a certifier organisation, or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.certifiers.exists()


def certifier_required(view):
    """403 for anyone who is not a certifier (anonymous users never get here: login first)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_certifier(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def organisations_for(user) -> QuerySet[Certifier]:
    """The organisations ``user`` may create certifications for."""
    return Certifier.objects.all() if user.is_superuser else Certifier.objects.filter(staff=user)


def certifications_for(user) -> QuerySet[Certification]:
    return Certification.objects.managed_by(user)


def _managed_ids(user):
    return certifications_for(user).values("pk")


def blocks_for(user) -> QuerySet[Block]:
    return Block.objects.filter(certification__in=_managed_ids(user))


def competencies_for(user) -> QuerySet[Competency]:
    return Competency.objects.filter(block__certification__in=_managed_ids(user))


def assessment_methods_for(user) -> QuerySet[AssessmentMethod]:
    return AssessmentMethod.objects.filter(certification__in=_managed_ids(user))


def rubrics_for(user) -> QuerySet[Rubric]:
    return Rubric.objects.filter(certification__in=_managed_ids(user))


def criteria_for(user) -> QuerySet[RubricCriterion]:
    return RubricCriterion.objects.filter(rubric__certification__in=_managed_ids(user))


def levels_for(user) -> QuerySet[RubricLevel]:
    return RubricLevel.objects.filter(rubric__certification__in=_managed_ids(user))


def dossiers_for(user) -> QuerySet[Dossier]:
    """Dossiers on the user's certifications whose recevabilité has been requested at least once."""
    return Dossier.objects.filter(certification__in=_managed_ids(user), feasibility_submitted_at__isnull=False)


def listed_dossiers_for(user) -> QuerySet[Dossier]:
    """``dossiers_for`` with the user's certifications read first (one query), for the lists
    (the queue, the API's candidatures): a list of ids lets the planner walk their indexes
    (``dossier_queue_idx``, ``dossier_api_idx``) in order instead of joining every dossier with a
    subquery and sorting them all."""
    ids = list(_managed_ids(user).values_list("pk", flat=True))
    return Dossier.objects.filter(certification_id__in=ids, feasibility_submitted_at__isnull=False)


def sessions_for(user) -> QuerySet[JurySession]:
    return JurySession.objects.filter(certification__in=_managed_ids(user))


def members_for(user) -> QuerySet[JuryMember]:
    return JuryMember.objects.filter(session__certification__in=_managed_ids(user))


def convocations_for(user) -> QuerySet[Convocation]:
    return Convocation.objects.filter(session__certification__in=_managed_ids(user))


def decisions_for(user) -> QuerySet[Decision]:
    return Decision.objects.filter(convocation__session__certification__in=_managed_ids(user))
