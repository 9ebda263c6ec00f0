"""Where badges hear of the jury: ``post_save`` of the rows the jury services write, connected in
``CredentialsConfig.ready``; the jury services know nothing of badges.

- a procès-verbal saved as final (``_finalise`` saves ``status``): its session's badges are issued
  by a worker once the transaction commits;
- a decision saved with ``revoked_at`` (``revoke_decision``): its badges are revoked in the same
  transaction, so a revocation never stands without its bits.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def publish(session_id: int) -> bool:
    """Queue the issuing job; False (logged) when the broker cannot be reached: then
    ``manage.py issue_badges`` issues what is missing."""
    from credentials.tasks import issue_session_badges

    try:
        issue_session_badges.delay(session_id)
    except Exception:
        logger.exception("Could not queue the badges of session %s", session_id)
        return False
    return True


def on_minutes(sender, instance, created, raw=False, update_fields=None, **kwargs):
    from juries.enums import MinutesStatus

    if raw or instance.status != MinutesStatus.FINAL:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    session_id = instance.session_id
    transaction.on_commit(lambda: publish(session_id))


def on_decision(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created or instance.revoked_at is None:
        return
    if update_fields is not None and "revoked_at" not in update_fields:
        return
    from credentials import services

    services.revoke_for_decision(instance)
