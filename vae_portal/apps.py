from django.apps import AppConfig


class VaePortalConfig(AppConfig):
    name = "vae_portal"
    verbose_name = "Portail VAE"

    def ready(self) -> None:
        # Every app's admin.py has been imported by now (django.contrib.admin comes first).
        from vae_portal import admin_defaults

        admin_defaults.apply()
