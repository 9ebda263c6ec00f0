"""A minimal client of clamd's INSTREAM command (the ClamAV daemon), over a Unix socket
(``CLAMD_SOCKET``) or TCP (``CLAMD_HOST``/``CLAMD_PORT``).

Our own forty lines rather than the ``clamd`` or ``pyclamd`` packages: both are unmaintained
(no release for years) and do much more than this one command. The protocol (clamd(8)):
send ``zINSTREAM\\0``, then the file as chunks each prefixed by its length (4 bytes, network
order), then a zero length; clamd answers ``stream: OK``, ``stream: <signature> FOUND`` or
``<reason> ERROR``, terminated by a NUL byte.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

CHUNK = 64 * 1024


class ClamdUnavailable(Exception):
    """clamd could not be reached or hung up: try again later."""


class ClamdError(Exception):
    """clamd answered, but could not scan the file (e.g. larger than its StreamMaxLength)."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""


def _connect() -> socket.socket:
    timeout = settings.CLAMD_TIMEOUT
    if settings.CLAMD_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(settings.CLAMD_SOCKET)
        except OSError:
            sock.close()
            raise
        return sock
    return socket.create_connection((settings.CLAMD_HOST, settings.CLAMD_PORT), timeout=timeout)


def _reply(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def instream(stream: BinaryIO) -> Verdict:
    """Scan what ``stream`` reads; raises ``ClamdUnavailable`` or ``ClamdError``."""
    try:
        with _connect() as sock:
            try:
                sock.sendall(b"zINSTREAM\0")
                for chunk in iter(lambda: stream.read(CHUNK), b""):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
            except (BrokenPipeError, ConnectionResetError):
                pass  # clamd stops reading when it refuses a stream: its reply says why
            reply = _reply(sock)
    except OSError as exc:
        raise ClamdUnavailable(str(exc) or exc.__class__.__name__) from exc
    if reply.endswith(" FOUND"):
        return Verdict(infected=True, signature=reply.removeprefix("stream:").removesuffix(" FOUND").strip())
    if reply == "stream: OK":
        return Verdict(infected=False)
    if not reply:
        raise ClamdUnavailable("clamd closed the connection without an answer")
    raise ClamdError(reply)
