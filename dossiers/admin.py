from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from dossiers.models import (
    BlockStatement,
    CivilIdentity,
    CompetencyStatement,
    Dossier,
    Experience,
    Feasibility,
    Proof,
    Snapshot,
    TransitionLog,
    TransversalStatement,
)


class TransitionInline(admin.TabularInline):
    model = TransitionLog
    extra = 0
    fields = ["created_at", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ExperienceInline(admin.StackedInline):
    model = Experience
    extra = 0


class ProofInline(admin.TabularInline):
    model = Proof
    extra = 0
    fields = ["title", "kind", "date", "original_name", "size", "sha256", "scan_status"]
    readonly_fields = ["original_name", "size", "sha256", "scan_status"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["pk", "candidate", "certification", "status", "created_at", "updated_at"]
    list_filter = ["status", "certification"]
    list_select_related = ["candidate", "certification"]
    search_fields = [
        "candidate__email",
        "candidate__last_name",
        "certification__title",
        "certification__code",
    ]
    raw_id_fields = ["candidate", "certification"]
    filter_horizontal = ["target_blocks", "acquired_blocks"]
    # The state only changes through the services (transition log, e-mails): never by hand here.
    readonly_fields = [
        "status",
        "identity_scan_status",
        "identity_scan_detail",
        "identity_scan_updated_at",
        "feasibility_submitted_at",
        "validation_submitted_at",
        "created_at",
        "updated_at",
        "history",
    ]
    inlines = [ExperienceInline, ProofInline, TransitionInline]

    @admin.display(description=_("historique"))
    def history(self, obj: Dossier) -> str:
        """Links to the dossier's audit trail (and to its history page once certifiers see it)."""
        if obj.pk is None:
            return "—"
        links = [(reverse("admin:audit_auditevent_changelist") + f"?dossier__id__exact={obj.pk}", _("journal d'audit"))]
        if obj.feasibility_submitted_at:
            links.insert(0, (reverse("backoffice:dossier_history", args=[obj.pk]), _("historique complet")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links) or format_html("—")


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    list_display = ["dossier", "from_status", "to_status", "actor", "created_at"]
    list_select_related = ["dossier__candidate", "dossier__certification", "actor"]
    list_filter = ["to_status"]
    search_fields = ["dossier__candidate__email", "actor__email", "comment"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(TransversalStatement)
class TransversalStatementAdmin(admin.ModelAdmin):
    """A candidate's narrative for a transversal assessment of the VAE route (004)."""

    list_display = ["dossier", "assessment_method", "version", "updated_at"]
    list_select_related = ["dossier__candidate", "assessment_method"]
    list_filter = ["dossier__certification", "dossier__status", "updated_at"]
    search_fields = ["dossier__candidate__email", "narrative"]
    date_hierarchy = "updated_at"
    raw_id_fields = ["dossier", "proofs"]


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    list_display = ["role", "organisation", "kind", "start_date", "end_date", "dossier"]
    list_select_related = ["dossier__candidate", "dossier__certification"]
    search_fields = ["role", "organisation", "dossier__candidate__email"]
    list_filter = ["kind"]


@admin.register(Proof)
class ProofAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "original_name", "size", "scan_status", "dossier", "uploaded_at"]
    list_select_related = ["dossier__candidate", "dossier__certification"]
    search_fields = ["title", "original_name", "sha256", "dossier__candidate__email"]
    list_filter = ["kind", "content_type", "scan_status"]
    # The antivirus verdict is the scanner's (dossiers.scanning), never typed by hand.
    readonly_fields = ["scan_status", "scan_detail", "scan_updated_at"]


@admin.register(CompetencyStatement)
class CompetencyStatementAdmin(admin.ModelAdmin):
    list_display = ["dossier", "competency", "self_assessment", "version", "updated_at"]
    list_select_related = ["dossier__candidate", "dossier__certification", "competency__block"]
    search_fields = ["dossier__candidate__email", "competency__text", "competency__code", "narrative"]
    raw_id_fields = ["dossier", "competency"]
    filter_horizontal = ["experiences", "proofs"]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["dossier", "kind", "number", "sha256", "created_at"]
    list_select_related = ["dossier__candidate", "dossier__certification"]
    search_fields = ["dossier__candidate__email", "sha256"]
    readonly_fields = ["dossier", "kind", "number", "content", "sha256", "created_at", "created_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Feasibility)
class FeasibilityAdmin(admin.ModelAdmin):
    """The dossier de faisabilité's answers (docs/recevabilite.md)."""

    list_display = ["dossier", "nature", "status", "accompaniment", "received_at", "updated_at"]
    list_filter = ["nature", "status", "accompaniment", "dossier__status", "dossier__certification", "received_at"]
    list_select_related = ["dossier__candidate", "dossier__certification"]
    search_fields = ["dossier__candidate__email", "dossier__candidate__last_name", "city", "email"]
    date_hierarchy = "received_at"
    raw_id_fields = ["dossier"]


@admin.register(BlockStatement)
class BlockStatementAdmin(admin.ModelAdmin):
    list_display = ["dossier", "block", "activity", "updated_at"]
    list_filter = ["activity", "dossier__status", "dossier__certification", "updated_at"]
    list_select_related = ["dossier__candidate", "dossier__certification", "block"]
    search_fields = ["dossier__candidate__email", "block__code", "block__title"]
    date_hierarchy = "updated_at"
    raw_id_fields = ["dossier", "block"]


@admin.register(CivilIdentity)
class CivilIdentityAdmin(admin.ModelAdmin):
    """The one civil identity of a candidate on a dossier (dossier de faisabilité, CDC declaration)."""

    list_display = ["dossier", "birth_name", "first_name1", "birth_date", "updated_at"]
    list_filter = ["sex", "born_in_france", "dossier__status", "dossier__certification", "updated_at"]
    list_select_related = ["dossier__candidate", "dossier__certification"]
    search_fields = ["birth_name", "usage_name", "first_name1", "dossier__candidate__email"]
    date_hierarchy = "updated_at"
    raw_id_fields = ["dossier"]
