from django.db import models
from django.utils.translation import gettext_lazy as _


class AccompanimentState(models.TextChoices):
    REQUESTED = "requested", _("demandé")
    ACCEPTED = "accepted", _("en cours")
    DECLINED = "declined", _("refusé par l'organisme")
    ENDED = "ended", _("terminé par l'organisme")
    LEFT = "left", _("quitté par le candidat")


LIVE_STATES = (AccompanimentState.REQUESTED, AccompanimentState.ACCEPTED)
# States in which the accompaniment has ended after having been accepted: the organisation reads
# the dossier for ACCOMPANIMENT_READ_DAYS_AFTER_END more days.
FINISHED_STATES = (AccompanimentState.ENDED, AccompanimentState.LEFT)


class Verdict(models.TextChoices):
    FAVORABLE = "favorable", _("favorable")
    RESERVED = "reserved", _("réservé")
    UNFAVORABLE = "unfavorable", _("défavorable")


class MeetingKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individuel")
    COLLECTIVE = "collective", _("collectif")


class MeetingMode(models.TextChoices):
    ON_SITE = "on_site", _("sur place")
    REMOTE = "remote", _("à distance")
