from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import DraftPurgeNotice, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    list_filter = ["is_staff", "is_superuser", "is_active", "awaiting_email_confirmation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name", "phone"]}),
        (
            _("Droits"),
            {
                "fields": [
                    "is_active",
                    "awaiting_email_confirmation",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(DraftPurgeNotice)
class DraftPurgeNoticeAdmin(admin.ModelAdmin):
    list_display = ["dossier", "sent_at", "purge_after"]
    list_select_related = ["dossier__candidate", "dossier__certification"]
    search_fields = ["dossier__candidate__email", "dossier__certification__code", "=dossier__id"]
    raw_id_fields = ["dossier"]
    date_hierarchy = "sent_at"
