"""Demo notifications and e-mail preferences (``seed_demo`` calls ``seed()`` last; idempotent).

The other apps' demo dossiers go through the services, so their transitions already notified
the candidates and the certifiers' staff (``notifications.receivers``); here:

- the APTIM certifier (certif.aptim) chose "immédiatement" for new recevabilité requests and
  "jamais" for candidates' messages (the dossiers de validation stay in the daily summary), so
  that the preferences page shows each choice;
- the oldest notification of each demo candidate (candidat…@vae.example) is read, so that their list shows both;
- a dossier awaiting the staff that has no notification yet (data seeded before this app)
  gets its staff's notification, without e-mail.
"""

from __future__ import annotations

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier
from notifications import events, services
from notifications.enums import Frequency
from notifications.models import Notification

CERTIFIER = "certif.aptim@vae.example"
CERTIFIER_CHOICES = {
    events.FEASIBILITY_SUBMITTED.key: Frequency.IMMEDIATE,
    events.VALIDATION_SUBMITTED.key: Frequency.DAILY,
    events.MESSAGE.key: Frequency.NEVER,
}
AWAITING_STAFF = {
    S.FEASIBILITY_SUBMITTED: events.FEASIBILITY_SUBMITTED,
    S.VALIDATION_SUBMITTED: events.VALIDATION_SUBMITTED,
}


def seed() -> list[str]:
    rows = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        for dossier in Dossier.objects.filter(status__in=AWAITING_STAFF).select_related("certification"):
            event = AWAITING_STAFF[dossier.status]
            if not Notification.objects.filter(dossier=dossier, event=event.key).exists():
                services.notify(
                    services.certifier_staff(dossier),
                    event.key,
                    dossier=dossier,
                    url=services.staff_dossier_url(dossier),
                )
        certifier = User.objects.filter(email=CERTIFIER).first()
        if certifier is not None:
            services.set_preferences(certifier, dict(CERTIFIER_CHOICES))
            rows.append(f"{CERTIFIER}: préférences d'e-mails choisies, {_unread(certifier)}")
        candidates = User.objects.filter(email__startswith="candidat", email__endswith="@vae.example")
        for email in candidates.order_by("email").values_list("email", flat=True):
            mine = Notification.objects.filter(recipient__email=email)
            oldest = mine.order_by("created_at", "pk").first()
            if oldest is not None and not mine.filter(read_at__isnull=False).exists():
                oldest.read_at = timezone.now()
                oldest.save(update_fields=["read_at"])
                rows.append(f"{email}: une notification lue, {_unread(oldest.recipient)}")
    return rows


def _unread(user) -> str:
    n = services.unread_count(user)
    return f"{n} non lue" if n == 1 else f"{n} non lues"
