from django.contrib import admin

from documents.models import GeneratedDocument


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "dossier", "status", "attempts", "pages", "pdfa", "created_at", "finished_at"]
    list_filter = ["kind", "status", "pdfa"]
    list_select_related = ["dossier__candidate", "dossier__certification"]
    search_fields = ["dossier__candidate__email", "dossier__certification__title", "sha256", "error"]
    # Rows change through documents.services only (retry from the dossier's page).
    readonly_fields = [f.name for f in GeneratedDocument._meta.fields]

    def has_add_permission(self, request):
        return False
