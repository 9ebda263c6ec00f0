"""Pages of the declaration to the Caisse des Dépôts.

- the candidate: their identity for the CDC, on their own dossier (anyone else: 404);
- the certifier (staff of the organisation, or a superuser; anyone else 403 on the list, 404 on
  another organisation's objects): CDC identifiers, holders to declare, fluxes (build, progress,
  download), the CDC's report, putting a refused passage back.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accrochage import report, services
from accrochage.forms import AccountForm, FluxForm, IdentityForm, ReportForm
from accrochage.models import CdcAccount, Flux, FluxStatus, Passage, PassageAction, PassageStatus
from backoffice.permissions import certifier_required, organisations_for
from core import file_access
from core.actions import attempt, button_action, form_action
from core.files import serve_file
from dossiers.enums import DossierStatus
from dossiers.models import CivilIdentity
from dossiers.permissions import candidate_dossiers

# The identity is asked once the dossier de validation is deposited: the jury is next, and a
# candidate who stops earlier never gives it (collect only what will be used).
ASK_FROM = {
    DossierStatus.VALIDATION_SUBMITTED,
    DossierStatus.VALIDATION_INCOMPLETE,
    DossierStatus.READY_FOR_JURY,
    DossierStatus.SCHEDULED,
    DossierStatus.DECIDED,
}


def identity(request, pk: int):
    dossier = get_object_or_404(candidate_dossiers(request.user), pk=pk)
    current = CivilIdentity.objects.filter(dossier=dossier).first()
    if current is None and dossier.status not in ASK_FROM:
        raise Http404
    locked = services.identity_locked(dossier)
    form = IdentityForm(request.POST or None, instance=current or CivilIdentity(dossier=dossier))
    return form_action(
        request,
        form,
        lambda data: services.save_identity(dossier, data, request.user),
        template="accrochage/identity.html",
        context={"dossier": dossier, "locked": locked},
        success_url=reverse("dossiers:detail", args=[dossier.pk]),
        success_message=_("Votre identité pour la Caisse des Dépôts est enregistrée."),
    )


def _organisation(request, pk: int):
    return get_object_or_404(organisations_for(request.user), pk=pk)


@require_safe
@certifier_required
def holders(request):
    """Read only: passages are created when a procès-verbal becomes final, before a flux, or by
    ``sync`` (a POST); displaying the list never writes."""
    organisations = list(organisations_for(request.user).select_related("cdc_account").order_by("legal_name"))
    passages = (
        Passage.objects.filter(organisation__in=organisations)
        .exclude(status=PassageStatus.CANCELLED)
        .select_related("certification", "dossier__candidate", "dossier__civil_identity", "flux")
        .order_by("status", "-awarded_on", "pk")
    )
    by_status = dict(passages.values_list("status").annotate(n=Count("pk")).order_by())
    counts = [(label, by_status[value]) for value, label in PassageStatus.choices if by_status.get(value)]
    page = Paginator(passages, 50).get_page(request.GET.get("page"))
    blocks = [
        {
            "organisation": org,
            # One pair of forms per organisation: ids of their fields must differ (valid HTML).
            "account_form": AccountForm(
                instance=getattr(org, "cdc_account", None) or CdcAccount(organisation=org),
                auto_id=f"id_org{org.pk}_%s",
            ),
            "flux_form": FluxForm(auto_id=f"id_flux{org.pk}_%s"),
            "fluxes": list(org.cdc_fluxes.all()[:10]),
        }
        for org in organisations
    ]
    return render(
        request,
        "accrochage/holders.html",
        {"blocks": blocks, "page": page, "counts": counts, "Status": PassageStatus},
    )


@require_POST
@certifier_required
def sync(request, pk: int):
    org = _organisation(request, pk)
    attempt(
        request,
        lambda: services.sync_passages(org),
        lambda n: (
            ngettext("%(n)s nouveau titulaire à déclarer.", "%(n)s nouveaux titulaires à déclarer.", n) % {"n": n}
            if n
            else _("Aucun nouveau titulaire : la liste était à jour.")
        ),
    )
    return redirect("accrochage:holders")


@require_POST
@certifier_required
def account(request, pk: int):
    org = _organisation(request, pk)
    form = AccountForm(request.POST, instance=getattr(org, "cdc_account", None) or CdcAccount(organisation=org))
    if form.is_valid():
        data = form.cleaned_data
        attempt(
            request,
            lambda: services.save_account(org, data["client_id"], data["contract_id"], request.user),
            _("Identifiants CDC enregistrés."),
        )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("accrochage:holders")


@require_POST
@certifier_required
def flux_create(request, pk: int):
    org = _organisation(request, pk)
    form = FluxForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez une période valide."))
        return redirect("accrochage:holders")
    action = PassageAction.DELETION if form.cleaned_data["withdrawals"] else PassageAction.CREATION
    data = form.cleaned_data
    requested, flux = attempt(
        request,
        lambda: services.request_flux(org, data["start"], data["end"], request.user, action),
        _("Le flux est en cours de construction."),
    )
    if not requested:
        return redirect("accrochage:holders")
    return redirect("accrochage:flux", flux.pk)


def _flux(request, pk: int) -> Flux:
    return get_object_or_404(Flux.objects.filter(organisation__in=organisations_for(request.user)), pk=pk)


@require_safe
@certifier_required
def flux_detail(request, pk: int):
    flux = _flux(request, pk)
    passages = flux.passages.select_related("dossier__candidate", "certification").order_by("pk")
    page = Paginator(passages, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accrochage/flux.html",
        {
            "flux": flux,
            "page": page,
            "report_form": ReportForm(),
            "building": flux.status in (FluxStatus.QUEUED, FluxStatus.RUNNING),
        },
    )


@require_safe
@certifier_required
def flux_download(request, pk: int):
    flux = _flux(request, pk)
    if flux.status != FluxStatus.DONE or not flux.file:
        raise Http404
    grant = file_access.grant_or_404(request.user, "cdc_flux", flux, as_="certifier")  # accrochage.files
    return serve_file(flux.file, f"flux-cdc-{flux.id_flux}.xml", "application/xml", on_read=grant.on_read)


@require_POST
@certifier_required
def flux_report(request, pk: int):
    flux = _flux(request, pk)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choisissez le fichier du compte rendu."))
        return redirect("accrochage:flux", flux.pk)
    attempt(
        request,
        lambda: services.apply_report(
            flux.organisation, report.read(form.cleaned_data["report"]), request.user, flux=flux
        ),
        report_message,
    )
    return redirect("accrochage:flux", flux.pk)


def report_message(counts: dict[str, int]) -> str:
    """« 2 passages déclarés, 1 refusé » (counts of zero left out: French says « 0 refusé »,
    which ``ngettext`` without a catalogue would not)."""
    parts = [
        text % {"n": counts[key]}
        for key, text in (
            ("ok", ngettext("%(n)s passage déclaré", "%(n)s passages déclarés", counts["ok"])),
            ("ko", ngettext("%(n)s passage refusé", "%(n)s passages refusés", counts["ko"])),
            ("unknown", ngettext("%(n)s passage inconnu", "%(n)s passages inconnus", counts["unknown"])),
        )
        if counts[key]
    ]
    return _("Compte rendu lu : %(parts)s.") % {"parts": ", ".join(parts)}


@require_POST
@certifier_required
def passage_put_back(request, pk: int):
    passage = get_object_or_404(Passage.objects.filter(organisation__in=organisations_for(request.user)), pk=pk)
    return button_action(
        request,
        lambda: services.put_back(passage, request.user),
        _("Le passage ira dans le prochain flux."),
        reverse("accrochage:holders"),
    )
