from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "docgen.web"
    label = "docgen_web"
    verbose_name = "docgen"
    default_auto_field = "django.db.models.BigAutoField"
