"""The certifier pages of the France VAE connector: for each of the user's organisations, the
connection (set, test, synchronise now, pause or resume), and a France VAE document of a dossier.
Certifiers only (403 otherwise); another organisation's connection or document answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.permissions import certifier_required, organisations_for
from core import file_access
from core.actions import attempt, button_action
from core.errors import DomainError
from core.files import serve_file
from francevae import services, tasks
from francevae.forms import ConnectionForm
from francevae.models import Connection, FranceVaeDocument


@certifier_required
def connection_list(request):
    organisations = organisations_for(request.user).select_related("francevae_connection")
    # (organisation, its connection or None): the reverse one-to-one raises when there is none.
    rows = [(org, getattr(org, "francevae_connection", None)) for org in organisations]
    return render(request, "francevae/connections.html", {"rows": rows})


def _organisation(request, org_pk: int):
    return get_object_or_404(organisations_for(request.user), pk=org_pk)


def _connection(request, org_pk: int) -> Connection:
    return get_object_or_404(Connection, organisation=_organisation(request, org_pk))


@certifier_required
def connection_edit(request, org_pk: int):
    organisation = _organisation(request, org_pk)
    connection = Connection.objects.filter(organisation=organisation).first()
    initial = (
        {
            "base_url": connection.base_url,
            "authority_id": connection.authority_id,
            "invite_candidates": connection.invite_candidates,
        }
        if connection
        else {}
    )
    form = ConnectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved, _none = attempt(
            request,
            lambda: services.save_connection(organisation, **form.cleaned_data),
            _("Connexion à France VAE enregistrée."),
            form=form,
            field_for={DomainError: None},
        )
        if saved:
            return redirect("francevae:edit", org_pk=organisation.pk)
    context = {
        "organisation": organisation,
        "connection": connection,
        "form": form,
        "entries": connection.entries.filter(link__isnull=True)[:20] if connection else [],
    }
    response = render(request, "francevae/connection.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@certifier_required
def connection_test(request, org_pk: int):
    connection = _connection(request, org_pk)
    attempt(request, lambda: services.test_connection(connection), lambda message: message)
    return redirect("francevae:edit", org_pk=org_pk)


@require_POST
@certifier_required
def connection_sync(request, org_pk: int):
    connection = _connection(request, org_pk)
    if connection.paused:
        messages.error(request, _("La connexion est en pause : reprenez-la pour synchroniser."))
    else:
        transaction.on_commit(lambda: tasks.sync_connection.delay(connection.pk))
        messages.success(request, _("Synchronisation lancée : les dossiers reçus apparaîtront dans la file."))
    return redirect("francevae:edit", org_pk=org_pk)


@require_POST
@certifier_required
def connection_pause(request, org_pk: int):
    connection = _connection(request, org_pk)
    paused = not connection.paused
    message = _("Connexion mise en pause.") if paused else _("Connexion reprise.")
    return button_action(
        request, lambda: services.set_paused(connection, paused), message, reverse("francevae:edit", args=[org_pk])
    )


@certifier_required
def document_download(request, pk: int):
    document = get_object_or_404(FranceVaeDocument.objects.select_related("link__dossier"), pk=pk)
    grant = file_access.grant_or_404(request.user, "francevae_document", document, as_="certifier")  # francevae.files
    return serve_file(document.file, document.name, document.content_type, on_read=grant.on_read)
