from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications import events
from notifications.enums import EmailStatus, Frequency


class NotificationQuerySet(models.QuerySet):
    def of(self, user):
        """The notifications of ``user`` (none for an anonymous visitor): nobody reads another's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a person is told in the portal (and, per their preference, by e-mail).

    ``text`` names the event and the certification, never a person's name nor dossier content:
    the list shows the candidate's current name through ``dossier`` (erased with the account).
    ``url`` is a path on the portal: the page concerned.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("destinataire")
    )
    event = models.CharField(_("événement"), max_length=40)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("dossier"),
    )
    text = models.CharField(_("texte"), max_length=300)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    once_key = models.CharField(_("clé d'unicité"), max_length=80, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE, db_index=True
    )
    emailed_at = models.DateTimeField(_("envoyé par e-mail le"), null=True, blank=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True, db_index=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event", "once_key"], condition=~Q(once_key=""), name="notification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} : {self.text}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def event_label(self) -> str:
        event = events.EVENTS.get(self.event)
        return str(event.label) if event else self.event


class NotificationPreference(models.Model):
    """How often a person is e-mailed about one event (no row: the event's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("personne"),
    )
    event = models.CharField(_("événement"), max_length=40)
    frequency = models.CharField(_("fréquence"), max_length=10, choices=Frequency.choices)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        ordering = ["user", "event"]
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="one_preference_per_user_and_event")]

    def __str__(self) -> str:
        return f"{self.user} / {self.event} : {self.get_frequency_display()}"
