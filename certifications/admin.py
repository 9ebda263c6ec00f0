"""Admin for the referential. A published or archived version is read-only here too:
every change permission checks ``is_editable``, and the actions go through the services."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from certifications import services
from certifications.models import (
    AssessmentMethod,
    Block,
    Certification,
    CertificationEvent,
    Certifier,
    Competency,
    RncpUpload,
    RncpUploadFiche,
    Rubric,
    RubricCriterion,
    RubricLevel,
)


def _editable(obj) -> bool:
    if isinstance(obj, Certification):
        return obj.is_editable
    cert = getattr(obj, "certification", None)
    if cert is None and hasattr(obj, "block"):
        cert = obj.block.certification
    if cert is None and hasattr(obj, "rubric"):
        cert = obj.rubric.certification
    return cert is None or cert.is_editable


class ReadOnlyWhenPublishedMixin:
    """Change and delete are refused once the certification version left the draft state."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or _editable(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or _editable(obj))


class InlineReadOnlyWhenPublished(ReadOnlyWhenPublishedMixin):
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or _editable(obj))


@admin.register(Certifier)
class CertifierAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "commercial_name", "siret", "website", "contact_email"]
    search_fields = ["legal_name", "commercial_name", "siret", "contact_email"]
    # Which organisations miss what candidates and convocations need (a SIRET, a contact).
    list_filter = [
        "certifications__status",
        ("siret", admin.EmptyFieldListFilter),
        ("contact_email", admin.EmptyFieldListFilter),
        ("staff", admin.EmptyFieldListFilter),
    ]
    filter_horizontal = ["staff"]


class BlockInline(InlineReadOnlyWhenPublished, admin.TabularInline):
    model = Block
    extra = 0
    fields = ["order", "code", "title", "domain"]
    show_change_link = True


class AssessmentMethodInline(InlineReadOnlyWhenPublished, admin.StackedInline):
    model = AssessmentMethod
    extra = 0
    fields = ["block", "kind", "title", "description", "duration", "length", "assessors", "order"]
    show_change_link = True


class EventInline(admin.TabularInline):
    model = CertificationEvent
    extra = 0
    fields = ["created_at", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Certification)
class CertificationAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["title", "code", "level", "version", "status", "end_of_registration"]
    list_filter = ["status", "level", "certifiers"]
    search_fields = ["title", "code", "slug", "certifiers__legal_name", "certifiers__commercial_name"]
    readonly_fields = [
        "lineage",
        "version",
        "status",
        "published_at",
        "created_at",
        "updated_at",
        "referential",
        "registration_length",
    ]
    filter_horizontal = ["certifiers"]
    inlines = [BlockInline, AssessmentMethodInline, EventInline]
    actions = ["publish_action", "new_version_action"]
    fieldsets = [
        (None, {"fields": ["code", "slug", "title", "level", "certifiers", "status", "version", "lineage"]}),
        (
            _("Codes et dates"),
            {
                "fields": [
                    "nsf_codes",
                    "formacodes",
                    "rome_codes",
                    "end_of_registration",
                    "rncp_decision_date",
                    "registration_length",
                    "replaces_code",
                    "replaces",
                ]
            },
        ),
        (
            _("Règles"),
            {
                "fields": [
                    "rules",
                    "requires_all_blocks",
                    "requires_transversal",
                    "partial_validation",
                    "jury_composition",
                    "jury_composition_date",
                    "prerequisites",
                    "regulatory_prerequisites",
                    "options",
                    "foreign_languages",
                    "parcours",
                    "fees",
                    "jury_place",
                    "min_narrative_length",
                ]
            },
        ),
        (_("Registre RNCP"), {"fields": ["open_to_vae", "rncp_status", "replaced_by_code"]}),
        (_("Référentiel complet"), {"fields": ["referential"]}),
        (_("Notes"), {"fields": ["notes", "source", "published_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("durée de l'enregistrement (années)"))
    def registration_length(self, obj):
        return obj.registration_years if obj is not None and obj.registration_years else "-"

    @admin.display(description=_("blocs et compétences"))
    def referential(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        blocks = obj.blocks.prefetch_related("competencies")
        return format_html_join(
            "",
            "<h4>{}</h4><ol>{}</ol>",
            (
                (
                    str(b),
                    format_html_join(
                        "",
                        "<li>{} {} {}</li>",
                        ((c.group and f"[{c.group}]", c.code, c.text) for c in b.competencies.all()),
                    ),
                )
                for b in blocks
            ),
        )

    @admin.action(description=_("Publier les brouillons sélectionnés"))
    def publish_action(self, request, queryset):
        for cert in queryset:
            try:
                services.publish(cert, actor=request.user)
                self.message_user(request, _("%(c)s publiée.") % {"c": cert})
            except services.CertificationError as exc:
                self.message_user(request, f"{cert} : {exc}", messages.ERROR)

    @admin.action(description=_("Créer une nouvelle version (brouillon)"))
    def new_version_action(self, request, queryset):
        for cert in queryset:
            try:
                draft = services.new_version(cert, actor=request.user)
                url = reverse("admin:certifications_certification_change", args=[draft.pk])
                self.message_user(request, format_html(_("Brouillon créé : <a href='{}'>{}</a>"), url, draft))
            except services.CertificationError as exc:
                self.message_user(request, f"{cert} : {exc}", messages.ERROR)


class CompetencyInline(InlineReadOnlyWhenPublished, admin.TabularInline):
    model = Competency
    extra = 0
    fields = ["order", "code", "group", "text"]


@admin.register(Block)
class BlockAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["__str__", "certification", "order", "domain"]
    list_select_related = ["certification"]
    search_fields = ["code", "title", "certification__title", "certification__code"]
    list_filter = ["certification__status"]
    inlines = [CompetencyInline]


@admin.register(Competency)
class CompetencyAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["code", "text", "group", "block"]
    list_select_related = ["block__certification"]
    search_fields = ["code", "text", "group", "block__code", "block__certification__code"]
    list_filter = ["block__certification", "block__certification__status", ("code", admin.EmptyFieldListFilter)]


@admin.register(AssessmentMethod)
class AssessmentMethodAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "certification", "block"]
    list_select_related = ["certification", "block"]
    search_fields = ["title", "description", "certification__title", "certification__code"]
    list_filter = ["kind"]


class RubricLevelInline(InlineReadOnlyWhenPublished, admin.TabularInline):
    model = RubricLevel
    extra = 0


class RubricCriterionInline(InlineReadOnlyWhenPublished, admin.StackedInline):
    model = RubricCriterion
    extra = 0
    filter_horizontal = ["competencies"]


@admin.register(Rubric)
class RubricAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["__str__", "certification", "block", "assessment_method", "pass_threshold_percent"]
    list_select_related = ["certification", "block", "assessment_method"]
    search_fields = ["title", "certification__title", "certification__code", "block__code", "block__title"]
    inlines = [RubricLevelInline, RubricCriterionInline]


@admin.register(CertificationEvent)
class CertificationEventAdmin(admin.ModelAdmin):
    list_display = ["certification", "from_status", "to_status", "actor", "created_at"]
    search_fields = ["certification__title", "certification__code", "actor__email", "comment"]
    readonly_fields = ["certification", "actor", "from_status", "to_status", "comment", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.site_header = _("Portail VAE — administration")
admin.site.site_title = _("Portail VAE")


@admin.register(RubricLevel)
class RubricLevelAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["label", "points", "rubric"]
    list_select_related = ["rubric"]
    search_fields = ["label", "rubric__title", "rubric__certification__code"]


@admin.register(RubricCriterion)
class RubricCriterionAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["text", "weight", "rubric"]
    list_select_related = ["rubric"]
    search_fields = ["text", "rubric__title", "rubric__certification__code"]
    filter_horizontal = ["competencies"]


@admin.register(RncpUpload)
class RncpUploadAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "flux_version", "fiche_count", "uploaded_by", "uploaded_at"]
    list_filter = ["status"]
    search_fields = ["original_name", "uploaded_by__email"]
    readonly_fields = [
        "original_name",
        "size",
        "status",
        "error",
        "attempts",
        "flux_version",
        "fiche_count",
        "uploaded_by",
        "organisations",
        "uploaded_at",
        "queued_at",
        "started_at",
        "finished_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False


@admin.register(RncpUploadFiche)
class RncpUploadFicheAdmin(admin.ModelAdmin):
    """The fiches a worker read from an uploaded flux: read-only, as the worker stored them."""

    list_display = ["code", "upload"]
    list_select_related = ["upload"]
    search_fields = ["code"]
    list_filter = ["upload__status", "upload__flux_version", "upload__uploaded_at"]
    readonly_fields = ["upload", "code", "data"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
