"""The certifier pages for API tokens and webhooks: staff of an organisation create a token (its
secret shown once), list and revoke their organisation's tokens; add a webhook (its signing secret
shown once), disable, enable or delete it, see the recent deliveries and send one again.
Certifiers only (403 otherwise); a token or webhook of another organisation answers 404."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from api import tokens, webhooks
from api.models import ApiToken, Scope, WebhookEndpoint, WebhookEventType, WebhookMessage
from backoffice.permissions import certifier_required, organisations_for
from core.actions import attempt
from core.errors import DomainError


class TokenForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Organisme"))
    name = forms.CharField(
        label=gettext_lazy("Nom du jeton"),
        max_length=100,
        help_text=gettext_lazy("Le système qui l'utilisera, par exemple « SI scolarité »."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Droits"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple, initial=[Scope.READ]
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


def _tokens_for(user):
    return ApiToken.objects.filter(organisation__in=organisations_for(user)).select_related(
        "organisation", "created_by"
    )


@certifier_required
def token_list(request):
    organisations = organisations_for(request.user)
    form = TokenForm(request.POST or None, organisations=organisations)
    secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created, new = attempt(
            request,
            lambda: tokens.create_token(data["organisation"], data["name"], data["scopes"], created_by=request.user),
            form=form,
            field_for={DomainError: None},
        )
        if created:
            secret = new.secret
            form = TokenForm(organisations=organisations)
    context = {"form": form, "tokens": _tokens_for(request.user), "secret": secret}
    response = render(request, "api/tokens.html", context)
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@certifier_required
def token_revoke(request, pk: int):
    token = get_object_or_404(_tokens_for(request.user), pk=pk)
    attempt(
        request, lambda: tokens.revoke_token(token, request.user), _("Jeton « %(n)s » révoqué.") % {"n": token.name}
    )
    return redirect("api_tokens:list")


# --- webhooks ------------------------------------------------------------------------------


class WebhookForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Organisme"))
    url = forms.CharField(
        label=gettext_lazy("Adresse"),
        max_length=500,
        help_text=gettext_lazy("Adresse https:// de votre système qui recevra les événements (POST en JSON)."),
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Événements"), choices=WebhookEventType.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


def _endpoints_for(user):
    return WebhookEndpoint.objects.filter(organisation__in=organisations_for(user)).select_related("organisation")


RECENT_MESSAGES = 30


@certifier_required
def webhook_list(request):
    organisations = organisations_for(request.user)
    form = WebhookForm(request.POST or None, organisations=organisations)
    secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created, endpoint = attempt(
            request,
            lambda: webhooks.create_endpoint(
                data["organisation"], data["url"], data["events"], data["description"], created_by=request.user
            ),
            form=form,
            field_for={DomainError: None},
        )
        if created:
            secret = endpoint.secret
            form = WebhookForm(organisations=organisations)
    endpoints = _endpoints_for(request.user)
    messages = (
        WebhookMessage.objects.filter(endpoint__in=endpoints)
        .select_related("endpoint")
        .prefetch_related("deliveries")
        .order_by("-created_at", "-pk")[:RECENT_MESSAGES]
    )
    context = {"form": form, "endpoints": endpoints, "messages_sent": messages, "secret": secret}
    response = render(request, "api/webhooks.html", context)
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@certifier_required
def webhook_toggle(request, pk: int):
    endpoint = get_object_or_404(_endpoints_for(request.user), pk=pk)
    active = not endpoint.is_active
    done = _("Webhook réactivé.") if active else _("Webhook désactivé.")
    attempt(request, lambda: webhooks.set_active(endpoint, active, request.user), done)
    return redirect("api_tokens:webhooks")


@require_POST
@certifier_required
def webhook_delete(request, pk: int):
    endpoint = get_object_or_404(_endpoints_for(request.user), pk=pk)
    attempt(request, lambda: webhooks.delete_endpoint(endpoint, request.user), _("Webhook supprimé."))
    return redirect("api_tokens:webhooks")


@require_POST
@certifier_required
def webhook_replay(request, pk: int):
    message = get_object_or_404(WebhookMessage.objects.filter(endpoint__in=_endpoints_for(request.user)), pk=pk)
    attempt(request, lambda: webhooks.replay(message, request.user), _("Événement renvoyé."))
    return redirect("api_tokens:webhooks")
