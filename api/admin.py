from django.contrib import admin

from api.models import (
    ApiToken,
    IdempotentResponse,
    ImportedResult,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)


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


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "organisation", "events", "is_active", "created_at"]
    list_filter = ["is_active", "organisation", "created_at"]
    search_fields = ["url", "description", "organisation__legal_name", "organisation__commercial_name"]
    readonly_fields = ["created_by", "created_at"]
    exclude = ["secret"]  # shown once, on the certifier page; kept only to sign
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]

    def has_add_permission(self, request):
        # An endpoint is added on the certifier page, which shows its secret once.
        return False


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookMessage)
class WebhookMessageAdmin(admin.ModelAdmin):
    list_display = ["event_type", "event_id", "endpoint", "status", "attempts", "created_at", "delivered_at"]
    list_filter = ["status", "event_type", "created_at", "endpoint__organisation"]
    search_fields = ["event_id", "endpoint__url", "endpoint__organisation__legal_name"]
    readonly_fields = [f.name for f in WebhookMessage._meta.fields]
    list_select_related = ["endpoint__organisation"]
    inlines = [WebhookDeliveryInline]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["message", "attempt", "started_at", "status_code", "succeeded", "duration_ms", "replay"]
    list_filter = ["succeeded", "status_code", "replay", "started_at"]
    search_fields = ["message__event_id", "message__endpoint__url", "error", "response_excerpt"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    list_select_related = ["message__endpoint"]


@admin.register(ImportedResult)
class ImportedResultAdmin(admin.ModelAdmin):
    list_display = ["decision", "token", "imported_at"]
    list_filter = ["imported_at", "token__organisation"]
    search_fields = ["token__name", "token__prefix", "decision__dossier__pk"]
    readonly_fields = ["decision", "token", "imported_at"]
    list_select_related = ["token", "decision"]
