"""Writes the API does that no page does: importing the results of a jury that deliberated
outside the portal (``PUT /sessionsJury/{id}/resultats``).

No jury service fits: ``juries.services.decisions.record_decision`` is the président's act in the
portal (the session's day, attendance, every member's validated scoring). This one locks and
guards as the jury services do (``juries.services.locking``) and writes the same rows
(``Decision``, ``BlockDecision``), marked imported (``ImportedResult``: which token, when).

Rules:
- from the session's day on, while the session is programmed, and never once its procès-verbal
  is final (409);
- never on a session where the jury decided in the portal: a decision in force without an
  ``ImportedResult`` refuses the whole import (409);
- each line names a candidate convoked (live convocation) to this session, once; present
  (the default), absent or excused; present, every item the jury assesses
  (``juries.queries.assessed_items``: targeted blocs, and the transversal assessment when the
  whole certification is targeted) is acquis or non acquis, and nothing else; absent or
  excused, no item;
- the result is computed as in the portal (``juries.scoring.jury_result``); the attendance is
  recorded; the dossier becomes "décision rendue";
- importing again replaces a line's earlier imported decision: it is revoked (its row kept,
  reason « remplacé par un nouvel import ») and a new one recorded;
- all or nothing: one bad line and nothing is saved; each imported decision is in the audit
  trail (``api.results_imported``) of its dossier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from api.models import ApiToken, ImportedResult
from audit.services import record
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus
from juries.enums import Attendance
from juries.models import BlockDecision, Decision, JurySession, Minutes
from juries.queries import assessed_items
from juries.scoring import Outcome, jury_result
from juries.services.errors import JuryError
from juries.services.locking import ensure_open, locked_session

REPLACED = "Remplacé par un nouvel import de résultats."


@dataclass
class ResultLine:
    candidature: int
    presence: str = Attendance.PRESENT
    blocs: dict[int, bool] = field(default_factory=dict)  # bloc id → acquis
    epreuves: dict[int, bool] = field(default_factory=dict)  # transversal assessment id → acquis
    commentaire: str = ""


@transaction.atomic
def import_results(session: JurySession, token: ApiToken, lines: list[ResultLine]) -> list[Decision]:
    session = locked_session(session.pk)
    minutes = Minutes.objects.select_for_update().filter(session=session).first()
    if minutes is not None and minutes.is_final:
        raise JuryError(_("Le procès-verbal de cette session est définitif : ses résultats ne changent plus."))
    ensure_open(session)
    if timezone.localdate() < timezone.localdate(session.starts_at):
        raise JuryError(
            _("Les résultats s'importent à partir du jour de la session (%(day)s).")
            % {"day": date_format(timezone.localtime(session.starts_at), "j F Y")}
        )
    in_force = Decision.objects.in_force().filter(convocation__session=session)
    if in_force.filter(imported__isnull=True).exists():
        raise JuryError(_("Le jury de cette session a délibéré dans le portail : ses résultats ne s'importent pas."))
    if not lines:
        raise JuryError(_("Envoyez au moins un résultat."))
    convocations = {
        c.dossier_id: c
        for c in session.convocations.live()
        .select_for_update()
        .select_related("dossier__certification", "dossier__candidate")
    }
    seen = set()
    decisions = []
    actor = token.user
    for n, line in enumerate(lines, start=1):
        where = _("Ligne %(n)s (candidature %(id)s) : ") % {"n": n, "id": line.candidature}
        if line.candidature in seen:
            raise JuryError(where + _("cette candidature figure deux fois."))
        seen.add(line.candidature)
        conv = convocations.get(line.candidature)
        if conv is None:
            raise JuryError(where + _("aucune convocation en cours à cette session."))
        if line.presence not in Attendance.values:
            raise JuryError(where + _("présence inconnue."))
        items = assessed_items(conv.dossier)
        outcomes, rows = [], []
        if line.presence == Attendance.PRESENT:
            wanted = {_item_key(i): i for i in items}
            given = {("bloc", k): v for k, v in line.blocs.items()} | {
                ("epreuve", k): v for k, v in line.epreuves.items()
            }
            if set(given) != set(wanted):
                raise JuryError(
                    where
                    + _("donnez un résultat pour chaque bloc visé par le dossier (%(codes)s), et pour lui seul.")
                    % {"codes": ", ".join(f"{i.label} ({k[1]})" for k, i in wanted.items())}
                )
            for key, item in wanted.items():
                outcomes.append(Outcome(is_block=item.is_block, validated=given[key]))
                rows.append((item, given[key]))
        elif line.blocs or line.epreuves:
            raise JuryError(where + _("un candidat absent ou excusé n'a pas de résultat par bloc."))
        previous = in_force.filter(convocation=conv).first()
        if previous is None and conv.dossier.status != DossierStatus.SCHEDULED:
            raise JuryError(where + _("le dossier n'est pas « jury programmé »."))
        if previous is not None:
            previous.revoked_at, previous.revoked_by, previous.revocation_reason = timezone.now(), actor, REPLACED
            previous.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        conv.attendance, conv.attendance_recorded_at = line.presence, timezone.now()
        conv.save(update_fields=["attendance", "attendance_recorded_at", "updated_at"])
        result = jury_result(line.presence, conv.dossier.targets_all_blocks, outcomes)
        decision = Decision.objects.create(
            convocation=conv,
            dossier=conv.dossier,
            result=result,
            comment=line.commentaire.strip(),
            decided_by=actor,
            decided_at=timezone.now(),
        )
        justification = _("Résultat importé par « %(token)s ».") % {"token": token.name}
        for order, (item, acquired) in enumerate(rows, start=1):
            BlockDecision.objects.create(
                decision=decision,
                block=item.block,
                assessment_method=item.method,
                validated=acquired,
                justification=justification,
                order=order,
            )
        ImportedResult.objects.create(decision=decision, token=token)
        record(
            "api.results_imported",
            actor=actor,
            target=decision,
            target_repr=str(decision.get_result_display()),
            dossier=conv.dossier,
            changes={
                "result": [previous.result if previous else None, result],
                "validated_blocks": [None, [i.label for i, ok in rows if ok]],
                "blocks_not_validated": [None, [i.label for i, ok in rows if not ok]],
            },
            comment=decision.comment,
        )
        if previous is None:
            dossier_services.mark_decided(
                conv.dossier,
                actor,
                _("Le jury a délibéré. Le résultat vous sera communiqué dès que son procès-verbal sera signé."),
            )
        decisions.append(decision)
    Minutes.objects.get_or_create(session=session)
    return decisions


def _item_key(item) -> tuple[str, int]:
    """What a line of the import names an assessed item by: its bloc, or its épreuve."""
    if item.block is not None:
        return ("bloc", item.block.pk)
    assert item.method is not None, "an assessed item is a bloc or an épreuve"
    return ("epreuve", item.method.pk)
