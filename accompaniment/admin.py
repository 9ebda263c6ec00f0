from django.contrib import admin

from accompaniment.models import Accompaniment, Comment, Meeting, Opinion, Organisation, StaffMember


class StaffInline(admin.TabularInline):
    model = StaffMember
    extra = 0
    fields = ["user", "is_manager", "active", "added_at", "deactivated_at"]
    readonly_fields = ["added_at", "deactivated_at"]
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "postcode", "city", "on_site", "remote", "accessible", "active"]
    list_filter = ["active", "on_site", "remote", "accessible", "certifications"]
    search_fields = ["name", "siret", "city", "postcode", "contact_email"]
    filter_horizontal = ["certifications"]
    date_hierarchy = "created_at"
    inlines = [StaffInline]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    """Staff are added through the organisation's team page (an invitation e-mail with a link to
    choose a password), by its manager or an admin."""

    list_display = ["user", "organisation", "is_manager", "active", "added_at"]
    list_filter = ["active", "is_manager", "organisation"]
    search_fields = ["user__email", "user__last_name", "organisation__name"]
    raw_id_fields = ["user", "invited_by"]
    date_hierarchy = "added_at"


@admin.register(Accompaniment)
class AccompanimentAdmin(admin.ModelAdmin):
    list_display = ["dossier", "organisation", "state", "requested_at", "decided_at", "finished_at"]
    list_filter = ["state", "organisation", "dossier__certification"]
    search_fields = ["dossier__candidate__email", "dossier__candidate__last_name", "organisation__name"]
    raw_id_fields = ["dossier", "decided_by", "finished_by"]
    date_hierarchy = "requested_at"


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["accompaniment", "author", "created_at", "done_at"]
    list_filter = ["accompaniment__organisation", "accompaniment__dossier__certification"]
    search_fields = ["text", "accompaniment__dossier__candidate__email"]
    raw_id_fields = ["accompaniment", "author", "competency", "experience"]
    date_hierarchy = "created_at"


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = ["accompaniment", "verdict", "given_at", "candidate_accepted_at"]
    list_filter = ["verdict", "accompaniment__organisation", "accompaniment__dossier__certification"]
    search_fields = ["accompaniment__dossier__candidate__email", "comment"]
    raw_id_fields = ["accompaniment", "given_by"]
    date_hierarchy = "given_at"


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["accompaniment", "starts_at", "duration_minutes", "kind", "mode", "topic"]
    list_filter = ["kind", "mode", "accompaniment__organisation", "accompaniment__dossier__certification"]
    search_fields = ["topic", "accompaniment__dossier__candidate__email"]
    raw_id_fields = ["accompaniment", "recorded_by"]
    date_hierarchy = "starts_at"
