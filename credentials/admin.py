from django.contrib import admin

from credentials.models import Badge


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    """Read-only: badges are issued and revoked with the jury's decisions, never by hand."""

    list_display = ["name", "organisation", "candidate", "issued_at", "revoked_at"]
    list_filter = ["organisation"]
    search_fields = ["uuid", "name", "candidate__email"]
    readonly_fields = [f.name for f in Badge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
