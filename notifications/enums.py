from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    """When a person is e-mailed about an event (their preference)."""

    IMMEDIATE = "immediate", _("immédiatement")
    DAILY = "daily", _("résumé quotidien")
    NEVER = "never", _("jamais")


class EmailStatus(models.TextChoices):
    """What became of a notification's e-mail."""

    NONE = "none", _("pas d'e-mail")
    SENT = "sent", _("envoyé")
    PENDING = "pending", _("en attente du résumé quotidien")
    DIGESTED = "digested", _("envoyé dans le résumé quotidien")
