"""The certifier's part of the home page: what waits for them, oldest first, each with a link.

A fixed number of queries whatever the number of dossiers: one aggregate over the dossiers, and
the messaging app's counts (unread messages from candidates, annotations to handle).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import ngettext

from backoffice.permissions import dossiers_for
from dossiers.enums import DossierStatus as S
from messaging import queries as messaging_queries


@dataclass(frozen=True)
class Waiting:
    text: str
    count: int
    oldest: dt.datetime | None
    url: str


# State → the date it has waited since.
WAITING_STATES = {
    S.FEASIBILITY_SUBMITTED: "feasibility_submitted_at",
    S.VALIDATION_SUBMITTED: "validation_submitted_at",
    S.READY_FOR_JURY: "updated_at",
}


def _text(status: str, n: int) -> str:
    if status == S.FEASIBILITY_SUBMITTED:
        return ngettext("%(n)s demande de recevabilité à examiner", "%(n)s demandes de recevabilité à examiner", n)
    if status == S.VALIDATION_SUBMITTED:
        return ngettext("%(n)s dossier de validation à examiner", "%(n)s dossiers de validation à examiner", n)
    return ngettext("%(n)s dossier complet à convoquer à un jury", "%(n)s dossiers complets à convoquer à un jury", n)


def waiting_for(user) -> list[Waiting]:
    """What waits for ``user`` (a certifier), oldest first; nothing that counts zero."""
    dossiers = dossiers_for(user)
    aggregates = {}
    for status, field in WAITING_STATES.items():
        aggregates[f"{status}_n"] = Count("pk", filter=Q(status=status))
        aggregates[f"{status}_oldest"] = Min(field, filter=Q(status=status))
    counts = dossiers.aggregate(**aggregates)
    queue = reverse("backoffice:queue")
    items = [
        Waiting(
            _text(s, counts[f"{s}_n"]) % {"n": counts[f"{s}_n"]},
            counts[f"{s}_n"],
            counts[f"{s}_oldest"],
            f"{queue}?status={s}",
        )
        for s in WAITING_STATES
        if counts[f"{s}_n"]
    ]
    threads = messaging_queries.waiting_for_staff(dossiers, user)
    messages, annotations = threads["messages"], threads["annotations"]
    if messages["n"]:
        items.append(
            Waiting(
                ngettext("%(n)s message de candidat non lu", "%(n)s messages de candidats non lus", messages["n"])
                % {"n": messages["n"]},
                messages["n"],
                messages["oldest"],
                reverse("backoffice:dossier", args=[messages["dossier_id"]]) + "#messages",
            )
        )
    if annotations["n"]:
        items.append(
            Waiting(
                ngettext(
                    "%(n)s annotation à traiter avant décision",
                    "%(n)s annotations à traiter avant décision",
                    annotations["n"],
                )
                % {"n": annotations["n"]},
                annotations["n"],
                annotations["oldest"],
                reverse("backoffice:dossier", args=[annotations["dossier_id"]]) + "#annotations",
            )
        )
    return sorted(items, key=lambda w: (w.oldest is None, w.oldest or dt.datetime.max.replace(tzinfo=dt.UTC)))
