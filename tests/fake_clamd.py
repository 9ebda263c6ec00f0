"""A stand-in for the ClamAV daemon: a real socket server (Unix or TCP), in a thread, speaking
clamd's INSTREAM protocol. It finds the EICAR test string anywhere in a stream, refuses
streams longer than ``max_length`` as clamd does, and records what it scanned.

Only the daemon is faked: the portal's own client (dossiers.clamd) talks to it over a socket.
"""

from __future__ import annotations

import contextlib
import shutil
import socketserver
import struct
import tempfile
import threading
from pathlib import Path

# The EICAR anti-virus test file (https://www.eicar.org): harmless, found by every antivirus.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Signature"


class _Handler(socketserver.BaseRequestHandler):
    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.request.recv(n - len(data))
            if not chunk:
                raise ConnectionError("client hung up")
            data += chunk
        return data

    def handle(self):
        fake: FakeClamd = self.server.fake
        command = b""
        while not command.endswith(b"\0"):
            byte = self.request.recv(1)
            if not byte:
                return
            command += byte
        if command != b"zINSTREAM\0":
            self.request.sendall(b"UNKNOWN COMMAND\0")
            return
        received = b""
        while True:
            (length,) = struct.unpack("!L", self._read(4))
            if length == 0:
                break
            received += self._read(length)
            if len(received) > fake.max_length:
                self.request.sendall(b"INSTREAM size limit exceeded. ERROR\0")
                return
        fake.scanned.append(received)
        if EICAR in received:
            self.request.sendall(f"stream: {SIGNATURE} FOUND\0".encode())
        else:
            self.request.sendall(b"stream: OK\0")


class _UnixServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeClamd:
    def __init__(self, tcp: bool = False, max_length: int = 25 * 1024 * 1024):
        self.max_length = max_length
        self.scanned: list[bytes] = []
        # Unix socket paths are limited to ~100 characters: pytest's tmp_path may be longer.
        self.folder = Path(tempfile.mkdtemp(prefix="clamd-"))
        self.socket_path = str(self.folder / "clamd.sock")
        self.tcp = tcp
        self.server = None
        self.thread = None

    @property
    def settings(self) -> dict:
        if self.tcp:
            host, port = self.server.server_address
            return {"CLAMD_SOCKET": "", "CLAMD_HOST": host, "CLAMD_PORT": port}
        return {"CLAMD_SOCKET": self.socket_path, "CLAMD_HOST": ""}

    def start(self) -> FakeClamd:
        if self.tcp:
            self.server = _TCPServer(("127.0.0.1", 0), _Handler)
        else:
            self.server = _UnixServer(self.socket_path, _Handler)
        self.server.fake = self
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        """clamd goes down: nothing answers on its socket any more."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.server = None
        with contextlib.suppress(FileNotFoundError):
            Path(self.socket_path).unlink()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
