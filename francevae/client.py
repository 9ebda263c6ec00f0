"""A small HTTP client for France VAE's interop API (``openapi/reva-interop.yaml``), stdlib only.

Every call has a timeout; 5xx, 429, timeouts and network errors are ``Transient`` (try again
later), other 4xx are ``Refused`` (France VAE said no: sending again would change nothing).
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

from django.conf import settings

MAX_ANSWER_CHARS = 2000


class FranceVaeError(Exception):
    def __init__(self, message: str, status: int | None = None, body: str = ""):
        super().__init__(message)
        self.status = status
        self.body = body[:MAX_ANSWER_CHARS]


class Transient(FranceVaeError):
    pass


class Refused(FranceVaeError):
    pass


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self):
        return json.loads(self.body) if self.body else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")[:MAX_ANSWER_CHARS]


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    def __init__(self, base_url: str, token: str, timeout: float | None = None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout if timeout is not None else settings.FRANCE_VAE_TIMEOUT_SECONDS

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        json_body=None,
        fields: dict[str, str] | None = None,
        files: dict | None = None,
        absolute: bool = False,
        max_bytes: int | None = None,
    ) -> Answer:
        url = path if absolute else self.base_url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if json_body is not None:
            data, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif fields is not None or files:
            data, headers["Content-Type"] = _multipart(fields or {}, files or {})
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:  # noqa: S310 (https or the loopback)
                limit = max_bytes or settings.FRANCE_VAE_MAX_ANSWER_BYTES
                body = response.read(limit + 1)
                if len(body) > limit:
                    raise Refused(f"réponse trop volumineuse (plus de {limit} octets)", response.status)
                return Answer(response.status, body)
        except urllib.error.HTTPError as exc:
            body = exc.read(MAX_ANSWER_CHARS).decode("utf-8", "replace")
            kind = Transient if exc.code >= 500 or exc.code == 429 else Refused
            raise kind(f"HTTP {exc.code}", exc.code, body) from None
        except TimeoutError:
            raise Transient("délai de réponse dépassé") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise Transient("délai de réponse dépassé") from None
            raise Transient(f"France VAE injoignable : {exc.reason}") from None
        except (ConnectionError, OSError) as exc:
            raise Transient(f"France VAE injoignable : {exc}") from None

    def get(self, path: str, **params) -> Answer:
        return self.request("GET", path, params={k: v for k, v in params.items() if v is not None} or None)
