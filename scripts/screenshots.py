"""Screenshots of each demo role's main pages at 1366 and 390 px (``make screenshots``).

Starts the development server on the demo database (``make seed`` fills it), logs in as each demo
role through the login form, opens the role's start pages and the first page of each kind linked
from them (a dossier, a compétence, a session…), and writes full-page PNGs to ``screenshots/``
(git-ignored): ``<role>/<nn>-<page>-<width>.png``. A reviewer looks at them without installing
anything else. Roles named on the command line (``scripts/screenshots.py accompagnateur admin``)
limit the run to them.
"""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "demo-vae-2026"  # noqa: S105 - the demo accounts' documented password (README)
WIDTHS = (1366, 390)

# role: (account, start pages, patterns of the linked pages worth a picture: the first of each)
ROLES = {
    "anonyme": (
        None,
        ["/", "/certifications/", "/accessibilite/", "/plan-du-site/", "/page-inconnue/"],
        [
            r"^/certifications/[\w-]+/$",
        ],
    ),
    "candidat": (
        "candidat1@vae.example",
        ["/dossiers/"],
        [
            r"^/dossiers/\d+/$",
            r"^/dossiers/\d+/experiences/$",
            r"^/dossiers/\d+/positionnement/$",
            r"^/dossiers/\d+/blocs/\d+/$",
            r"^/dossiers/\d+/competences/\d+/$",
            r"^/dossiers/\d+/preuves/$",
        ],
    ),
    # A draft: the dossier de faisabilité as the candidate writes it, rubrique by rubrique.
    "candidat-faisabilite": (
        "candidat2@vae.example",
        ["/dossiers/"],
        [
            r"^/dossiers/\d+/$",
            r"^/dossiers/\d+/faisabilite/$",
            *(
                rf"^/dossiers/\d+/faisabilite/{section}/$"
                for section in (
                    "nature",
                    "certification",
                    "prerequisites",
                    "candidate",
                    "experiences",
                    "blocks",
                    "documents",
                    "signature",
                )
            ),
            r"^/dossiers/\d+/identite/$",
            r"^/dossiers/\d+/attestation/$",
            r"^/dossiers/\d+/recevabilite/$",
        ],
    ),
    "candidat-resultat": ("candidat10@vae.example", ["/dossiers/"], [r"^/dossiers/\d+/$"]),
    "certificateur": (
        "certif.aptim@vae.example",
        ["/certificateur/", "/certificateur/dossiers/"],
        [
            r"^/certificateur/dossiers/\d+/$",
            r"^/certificateur/dossiers/\d+/validation/$",
            r"^/certificateur/sessions/\d+/$",
            r"^/certificateur/referentiels/\d+/$",
        ],
    ),
    "jury": ("jury1@vae.example", ["/jury/"], [r"^/jury/sessions/\d+/$", r"^/jury/[\w/-]+/\d+/$"]),
    "accompagnateur": (
        "aap1@vae.example",
        ["/accompagnement/"],
        [r"^/accompagnement/dossiers/\d+/$", r"^/accompagnement/organismes/\d+/equipe/$"],
    ),
    # The Django admin (not part of the accessibility check): the index, a list with its filters, a record.
    "admin": (
        "admin@vae.example",
        ["/admin/", "/admin/dossiers/dossier/", "/admin/dossiers/transitionlog/"],
        [r"^/admin/dossiers/dossier/\d+/change/$", r"^/admin/certifications/certification/$"],
    ),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _slug(path: str) -> str:
    return re.sub(r"[^\w]+", "-", path.strip("/")) or "accueil"


def main(names: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    unknown = set(names) - set(ROLES)
    if unknown:
        print(f"Rôles inconnus : {', '.join(sorted(unknown))} (connus : {', '.join(ROLES)})", file=sys.stderr)  # noqa: T201
        return 2
    roles = {name: ROLES[name] for name in names} if names else ROLES

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
            for role, (email, starts, patterns) in roles.items():
                context = browser.new_context(base_url=base, locale="fr-FR", viewport={"width": 1366, "height": 900})
                page = context.new_page()
                if email:
                    page.goto("/accounts/login/")
                    page.fill("#id_username", email)
                    page.fill("#id_password", PASSWORD)
                    page.click("main button[type=submit]")
                    page.wait_for_load_state()
                paths, wanted = list(starts), list(patterns)
                for path in paths:  # grows as pages of the wanted kinds are found (a dossier, then its pages)
                    if not wanted:
                        break
                    page.goto(path)
                    links = [
                        urlsplit(h).path for h in page.eval_on_selector_all("main a[href]", "a => a.map(x => x.href)")
                    ]
                    for pattern in list(wanted):
                        found = next((link for link in links if re.search(pattern, link)), None)
                        if found and found not in paths:
                            paths.append(found)
                            wanted.remove(pattern)
                folder = OUT / role
                folder.mkdir(parents=True, exist_ok=True)
                for number, path in enumerate(paths, start=1):
                    for width in WIDTHS:
                        page.set_viewport_size({"width": width, "height": 900})
                        page.goto(path)
                        target = folder / f"{number:02d}-{_slug(path)}-{width}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(target.relative_to(ROOT))  # noqa: T201
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
