from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person using the portal; logs in with an e-mail address.

    Roles are not a field: a certifier is a staff member of a Certifier organisation,
    a jury member sits on a session, a candidate owns dossiers, an admin is a superuser.
    """

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    awaiting_email_confirmation = models.BooleanField(
        _("en attente de confirmation de l'adresse e-mail"),
        default=False,
        help_text=_(
            "Compte créé par inscription dont le lien de confirmation n'a pas encore été suivi : "
            "il reste inactif jusque-là."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]
        constraints = [
            # "Nina@Example.org" and "nina@example.org" are one person.
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("Un compte existe déjà avec cette adresse e-mail."),
            ),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} <{self.email}>" if full else self.email


class DraftPurgeNotice(models.Model):
    """The e-mail telling a candidate that an inactive draft will be deleted (``purge_drafts``).

    Sent once per period of inactivity: a dossier touched after its notice gets a new one if it
    is abandoned again. The draft is deleted only once its notice is old enough.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="purge_notices", verbose_name=_("dossier")
    )
    sent_at = models.DateTimeField(_("envoyé le"))
    purge_after = models.DateTimeField(_("suppression prévue après le"))

    class Meta:
        verbose_name = _("avis de suppression d'un brouillon")
        verbose_name_plural = _("avis de suppression de brouillons")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["dossier", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.sent_at:%Y-%m-%d}"
