"""The dossiers app's e-mails to candidates, sent through the one door for e-mails
(:mod:`core.emails`: links only, rendered now, sent by a worker once the transaction commits,
retried). Each function is called once the change is committed, loads what it needs by id, and
declares who receives the e-mail and the context of its templates (``templates/emails/``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from core import emails
from dossiers.models import Dossier, Proof, TransitionLog


def transition(log_id: int) -> None:
    """To the candidate, when their dossier changes state: the certification, the new state in
    plain French, what to do next with a link, and the comment or reason the certifier wrote
    (never one the candidate wrote themselves, e.g. when withdrawing)."""
    log = TransitionLog.objects.select_related("dossier__candidate", "dossier__certification").get(pk=log_id)
    dossier = log.dossier
    context = {
        "dossier": dossier,
        "log": log,
        "comment": log.comment.strip() if log.actor_id != dossier.candidate_id else "",
        "url": f"{settings.SITE_URL}{dossier.get_absolute_url()}",
        "candidate": dossier.candidate,
    }
    emails.send("dossier_transition", dossier.candidate.email, context)


def file_quarantined(kind: str, pk: int) -> None:
    """To the candidate, when a file they uploaded was found infected and quarantined: which kind
    of file, and a link to their dossier (no file name: it can say something personal)."""
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
    emails.send("file_quarantined", dossier.candidate.email, context)


def implicit_admissibility(dossier_id: int) -> None:
    """To the candidate, when the certifier's silence for two months made their request
    recevable (Code du travail L6412-2)."""
    dossier = Dossier.objects.select_related("candidate", "certification").get(pk=dossier_id)
    context = {
        "dossier": dossier,
        "candidate": dossier.candidate,
        "url": f"{settings.SITE_URL}{dossier.get_absolute_url()}",
    }
    emails.send("feasibility_implicit", dossier.candidate.email, context)


def deadline_reminder(dossier_id: int) -> None:
    """To each staff member of the certification's certifiers, before the two months after
    which silence is worth recevabilité: which request, when, and a link (no personal data
    beyond the candidate's name, which their page shows them)."""
    from dossiers.feasibility import deadline, feasibility_of

    dossier = Dossier.objects.select_related("candidate", "certification").get(pk=dossier_id)
    due = deadline(feasibility_of(dossier).received_at)
    context = {
        "dossier": dossier,
        "deadline": due,
        # The certifier's page (the back office, above this app: its URL by name).
        "url": f"{settings.SITE_URL}{reverse('backoffice:dossier', args=[dossier.pk])}",
    }
    staff = {
        user.email
        for certifier in dossier.certification.certifiers.prefetch_related("staff")
        for user in certifier.staff.all()
        if user.is_active
    }
    for email in sorted(staff):
        emails.send("feasibility_deadline_reminder", email, context)
