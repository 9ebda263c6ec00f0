"""Shared by the back-office views: every view is certifier-only, and a form view calls one
service, shows a domain error on the form (keeping what was typed) or redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from certifications.services import CertificationError
from dossiers.services import DossierError
from juries.services import JuryError

DOMAIN_ERRORS = (CertificationError, DossierError, JuryError)


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def form_action(
    request,
    form,
    action: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    context: dict[str, Any],
    success_url: str | Callable[[Any], str],
    success_message: str | Callable[[Any], str] = "",
):
    """GET shows ``form``; a valid POST runs ``action(cleaned_data)`` (one service call) and
    redirects; a refusal is shown on the form, with everything the user typed still there."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data)
        except (*DOMAIN_ERRORS, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            message = success_message(result) if callable(success_message) else success_message
            if message:
                messages.success(request, message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    return render(request, template, {**context, "form": form})


def button_action(request, action: Callable[[], Any], success_message: str, url: str):
    """A POST-only button (move, delete, publish…): run, say what happened, go back."""
    try:
        action()
    except (*DOMAIN_ERRORS, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success_message)
    return redirect(url)
