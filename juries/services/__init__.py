"""Every change to a jury session goes through this package: atomic, rows locked, guards raising
``JuryError`` with a French message for the user, e-mails, documents and hooks queued once
committed. One module per aggregate, each listing its rules:

- ``sessions``: programme, edit, cancel a session;
- ``members``: seat or invite members, remove them, note them present or absent;
- ``convocations``: convoke ready dossiers on time slots, reschedule, cancel, record attendance;
- ``declarations``: the members' declarations of links (conflicts of interest);
- ``scorings``: a member's scoring against a grille, validated, reopened by the président;
- ``decisions``: the président's settled divergences and decision on each candidate, revoked by a
  certifier;
- ``minutes``: the procès-verbal, its signatures, the session closed;

with the rows locked and the guards they share in ``locking`` and the errors in ``errors``.
What pages read (the items assessed, the composition check, the procès-verbal's content) is in
``juries.queries``; who may see and do what, in ``juries.permissions``.

This module re-exports every service so that ``from juries import services`` then
``services.convoke(...)`` keeps working; code that uses one aggregate imports its module.
"""

from juries.services.convocations import cancel_convocation, convoke, record_attendance, reschedule, send_reminders
from juries.services.decisions import (
    ItemDecision,
    compute_result,
    deliberation_problems,
    record_decision,
    revoke_decision,
    settle_divergence,
)
from juries.services.declarations import declare_link
from juries.services.errors import EvaluationConflict, IncompleteEvaluation, JuryError
from juries.services.members import add_member, remove_member, resend_invitation, set_presence
from juries.services.minutes import minutes_problems, override_composition, sign_minutes
from juries.services.scorings import reopen_evaluation, save_evaluation, scoring_problem, validate_evaluation
from juries.services.sessions import cancel_session, create_session, update_session

__all__ = [
    "EvaluationConflict",
    "IncompleteEvaluation",
    "ItemDecision",
    "JuryError",
    "add_member",
    "cancel_convocation",
    "cancel_session",
    "compute_result",
    "convoke",
    "create_session",
    "declare_link",
    "deliberation_problems",
    "minutes_problems",
    "override_composition",
    "record_attendance",
    "record_decision",
    "remove_member",
    "reopen_evaluation",
    "reschedule",
    "resend_invitation",
    "revoke_decision",
    "save_evaluation",
    "scoring_problem",
    "send_reminders",
    "set_presence",
    "settle_divergence",
    "sign_minutes",
    "update_session",
    "validate_evaluation",
]
