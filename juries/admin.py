"""Admin for jury sessions. Read and search here; changes of state go through the services
(the back office pages), so that dossiers move and candidates are told."""

from django.contrib import admin

from juries.models import (
    BlockDecision,
    ConflictDeclaration,
    Convocation,
    CriterionScore,
    Decision,
    DivergenceSettlement,
    Evaluation,
    JuryDocument,
    JuryMember,
    JurySession,
    Minutes,
    Signature,
)


class JuryMemberInline(admin.TabularInline):
    model = JuryMember
    extra = 0
    fields = ["user", "role", "invited", "present", "created_at"]
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
        "sequence",
        "reminded_at",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False


# --- deliberation: read here; every change goes through juries.services --------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the jury's pages write (declarations, scorings, decisions, signatures): an audit
    trail, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["member", "convocation", "link", "declared_at"]
    list_filter = ["link"]
    list_select_related = ["member__user", "convocation__dossier__candidate", "convocation__session__certification"]
    search_fields = ["member__user__email", "convocation__dossier__candidate__email"]


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
    fields = ["criterion", "level", "remark"]
    readonly_fields = fields
    can_delete = False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["member", "convocation", "rubric", "status", "version", "validated_at"]
    list_filter = ["status"]
    list_select_related = ["member__user", "convocation__dossier__candidate", "convocation__session__certification"]
    search_fields = ["member__user__email", "convocation__dossier__candidate__email"]
    inlines = [CriterionScoreInline]


@admin.register(CriterionScore)
class CriterionScoreAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "criterion", "level"]
    list_select_related = ["evaluation__member__user", "evaluation__rubric", "criterion", "level"]
    search_fields = ["evaluation__member__user__email", "criterion__text"]
    list_filter = [
        "evaluation__status",
        "evaluation__rubric__certification",
        "evaluation__member__role",
        ("level", admin.EmptyFieldListFilter),
    ]


class BlockDecisionInline(admin.TabularInline):
    model = BlockDecision
    extra = 0
    fields = ["block", "assessment_method", "validated", "justification", "recommendations"]
    readonly_fields = fields
    can_delete = False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "result", "decided_by", "decided_at", "revoked_at"]
    list_filter = ["result"]
    list_select_related = ["dossier__candidate", "dossier__certification", "decided_by"]
    search_fields = ["dossier__candidate__email", "dossier__candidate__last_name", "revocation_reason"]
    inlines = [BlockDecisionInline]


@admin.register(BlockDecision)
class BlockDecisionAdmin(ReadOnlyAdmin):
    list_display = ["decision", "block", "assessment_method", "validated"]
    list_filter = ["validated"]
    list_select_related = ["decision__dossier__candidate", "block", "assessment_method"]
    search_fields = ["decision__dossier__candidate__email", "block__code", "block__title"]


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    fields = ["member", "content_sha256", "signed_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ["session", "status", "finalised_at", "content_sha256"]
    list_filter = ["status"]
    list_select_related = ["session__certification"]
    search_fields = ["session__certification__code", "content_sha256", "composition_override_reason"]
    exclude = ["content"]
    inlines = [SignatureInline]


@admin.register(DivergenceSettlement)
class DivergenceSettlementAdmin(ReadOnlyAdmin):
    """The levels the présidents retained where members diverged (set through the deliberation)."""

    list_display = ["convocation", "criterion", "level", "settled_by", "settled_at"]
    list_filter = ["convocation__session__certification", "settled_at"]
    list_select_related = [
        "convocation__dossier__candidate",
        "convocation__session",
        "criterion",
        "level",
        "settled_by",
    ]
    search_fields = ["convocation__dossier__candidate__email", "criterion__text", "justification"]
    date_hierarchy = "settled_at"


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["minutes", "member", "signed_at", "content_sha256"]
    list_select_related = ["minutes__session__certification", "member__user"]
    search_fields = ["member__user__email", "content_sha256"]


@admin.register(JuryDocument)
class JuryDocumentAdmin(ReadOnlyAdmin):
    list_display = ["kind", "session", "convocation", "status", "attempts", "sha256", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["session__certification", "convocation__dossier__candidate"]
    search_fields = ["sha256", "session__certification__code", "convocation__dossier__candidate__email"]
