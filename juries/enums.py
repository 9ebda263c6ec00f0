from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("programmée")
    CANCELLED = "cancelled", _("annulée")
    # Set once the procès-verbal is final (jury deliberation, issue 6).
    CLOSED = "closed", _("clôturée")


class JuryRole(models.TextChoices):
    PRESIDENT = "president", _("président")
    PROFESSIONAL = "professional", _("professionnel du secteur")
    TRAINER = "trainer", _("formateur")
    CERTIFIER_REPRESENTATIVE = "certifier_representative", _("représentant du certificateur")
    RESOURCE_PERSON = "resource_person", _("personne ressource")


# Plural labels, for the composition check ("il manque 2 professionnels du secteur").
ROLE_PLURALS = {
    JuryRole.PRESIDENT: _("présidents"),
    JuryRole.PROFESSIONAL: _("professionnels du secteur"),
    JuryRole.TRAINER: _("formateurs"),
    JuryRole.CERTIFIER_REPRESENTATIVE: _("représentants du certificateur"),
    JuryRole.RESOURCE_PERSON: _("personnes ressources"),
}


class ConvocationStatus(models.TextChoices):
    CONVOKED = "convoked", _("convoqué(e)")
    RESCHEDULED = "rescheduled", _("reconvoqué(e) sur un autre créneau")
    CANCELLED = "cancelled", _("convocation annulée")


class Attendance(models.TextChoices):
    PRESENT = "present", _("présent(e)")
    ABSENT = "absent", _("absent(e)")
    EXCUSED = "excused", _("excusé(e)")
