"""Open Badges 3.0 issued from the jury's final decisions.

One ``Badge`` per candidate and acquired bloc (``block`` set) and one for the whole certification
(``block`` empty) when the jury validated it in full. The row keeps the signed VC-JWT as issued
(the candidate downloads it) and the bit of the certifier's revocation list it owns; whether a
badge is valid is never read from this row: the verification page checks the signature and the
status list (``credentials.verification``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certifications.models import Block, Certifier
from juries.models import Decision


class Badge(models.Model):
    uuid = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Certifier, on_delete=models.PROTECT, related_name="badges", verbose_name=_("émetteur")
    )
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="badges")
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, null=True, blank=True, related_name="badges", verbose_name=_("bloc")
    )
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="badges")
    name = models.CharField(_("intitulé"), max_length=900)
    status_index = models.PositiveIntegerField(_("position dans la liste de révocation"))
    token = models.TextField(_("VC-JWT signé"), editable=False)
    issued_at = models.DateTimeField(_("émis le"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("open badge")
        verbose_name_plural = _("open badges")
        ordering = ["decision", "block__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "block"], condition=Q(block__isnull=False), name="one_badge_per_decision_and_block"
            ),
            models.UniqueConstraint(
                fields=["decision"], condition=Q(block__isnull=True), name="one_certification_badge_per_decision"
            ),
            models.UniqueConstraint(fields=["organisation", "status_index"], name="one_status_bit_per_badge"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_whole_certification(self) -> bool:
        return self.block_id is None
