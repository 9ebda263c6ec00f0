"""With a shared cache (CACHE_URL: Redis, as docker-compose runs it) sessions are read from the
cache, not from the database on each request; a logout ends them for every process."""

import os
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.faults.conftest import require_redis

pytestmark = pytest.mark.django_db


def engine_with(cache_url: str) -> str:
    env = {**os.environ, "CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "vae_portal.settings"}
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


def test_sessions_live_in_the_shared_cache_only_when_there_is_one():
    assert engine_with("redis://127.0.0.1:6379/1").strip() == "django.contrib.sessions.backends.cached_db"
    assert engine_with("").strip() == "django.contrib.sessions.backends.db"


@pytest.mark.services
def test_a_cached_session_is_read_without_sql_and_a_logout_ends_it_everywhere(settings):
    require_redis()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL.rsplit("/", 1)[0] + "/7",
            "KEY_PREFIX": "cached-sessions-test",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SESSION_REFRESH_SECONDS = 60
    user = UserFactory()
    browser, other_tab = Client(), Client()
    browser.force_login(user)
    other_tab.cookies = browser.cookies
    browser.get(reverse("home"))  # the refresh of this minute

    with CaptureQueriesContext(connection) as queries:
        assert browser.get(reverse("home")).status_code == 200
    assert not any("django_session" in q["sql"] for q in queries.captured_queries)
    assert Session.objects.filter(session_key=browser.session.session_key).exists()  # written through

    browser.post(reverse("logout"))

    assert other_tab.get(reverse("home")).context["user"].is_anonymous
