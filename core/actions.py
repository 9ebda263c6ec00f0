"""The view side of the one door for refusals: call one service, show a refusal as a message.

A view does ``scope → get_object_or_404 → form → one service call → message → redirect``. These
helpers hold the last three steps so that no view repeats ``try/except SomeError``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render

from core.errors import DomainError, error_text

REFUSALS = (DomainError, ValidationError)

# An exception class, or a tuple of them as in ``except (A, B)`` (``REFUSALS`` itself).
Kinds = type[Exception] | tuple[type[Exception], ...]


def _first(by_kind: dict[Kinds, Any], exc: Exception, default: Any) -> Any:
    """The value of the first kind of ``by_kind`` that ``exc`` is, else ``default``."""
    return next((value for kind, value in by_kind.items() if isinstance(exc, kind)), default)


def attempt(
    request,
    action: Callable[[], Any],
    success_message: str | Callable[[Any], str] = "",
    *,
    refusal_format: str | dict[Kinds, str] = "",
    form=None,
    field_for: dict[Kinds, str | None] | None = None,
    show: bool | Callable[[Exception], bool] = True,
    on_refusal: Callable[[Exception], Any] | None = None,
) -> tuple[bool, Any]:
    """Run ``action``; on success add ``success_message`` (a text, or a function of the result),
    on refusal add the refusal as an error message. Returns ``(succeeded, result)``.

    What a page needs beyond that, without a ``try/except`` of its own:

    - ``refusal_format``: the text around the refusal, ``"Pièce d'identité refusée : %(why)s"``
      (in a message or on a form's field alike), or one per kind of refusal, the first that
      matches (``{ReferentialFormatError: "Fichier refusé… %(why)s", REFUSALS: "… %(why)s"}``);
    - ``form`` and ``field_for``: a refusal of a listed kind (a class or a tuple of them) is shown
      on that field of ``form`` instead (``{UploadRejected: "file"}``: the file's error beside the
      file input), or with ``None`` as the field among the form's own errors, above its fields
      (``{REFUSALS: None}``); a refusal of no listed kind is still a message;
    - ``show``: ``False`` (or a predicate of the refusal) when the page answers otherwise (an
      autosave's JSON, a conflict's side-by-side page);
    - ``on_refusal(refusal)``: its value is returned instead of ``None`` as the result of a
      refusal (what is missing, the refusal itself), so the page can show more."""
    try:
        result = action()
    except REFUSALS as exc:
        text = error_text(exc)
        fmt = _first(refusal_format, exc, "") if isinstance(refusal_format, dict) else refusal_format
        if fmt:
            text = fmt % {"why": text}
        unlisted = object()
        field = _first(field_for or {}, exc, unlisted)
        if form is not None and field is not unlisted:
            form.add_error(field, text)
        elif show(exc) if callable(show) else show:
            messages.error(request, text)
        return False, on_refusal(exc) if on_refusal is not None else None
    message = success_message(result) if callable(success_message) else success_message
    if message:
        messages.success(request, message)
    return True, result


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
        except REFUSALS as exc:
            form.add_error(None, error_text(exc))
        else:
            message = success_message(result) if callable(success_message) else success_message
            if message:
                messages.success(request, message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    return render(request, template, {**context, "form": form})


def button_action(request, action: Callable[[], Any], success_message: str, url: str):
    """A POST-only button (move, delete, publish…): run, say what happened, go back to ``url``."""
    attempt(request, action, success_message)
    return redirect(url)


def json_refusal(refusal: str | Exception, status: int = 403, kind: str = "refused") -> JsonResponse:
    """An autosave's answer when a save is not made: ``{"status": kind, "message": …}``, 403
    for a refusal (a domain error or a rule), 400 with ``kind="invalid"`` for bad input. The
    page's script shows the message beside the field and keeps what was typed."""
    message = error_text(refusal) if isinstance(refusal, Exception) else refusal
    return JsonResponse({"status": kind, "message": message}, status=status)
