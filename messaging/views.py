"""The thread on the candidate's pages, the certifier's writes (the thread and annotations are
shown on the back office's dossier page through ``staff_context`` and one include), and the
attachments' downloads. Views are thin: a permission, a form, one service call."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accompaniment import permissions as accompaniment_permissions
from core import file_access
from core.actions import attempt
from core.files import serve_file
from dossiers.models import Dossier
from dossiers.uploads import UploadRejected
from dossiers.views.files import file_unavailable
from messaging import files, permissions, services
from messaging.forms import AnnotationForm, MessageForm, StaffMessageForm
from messaging.models import Annotation, Message, MessageAttachment, MessageRead, Side


def thread_messages(dossier: Dossier) -> list[Message]:
    """The thread, oldest first, with attachments and read receipts (three queries)."""
    return list(
        Message.objects.filter(dossier=dossier)
        .select_related("author", "organisation")
        .prefetch_related(
            "attachments", Prefetch("reads", queryset=MessageRead.objects.select_related("reader").order_by("read_at"))
        )
        .order_by("created_at", "pk")
    )


@require_http_methods(["GET", "POST"])
def thread(request, pk: int):
    """The candidate's thread with the certifier: read (receipts), write."""
    dossier = permissions.candidate_dossier_or_404(request.user, pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent, _message = attempt(
            request,
            lambda: services.post_message(dossier, request.user, data["text"], files=data["attachments"]),
            _("Votre message est envoyé au certificateur."),
            form=form,
            field_for={UploadRejected: "attachments"},
        )
        if sent:
            return redirect(reverse("messaging:thread", args=[dossier.pk]) + "#messages")
    services.mark_read(dossier, request.user, side=Side.CANDIDATE)
    context = {
        "dossier": dossier,
        "thread": thread_messages(dossier),
        "form": form,
        "open": dossier.feasibility_submitted_at is not None,
        "side": "candidate",
        "accompanying": accompaniment_permissions.accompanying(dossier),
    }
    return render(request, "messaging/thread.html", context)


@require_http_methods(["GET", "POST"])
def accompaniment_thread(request, pk: int):
    """The accompagnateur's thread: read (receipts) while their organisation accompanies the
    dossier or within the read-only period after it; write only while it accompanies it."""
    accompaniment = permissions.accompaniment_or_404(request.user, pk)
    dossier = accompaniment.dossier
    writable = permissions.may_write(request.user, dossier, Side.ACCOMPAGNATEUR)
    if request.method == "POST" and not writable:
        raise PermissionDenied(
            _("L'accompagnement de ce dossier est terminé : vous lisez encore ses échanges, sans y écrire.")
        )
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent, _message = attempt(
            request,
            lambda: services.post_message(dossier, request.user, data["text"], files=data["attachments"]),
            _("Votre message est envoyé au candidat et au certificateur."),
            form=form,
            field_for={UploadRejected: "attachments"},
        )
        if sent:
            return redirect(reverse("messaging:accompaniment_thread", args=[dossier.pk]) + "#messages")
    services.mark_read(dossier, request.user, side=Side.ACCOMPAGNATEUR)
    context = {
        "accompaniment": accompaniment,
        "dossier": dossier,
        "thread": thread_messages(dossier),
        "form": form,
        "open": dossier.feasibility_submitted_at is not None,
        "writable": writable,
        "tab": "messages",
    }
    return render(request, "messaging/accompaniment_thread.html", context)


def staff_context(request, dossier: Dossier) -> dict:
    """What the back office's dossier page shows of the thread and annotations (marks the
    candidate's messages read by this reader, whom the back office has found in its scope)."""
    services.mark_read(dossier, request.user, side=Side.CERTIFIER)
    return {
        "thread": thread_messages(dossier),
        "message_form": StaffMessageForm(),
        "annotations": list(Annotation.objects.filter(dossier=dossier).select_related("author", "resolved_by")),
        "annotation_form": AnnotationForm(),
        "accompanying": accompaniment_permissions.accompanying(dossier),
    }


def _back(dossier: Dossier, anchor: str) -> str:
    return reverse("backoffice:dossier", args=[dossier.pk]) + anchor


def _form_refused(request, form) -> None:
    """A form of the back office's dossier page refused: say which field and why, there."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            flash.error(request, _("%(field)s : %(error)s") % {"field": label, "error": error} if label else error)


@require_POST
def staff_post(request, pk: int):
    dossier = permissions.staff_dossier_or_404(request.user, pk)
    form = StaffMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_refused(request, form)
        return redirect(_back(dossier, "#messages"))
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.post_message(
            dossier,
            request.user,
            data["text"],
            files=data["attachments"],
            request_correction=data["request_correction"],
        ),
        _("Correction demandée : le dossier est « à compléter » et le candidat en est averti par e-mail.")
        if data["request_correction"]
        else _("Message envoyé au candidat."),
    )
    return redirect(_back(dossier, "#messages"))


@require_POST
def annotation_add(request, pk: int):
    dossier = permissions.staff_dossier_or_404(request.user, pk)
    form = AnnotationForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form)
        return redirect(_back(dossier, "#annotations"))
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.add_annotation(dossier, request.user, data["text"], blocks_decision=data["blocks_decision"]),
        _("Annotation enregistrée."),
    )
    return redirect(_back(dossier, "#annotations"))


@require_POST
def annotation_resolve(request, pk: int, annotation_pk: int):
    dossier = permissions.staff_dossier_or_404(request.user, pk)
    annotation = get_object_or_404(Annotation, pk=annotation_pk, dossier=dossier)
    attempt(
        request,
        lambda: services.resolve_annotation(annotation, request.user),
        _("Annotation marquée comme traitée."),
    )
    return redirect(_back(dossier, "#annotations"))


def _serve(request, attachment: MessageAttachment, as_: str, back: str):
    grant = file_access.grant_or_404(request.user, files.KIND, attachment, as_=as_)
    if not grant.is_open:
        return file_unavailable(request, attachment.scan_status, back)
    return serve_file(attachment.file, attachment.original_name, attachment.content_type, on_read=grant.on_read)


@require_http_methods(["GET"])
def attachment(request, pk: int, attachment_pk: int):
    dossier = permissions.candidate_dossier_or_404(request.user, pk)
    found = get_object_or_404(
        MessageAttachment.objects.select_related("message__dossier"), pk=attachment_pk, message__dossier=dossier
    )
    return _serve(request, found, "candidate", reverse("messaging:thread", args=[dossier.pk]))


@require_http_methods(["GET"])
def staff_attachment(request, pk: int, attachment_pk: int):
    dossier = permissions.staff_dossier_or_404(request.user, pk)
    found = get_object_or_404(
        MessageAttachment.objects.select_related("message__dossier"), pk=attachment_pk, message__dossier=dossier
    )
    return _serve(request, found, "certifier", _back(dossier, "#messages"))


@require_http_methods(["GET"])
def accompaniment_attachment(request, pk: int, attachment_pk: int):
    accompaniment = permissions.accompaniment_or_404(request.user, pk)
    found = get_object_or_404(
        MessageAttachment.objects.select_related("message__dossier"),
        pk=attachment_pk,
        message__dossier_id=accompaniment.dossier_id,
    )
    return _serve(
        request, found, "accompaniment", reverse("messaging:accompaniment_thread", args=[accompaniment.dossier_id])
    )
