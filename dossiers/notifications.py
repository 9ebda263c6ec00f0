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


def file_quarantined(kind: str, pk: int) -> None:
    """Tell the candidate that a file they uploaded was found infected and quarantined: which
    kind of file, and a link to their dossier (no file name: it can say something personal)."""
    from dossiers.models import Dossier, Proof

    if kind == "proof":
        proof = Proof.objects.select_related("dossier__candidate", "dossier__certification").filter(pk=pk).first()
        dossier = proof.dossier if proof else None
    else:
        dossier = Dossier.objects.select_related("candidate", "certification").filter(pk=pk).first()
    if dossier is None:
        return
    context = {
        "dossier": dossier,
        "candidate": dossier.candidate,
        "is_identity": kind != "proof",
        "url": f"{settings.SITE_URL}{dossier.get_absolute_url()}",
    }
    subject = render_to_string("emails/file_quarantined_subject.txt", context).strip()
    body = render_to_string("emails/file_quarantined_body.txt", context)
    try:
        send_mail(subject, body, None, [dossier.candidate.email])
    except Exception:  # the quarantine is recorded; the dossier page says it too
        logger.exception("Could not e-mail the candidate of dossier %s about a quarantined file", dossier.pk)
