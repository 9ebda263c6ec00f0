from django.contrib import admin
from django.urls import include, path

from accounts.urls import account_pages
from privacy.urls import privacy_pages
from vae_portal import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("plan-du-site/", views.sitemap, name="sitemap"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include((account_pages + privacy_pages, "accounts"))),
    path("certifications/", include("certifications.urls")),
    path("certifier/rncp/", include("certifications.rncp.urls")),
    path("dossiers/", include("dossiers.urls")),
    path("messages/", include("messaging.urls")),
    path("accompagnement/", include("accompaniment.urls")),
    path("certificateur/api/", include("api.page_urls")),
    path("certificateur/france-vae/", include("francevae.urls")),
    path("certificateur/", include("backoffice.urls")),
    path("api/v1/", include("api.urls")),
    path("jury/", include("juries.urls")),
    path("jury/", include("juries.member_urls")),
    path("documents/", include("documents.urls")),
    path("notifications/", include("notifications.urls")),
    path("badges/", include("credentials.urls")),
    path("cdc/", include("accrochage.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]
