from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by the services, never by hand."""

    list_display = ["created_at", "updated_at", "action_label", "target_repr", "actor", "dossier", "saves"]
    list_select_related = ["actor", "dossier__candidate", "dossier__certification"]
    list_filter = ["action", "created_at"]
    search_fields = [
        "action",
        "target_repr",
        "comment",
        "actor__email",
        "actor__last_name",
        "dossier__candidate__email",
        "dossier__candidate__last_name",
        "certification__code",
        "certification__title",
        "=dossier__id",
    ]
    date_hierarchy = "created_at"
    raw_id_fields = ["actor", "dossier", "certification"]

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj: AuditEvent) -> str:
        return obj.label

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
