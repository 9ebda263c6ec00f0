from django.contrib import admin

from api.models import ApiToken, IdempotentResponse


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "organisation", "created_at"]
    search_fields = [
        "name",
        "prefix",
        "organisation__legal_name",
        "organisation__commercial_name",
        "organisation__siret",
    ]
    readonly_fields = ["prefix", "key_sha256", "user", "created_by", "created_at", "last_used_at", "revoked_by"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]

    def has_add_permission(self, request):
        # A token is created by the page or the command, which show its secret once.
        return False


@admin.register(IdempotentResponse)
class IdempotentResponseAdmin(admin.ModelAdmin):
    list_display = ["token", "key", "status", "created_at"]
    search_fields = ["key", "token__name", "token__prefix"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in IdempotentResponse._meta.fields]
