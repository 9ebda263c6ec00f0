from django.contrib import admin

from accrochage.models import CdcAccount, Flux, Passage


@admin.register(CdcAccount)
class CdcAccountAdmin(admin.ModelAdmin):
    list_display = ["organisation", "client_id", "contract_id"]


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    """Read-only: passages follow the jury's decisions, the fluxes and the CDC's reports."""

    list_display = ["id_technique", "action", "organisation", "certification", "awarded_on", "status"]
    list_filter = ["status", "action", "organisation"]
    readonly_fields = [f.name for f in Passage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Flux)
class FluxAdmin(admin.ModelAdmin):
    list_display = ["id_flux", "organisation", "action", "status", "total", "created_at"]
    readonly_fields = [f.name for f in Flux._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
