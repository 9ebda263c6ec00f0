"""A fake France VAE interop API for tests and the demo: stdlib only, no Django.

Serves the subset of ``openapi/reva-interop.yaml`` under ``/interop/v1`` from a scripted state
(JSON), records every request it receives, and obeys scripted faults. Control endpoints (no
token needed; the fake listens on the loopback only):

- ``PUT /_fake/state``: replace the state ``{"candidatures": {id: {...}}, "dossiersDeFaisabilite":
  [...], "dossiersDeValidation": [...], "files": {name: base64}}``;
- ``POST /_fake/faults``: append faults ``[{"method": "POST", "path_contains": "/decisions",
  "status": 500, "times": 1}]`` or ``{"delay": 3, ...}``;
- ``GET /_fake/requests``: what was received (method, path, query, headers, fields / json).

Run: ``python -m francevae.fake_server --port 8765 [--state state.json] [--token secret]``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PREFIX = "/interop/v1"


def demo_pdf(text: str = "Dossier de faisabilité (démonstration)") -> bytes:
    """A valid one-page PDF with a line of text: numbered objects, a true cross-reference table
    (byte offsets) and ``startxref``, so that it passes the portal's upload checks like a real one."""
    line = text.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 72 720 Td (" + line + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def demo_state(base_url: str = "") -> dict:
    """One candidature waiting for a recevabilité decision, with one file (``demo_pdf``)."""
    pdf = demo_pdf()
    cid = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    return {
        "candidatures": {
            cid: {
                "id": cid,
                "certification": {
                    "codeRncp": "35830",
                    "nom": "Certification de démonstration",
                    "estViseePartiellement": False,
                },
                "candidat": {
                    "prenom": "Alice",
                    "nom": "Martin",
                    "email": "alice.martin@example.org",
                    "dateNaissance": "1985-04-12",
                },
            }
        },
        "dossiersDeFaisabilite": [
            {
                "candidatureId": cid,
                "dateEnvoi": "2026-12-01T10:00:00Z",
                "statut": "EN_ATTENTE",
                "experiences": [
                    {
                        "titre": "Aide à domicile",
                        "description": "Accompagnement de personnes âgées au quotidien.",
                        "duree": "PLUS_DE_CINQ_ANS",
                        "dateDemarrage": "2015-09-01",
                    }
                ],
                "documents": [
                    {
                        "nom": "dossier_faisabilite.pdf",
                        "url": f"{base_url}{PREFIX}/_files/dossier_faisabilite.pdf",
                        "typeMime": "application/pdf",
                    }
                ],
            }
        ],
        "dossiersDeValidation": [],
        "files": {"dossier_faisabilite.pdf": base64.b64encode(pdf).decode()},
    }


class FakeFranceVae:
    def __init__(self, token: str = "fake-token", state: dict | None = None):
        self.token = token
        self.state = state or {"candidatures": {}, "dossiersDeFaisabilite": [], "dossiersDeValidation": [], "files": {}}
        self.faults: list[dict] = []
        self.requests: list[dict] = []
        self.lock = threading.Lock()


def _handler(fake: FakeFranceVae):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body=None, content_type="application/json"):
            data = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _parse(self, raw: bytes) -> dict:
            ctype = self.headers.get("Content-Type") or ""
            if ctype.startswith("application/json"):
                return {"json": json.loads(raw or b"null")}
            if ctype.startswith("multipart/form-data"):
                msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
                fields, files = {}, {}
                for part in msg.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    payload = part.get_payload(decode=True) or b""
                    fields[name] = "<binary>" if part.get_filename() else payload.decode()
                    if part.get_filename():  # what a test checks of a file: its name, type, size, digest
                        files[name] = {
                            "filename": part.get_filename(),
                            "content_type": part.get_content_type(),
                            "size": len(payload),
                            "sha256": hashlib.sha256(payload).hexdigest(),
                            "pdf": payload.startswith(b"%PDF-"),
                        }
                return {"fields": fields, "files": files}
            return {}

        def _handle(self, method: str):
            url = urlsplit(self.path)
            raw = self._body() if method in ("POST", "PUT") else b""
            if url.path.startswith("/_fake/"):
                return self._control(method, url.path, raw)
            entry = {
                "method": method,
                "path": url.path,
                "query": parse_qs(url.query),
                "headers": dict(self.headers),
                **self._parse(raw),
            }
            with fake.lock:
                fake.requests.append(entry)
                fault = next(
                    (
                        f
                        for f in fake.faults
                        if f.get("times", 1) > 0
                        and f.get("method", method) == method
                        and f.get("path_contains", "") in url.path
                    ),
                    None,
                )
                if fault:
                    fault["times"] = fault.get("times", 1) - 1
            if fault and fault.get("delay"):
                time.sleep(fault["delay"])
            if fault and fault.get("status"):
                return self._send(fault["status"], {"message": "erreur simulée"})
            if not url.path.startswith(PREFIX):
                return self._send(404, {"message": "inconnu"})
            path = url.path[len(PREFIX) :]
            if path.startswith("/_files/"):
                data = fake.state["files"].get(path[len("/_files/") :])
                return (
                    self._send(200, base64.b64decode(data), "application/pdf")
                    if data
                    else self._send(404, {"message": "fichier inconnu"})
                )
            if self.headers.get("Authorization") != f"Bearer {fake.token}":
                return self._send(401, {"message": "jeton invalide"})
            return self._api(method, path, parse_qs(url.query))

        def _api(self, method, path, query):
            parts = path.strip("/").split("/")
            if method == "GET" and parts[0] in ("dossiersDeFaisabilite", "dossiersDeValidation") and len(parts) == 1:
                items = fake.state.get(parts[0], [])
                offset, limit = int(query.get("decalage", ["0"])[0]), int(query.get("limite", ["10"])[0])
                if limit > 100:
                    return self._send(400, {"message": "limite > 100"})
                page = items[offset : offset + limit]
                if not page:
                    return self._send(204)
                return self._send(
                    200,
                    {
                        "data": page,
                        "info": {
                            "totalElements": len(items),
                            "totalPages": -(-len(items) // limit),
                            "pageCourante": offset // limit + 1,
                        },
                    },
                )
            if parts[0] == "candidatures" and len(parts) >= 2:
                cand = fake.state["candidatures"].get(parts[1])
                if cand is None:
                    return self._send(404, {"message": "candidature inconnue"})
                if method == "GET" and len(parts) == 2:
                    return self._send(200, {"data": cand})
                if method == "POST" and parts[2:] in (
                    ["dossierDeFaisabilite", "decisions"],
                    ["dossierDeValidation", "decisions"],
                ):
                    return self._send(201, {"data": {"decision": "ok", "dateEnvoi": "2026-12-07T10:00:00Z"}})
                if method == "PUT" and parts[2:] in (["informationJury", "session"], ["informationJury", "resultat"]):
                    return self._send(200, {})
            return self._send(404, {"message": "route inconnue"})

        def _control(self, method, path, raw):
            with fake.lock:
                if path == "/_fake/state" and method == "PUT":
                    fake.state = json.loads(raw)
                    return self._send(200, {})
                if path == "/_fake/faults" and method == "POST":
                    new = json.loads(raw)
                    fake.faults.extend(new if isinstance(new, list) else [new])
                    return self._send(200, {})
                if path == "/_fake/requests" and method == "GET":
                    return self._send(200, fake.requests)
                if path == "/_fake/requests" and method == "DELETE":
                    fake.requests.clear()
                    return self._send(200, {})
            return self._send(404, {"message": "contrôle inconnu"})

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

        def do_PUT(self):
            self._handle("PUT")

        def do_DELETE(self):
            self._handle("DELETE")

    return Handler


def serve(
    port: int, token: str = "fake-token", state: dict | None = None, host: str = "127.0.0.1"
) -> ThreadingHTTPServer:
    fake = FakeFranceVae(token, state)
    server = ThreadingHTTPServer((host, port), _handler(fake))
    server.daemon_threads = True
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token", default="fake-token")
    parser.add_argument("--state", help="a JSON file; default: one demo candidature")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    state = json.load(open(args.state)) if args.state else demo_state(base)  # noqa: SIM115
    server = serve(args.port, args.token, state)
    print(f"fake France VAE on {base}{PREFIX}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
