from django.apps import AppConfig


class FranceVaeConfig(AppConfig):
    name = "francevae"
    verbose_name = "France VAE"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from francevae import receivers  # noqa: F401  (connects the outgoing hooks)
