"""A person's notifications: the list, opening one (marks it read, goes to the page
concerned), "tout marquer comme lu", and the e-mail preferences. Each person reaches only their
own: another's notification is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from certifications.models import Certifier
from core.http import is_local_path
from notifications import events, services
from notifications.forms import PreferencesForm
from notifications.models import Notification

PAGE_SIZE = 30


@require_GET
def notification_list(request):
    notifications = Notification.objects.of(request.user).select_related("dossier__candidate", "dossier__certification")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": services.unread_count(request.user)},
    )


@require_GET
def notification_open(request, pk: int):
    """Mark the notification read and go to the page concerned."""
    try:
        notification = services.mark_read(request.user, pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    # A path on this site only (notify() is given paths; a stored address elsewhere is not followed).
    return redirect(notification.url if is_local_path(notification.url) else "notifications:list")


@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(
            request,
            ngettext("%(n)s notification marquée comme lue.", "%(n)s notifications marquées comme lues.", count)
            % {"n": count},
        )
    return redirect("notifications:list")


def preferences(request):
    is_staff = request.user.is_superuser or Certifier.objects.filter(staff=request.user).exists()
    shown = events.configurable_for(is_staff)
    form = PreferencesForm(
        request.POST or None, events_shown=shown, initial_choices=services.preferences_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, form.cleaned_data)
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "shown": shown})
