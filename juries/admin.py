"""Admin for jury sessions. Read and search here; changes of state go through the services
(the back office pages), so that dossiers move and candidates are told."""

from django.contrib import admin

from juries.models import Convocation, JuryMember, JurySession


class JuryMemberInline(admin.TabularInline):
    model = JuryMember
    extra = 0
    fields = ["user", "role", "invited", "created_at"]
    readonly_fields = ["invited", "created_at"]
    raw_id_fields = ["user"]


class ConvocationInline(admin.TabularInline):
    model = Convocation
    extra = 0
    fields = ["dossier", "starts_at", "ends_at", "status", "attendance", "notice"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JurySession)
class JurySessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "certification", "starts_at", "place", "capacity", "status"]
    list_filter = ["status", "certification"]
    list_select_related = ["certification"]
    search_fields = ["certification__code", "certification__title", "place", "notes"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["certification", "created_by"]
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    inlines = [JuryMemberInline, ConvocationInline]


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "session", "invited", "created_at"]
    list_filter = ["role", "invited"]
    list_select_related = ["user", "session__certification"]
    search_fields = ["user__email", "user__last_name", "session__certification__code"]
    raw_id_fields = ["user", "session", "added_by"]


@admin.register(Convocation)
class ConvocationAdmin(admin.ModelAdmin):
    list_display = ["dossier", "session", "starts_at", "ends_at", "status", "attendance"]
    list_filter = ["status", "attendance"]
    list_select_related = ["dossier__candidate", "dossier__certification", "session__certification"]
    search_fields = ["dossier__candidate__email", "dossier__candidate__last_name", "session__certification__code"]
    readonly_fields = [
        "session",
        "dossier",
        "starts_at",
        "ends_at",
        "status",
        "notice",
        "attendance",
        "attendance_recorded_at",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False
