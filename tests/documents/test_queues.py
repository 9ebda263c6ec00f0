"""Every way the project starts a Celery worker consumes every queue of
settings.CELERY_TASK_QUEUES: the default one (the submitted dossiers' PDFs, scans…) and the
draft previews' own among them."""

import json
import re
import shlex

from django.conf import settings

QUEUES = {queue.name for queue in settings.CELERY_TASK_QUEUES}


def _queues_option(command: str) -> set[str]:
    words = shlex.split(command.replace("\\\n", " "))
    assert "-Q" in words, f"no -Q in {command!r}"
    return set(words[words.index("-Q") + 1].split(","))


def test_the_previews_have_a_queue_besides_the_default_one():
    assert {settings.CELERY_TASK_DEFAULT_QUEUE, settings.DOCUMENTS_PREVIEW_QUEUE} == {"celery", "previews"}
    assert {"celery", "previews"} <= QUEUES


def test_the_worker_of_make_run_consumes_every_queue():
    script = (settings.BASE_DIR / "scripts" / "run.sh").read_text()
    command = re.search(r'"\$CELERY" -A vae_portal worker[^&]*&', script, re.DOTALL).group(0)
    assert _queues_option(command.rstrip("&")) == QUEUES


def test_the_docker_compose_worker_consumes_every_queue():
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    command = re.search(r"\n  worker:\n(?:[^\n]*\n)*?\s+command: (\[.*?\])", compose, re.DOTALL).group(1)
    words = json.loads(command)  # a flow sequence of quoted strings: JSON
    assert words[:4] == ["celery", "-A", "vae_portal", "worker"]
    assert "-Q" in words and set(words[words.index("-Q") + 1].split(",")) == QUEUES


def test_the_test_workers_consume_both_queues():
    from tests.documents.test_worker import WORKER_QUEUES

    assert set(WORKER_QUEUES.split(",")) == QUEUES
