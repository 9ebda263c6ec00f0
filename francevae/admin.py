from django.contrib import admin

from francevae.models import Connection, FranceVaeDocument, FranceVaeLink, OutboxMessage, SyncEntry


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "base_url", "authority_id", "paused", "last_sync_at", "last_sync_ok"]
    list_filter = ["paused"]
    # The token is set from the certifier page only: never shown, not even encrypted.
    exclude = ["token_encrypted"]
    readonly_fields = ["last_sync_at", "last_sync_ok", "last_error"]


@admin.register(FranceVaeLink)
class LinkAdmin(admin.ModelAdmin):
    list_display = ["candidature_id", "dossier", "connection", "feasibility_status", "updated_at"]
    readonly_fields = ["connection", "candidature_id", "dossier", "feasibility_hash", "validation_hash"]
    search_fields = ["candidature_id"]


@admin.register(FranceVaeDocument)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "link", "size", "received_at"]
    readonly_fields = ["link", "kind", "name", "content_type", "size", "sha256", "file"]


@admin.register(OutboxMessage)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    readonly_fields = ["connection", "link", "kind", "key", "method", "path", "fields", "multipart", "sent_at"]


@admin.register(SyncEntry)
class SyncEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "connection", "link", "direction", "summary", "status_code", "ok"]
    list_filter = ["direction", "ok"]
