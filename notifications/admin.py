from django.contrib import admin

from notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "event", "text", "email_status", "read_at")
    list_filter = (
        "event",
        "email_status",
        ("read_at", admin.EmptyFieldListFilter),
        "dossier__certification",
        "created_at",
    )
    search_fields = ("recipient__email", "recipient__last_name", "text", "=dossier__pk")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient", "dossier")
    readonly_fields = ("created_at", "emailed_at")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "event", "frequency", "updated_at")
    list_filter = ("event", "frequency", "updated_at")
    search_fields = ("user__email", "user__last_name")
    date_hierarchy = "updated_at"
    list_select_related = ("user",)
    raw_id_fields = ("user",)
