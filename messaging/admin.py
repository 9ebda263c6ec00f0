from django.contrib import admin

from messaging.models import Annotation, Message, MessageAttachment, MessageRead


class AttachmentInline(admin.TabularInline):
    model = MessageAttachment
    extra = 0
    fields = ["original_name", "content_type", "size", "sha256", "scan_status"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReadInline(admin.TabularInline):
    model = MessageRead
    extra = 0
    fields = ["reader", "read_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "dossier", "side", "author", "organisation", "requests_correction", "created_at"]
    list_filter = ["side", "requests_correction", "dossier__status", "dossier__certification", "created_at"]
    list_select_related = ["dossier__candidate", "dossier__certification", "author", "organisation"]
    search_fields = [
        "text",
        "dossier__candidate__email",
        "dossier__candidate__last_name",
        "author__email",
        "organisation__name",
    ]
    date_hierarchy = "created_at"
    raw_id_fields = ["dossier", "author", "organisation"]
    # Written through the services only (audit trail, correction requests).
    readonly_fields = ["dossier", "author", "side", "organisation", "requests_correction", "created_at"]
    inlines = [AttachmentInline, ReadInline]


@admin.register(MessageAttachment)
class MessageAttachmentAdmin(admin.ModelAdmin):
    list_display = ["pk", "original_name", "message", "size", "scan_status"]
    list_filter = ["scan_status", "message__dossier__certification", "message__created_at", "scan_updated_at"]
    list_select_related = ["message"]
    search_fields = ["original_name", "sha256", "message__dossier__candidate__email"]
    date_hierarchy = "message__created_at"
    readonly_fields = ["message", "file", "original_name", "content_type", "size", "sha256"]


@admin.register(MessageRead)
class MessageReadAdmin(admin.ModelAdmin):
    list_display = ["pk", "message", "reader", "read_at"]
    list_filter = ["message__dossier__certification", "read_at"]
    list_select_related = ["message", "reader"]
    search_fields = ["reader__email", "message__dossier__candidate__email"]
    date_hierarchy = "read_at"
    raw_id_fields = ["message", "reader"]


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["pk", "dossier", "author", "blocks_decision", "resolved_at", "created_at"]
    list_filter = ["blocks_decision", "resolved_at", "dossier__status", "dossier__certification", "created_at"]
    list_select_related = ["dossier__candidate", "dossier__certification", "author"]
    search_fields = [
        "text",
        "dossier__candidate__email",
        "dossier__candidate__last_name",
        "author__email",
    ]
    date_hierarchy = "created_at"
    raw_id_fields = ["dossier", "author", "resolved_by"]
