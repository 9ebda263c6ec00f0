from django.apps import AppConfig


class FranceVaeConfig(AppConfig):
    name = "francevae"
    verbose_name = "France VAE"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from francevae import files, receivers  # noqa: F401 -- receivers connects the outgoing hooks

        files.register()  # France VAE documents in the one door for files (core.file_access)
