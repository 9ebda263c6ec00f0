"""E-mails to candidates. Links only: no dossier content leaves the portal by e-mail."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def transition(log_id: int) -> None:
    """Tell the candidate their dossier changed state. Called after the transaction commits;
    a mail failure is logged, never raised: the state change is already saved."""
    from dossiers.models import TransitionLog

    log = TransitionLog.objects.select_related("dossier__candidate", "dossier__certification").get(pk=log_id)
    dossier = log.dossier
    context = {
        "dossier": dossier,
        "log": log,
        "url": f"{settings.SITE_URL}{dossier.get_absolute_url()}",
        "candidate": dossier.candidate,
    }
    subject = render_to_string("emails/dossier_transition_subject.txt", context).strip()
    body = render_to_string("emails/dossier_transition_body.txt", context)
    try:
        send_mail(subject, body, None, [dossier.candidate.email])
    except Exception:  # SMTP down must not undo a decision that is already recorded
        logger.exception("Could not e-mail the candidate of dossier %s", dossier.pk)
