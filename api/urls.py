"""/api/v1/: the API's URLs, each wrapped by ``api.http.api_view``."""

from django.urls import URLPattern, URLResolver

from api.http import api_view
from api.main import api


def _wrapped(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            _wrapped(p.url_patterns)
        elif isinstance(p, URLPattern):
            p.callback = api_view(p.callback)
    return patterns


app_name = "api"
urlpatterns = _wrapped(list(api.urls[0]))
