"""Accessibility of every page of every demo role, checked the way an RGAA audit starts.

With the demo data (``seed_demo``), the test logs in as each demo role, follows every same-origin
link from the role's start pages (breadth first) and, on each HTML page:

- runs axe-core (WCAG 2.0/2.1 A and AA rules) in headless Chromium: no critical or serious
  violation is allowed;
- keeps the HTML the server sent, validated at the end by the Nu HTML Checker (vnu, one Java run
  for all pages: Java starts slowly): no error is allowed;
- narrows the window to 390 px (a phone) and measures the page: nothing may stick out sideways.

Skipped: the Django admin (``/admin/``, Django's own pages, for staff only), logging out, file
downloads (any response that is not HTML) and the JSON API (``/api/v1/``). Forms are not
submitted: only links are followed (GET). Pages of one URL pattern with different ids (dossier
12, dossier 13…) are the same template: at most ``PER_PATTERN`` of each are checked per role, so
that the run stays within a few minutes.

axe-core and vnu come from the npm registry (``package.json``, installed by ``npm ci`` in
``make install-test``). axe is evaluated through Playwright's ``page.evaluate`` (the DevTools
protocol), which the page's Content-Security-Policy does not govern: the policy stays enforced
for the page's own scripts, and the browser fixture still fails on any CSP violation.
"""

import io
import json
import os
import re
import subprocess
import tempfile
import time
from collections import defaultdict, deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Pages checked although they answer with an error status: the French error pages.
EXPECTED_STATUS = {"/page-qui-n-existe-pas/": 404}
# Who is checked, and where each one starts (then every link is followed).
ROLES = {
    "anonyme": (
        None,
        [
            "/",
            "/accounts/login/",
            "/accounts/inscription/",
            "/plan-du-site/",
            "/accessibilite/",
            "/accounts/mot-de-passe/oublie/",
            *EXPECTED_STATUS,
        ],
    ),
    "candidat (dossiers en cours)": ("candidat1@vae.example", ["/", "/dossiers/"]),
    "candidat (résultat du jury)": ("candidat10@vae.example", ["/", "/dossiers/"]),
    # A thread with the certifier, and a convocation on the dossier page.
    "candidat (messages)": ("candidat3@vae.example", ["/", "/dossiers/", "/notifications/"]),
    "candidat (convoqué)": ("candidat5@vae.example", ["/", "/dossiers/"]),
    "accompagnateur": ("aap1@vae.example", ["/", "/accompagnement/", "/notifications/"]),
    "certificateur APTIM": ("certif.aptim@vae.example", ["/", "/certificateur/"]),
    "certificateur Askoria": ("certif.askoria@vae.example", ["/", "/certificateur/"]),
    "membre de jury": ("jury1@vae.example", ["/", "/jury/"]),
    # The administrator sees every certifier's pages: only the pages no other role reached are
    # checked again (the others are followed for their links).
    "administrateur (hors /admin/)": ("admin@vae.example", ["/"]),
}
NEW_PAGES_ONLY = {"administrateur (hors /admin/)"}
SKIPPED = re.compile(
    r"^/(admin/|api/v1/|accounts/logout)|/telecharger/|\.(jwt|json|pdf|csv|xml|zip)$"
    r"|^/certificateur/dossiers/\d+/(preuves/\d+|piece-identite)/$|^/certificateur/france-vae/documents/"
)
PER_PATTERN = 1
VERBOSE = bool(os.environ.get("A11Y_VERBOSE"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_WIDTH, DESKTOP = 390, {"width": 1366, "height": 900}


def _pattern(url):
    """The URL's path with its ids replaced, without its parameters (a filter, a page number):
    pages of one pattern share their template."""
    return re.sub(r"/(\d+|[0-9a-f]{8}-[0-9a-f-]{27})(?=/|$)", "/<id>", urlsplit(url).path)


def _links(page, origin):
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == origin and parts.path:
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def _crawl(browser, origin, email, starts, axe_source, checked):
    """Visit every page of one role; return {url: html} and its list of problems. Patterns in
    ``checked`` (seen by an earlier role) are only followed for their links, not checked again."""
    context = browser.new_context(base_url=origin, locale="fr-FR", viewport=DESKTOP)
    if email:
        client = Client()
        client.force_login(User.objects.get(email=email))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": origin}])
    page = context.new_page()
    blocked = []
    page.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text and blocked.append(m.text))
    seen, per_pattern, problems, pages, titles = set(), defaultdict(int), [], {}, {}
    queue = deque(starts)
    while queue:
        url = queue.popleft()
        if url in seen or SKIPPED.search(urlsplit(url).path):
            continue
        seen.add(url)
        pattern = _pattern(url)
        if per_pattern[pattern] >= PER_PATTERN:
            continue
        response = context.request.get(url, max_redirects=0)
        if response.status in (301, 302):
            queue.append(urljoin(url, response.headers["location"]).removeprefix(origin))
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        per_pattern[pattern] += 1
        if pattern in checked:
            html = response.text()
            queue.extend(
                path
                for href in re.findall(r'href="([^"#]+)', html)
                if (path := urljoin(url, href.replace("&amp;", "&")).removeprefix(origin)).startswith("/")
            )
            continue
        if response.status != EXPECTED_STATUS.get(url, 200):
            problems.append(f"{url}: réponse {response.status}")
            continue
        pages[url] = response.text()
        if VERBOSE:
            print(f"  {url}")  # noqa: T201
        page.set_viewport_size(DESKTOP)
        page.goto(url)
        title, path = page.title(), urlsplit(url).path
        if titles.get(title, path) != path:  # the same page with other parameters may share it
            problems.append(f"{url}: même titre « {title} » que {titles[title]}")
        titles.setdefault(title, path)
        page.evaluate(axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        for violation in result["violations"]:
            if violation["impact"] in ("critical", "serious"):
                nodes = violation["nodes"]
                first = nodes[0]
                why = first.get("failureSummary", "").splitlines()[-1].strip()
                problems.append(
                    f"{url}: axe {violation['id']} ({violation['impact']}) — {violation['help']} — "
                    f"{len(nodes)} éléments, dont {' '.join(first['target'])} : {why}"
                )
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            widest = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                    .slice(-1).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (typeof e.className === 'string' && e.className
                       ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))"""
            )
            problems.append(f"{url}: déborde de {overflow} px à {PHONE_WIDTH} px de large ({', '.join(widest)})")
        queue.extend(_links(page, origin))
    context.close()
    problems += [f"violation de la CSP : {message}" for message in blocked]
    return pages, problems


def _vnu_errors(pages):
    """Validate every page's HTML in one Java run; return '<url>: <message>' lines."""
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for index, (label, html) in enumerate(pages.items()):
            path = Path(folder) / f"page{index}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = label
        run = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *(str(Path(folder) / n) for n in names)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    report = json.loads(run.stderr or '{"messages": []}')
    by_message = defaultdict(list)
    for message in report["messages"]:
        url = message.get("url", "")
        text = re.sub(r"“\d{4}-[^”]*”", "“…”", message["message"])
        by_message[text].append(f"{names.get(url.rsplit('/', 1)[-1], url)} ligne {message.get('lastLine')}")
    return [
        f"vnu : {text} — {len(where)} fois : {', '.join(where[:4])}{' …' if len(where) > 4 else ''}"
        for text, where in by_message.items()
    ]


def test_every_page_of_every_demo_role_passes_axe_vnu_and_fits_a_phone(browser, live_server):
    assert AXE.exists() and VNU.exists(), "axe-core et vnu-jar manquent : lancez `npm ci` (fait par `make test`)."
    call_command("seed_demo", force=True, stdout=io.StringIO())
    axe_source = AXE.read_text(encoding="utf-8")
    all_pages, problems, checked = {}, [], set()
    for role, (email, starts) in ROLES.items():
        started = time.monotonic()
        skip = checked if role in NEW_PAGES_ONLY else set()
        pages, role_problems = _crawl(browser, live_server.url, email, starts, axe_source, skip)
        checked |= {_pattern(url) for url in pages}
        assert len(pages) >= 2 or skip, f"{role} : {len(pages)} page visitée, le parcours n'a pas démarré"
        print(f"{role}: {len(pages)} pages en {time.monotonic() - started:.0f} s")  # noqa: T201
        all_pages.update({f"[{role}] {url}": html for url, html in pages.items()})
        problems += [f"[{role}] {problem}" for problem in role_problems]
    problems += _vnu_errors(all_pages)
    assert not problems, f"{len(problems)} problèmes sur {len(all_pages)} pages :\n" + "\n".join(problems)


def test_the_menu_opens_on_a_phone_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        java_script_enabled=False,
        viewport={"width": PHONE_WIDTH, "height": 800},
    )
    page = context.new_page()
    page.goto("/")
    menu = page.locator(".site-menu")
    page.get_by_text("Menu", exact=True).click()
    assert menu.get_attribute("open") is None  # it was open in the HTML: the click closed it
    assert not page.get_by_role("link", name="Certifications", exact=True).is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert page.get_by_role("link", name="Certifications", exact=True).is_visible()
    context.close()


def test_the_menu_starts_closed_on_a_phone_and_open_on_a_computer(page):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto("/")
    assert not page.get_by_role("link", name="Certifications", exact=True).is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert page.get_by_role("link", name="Certifications", exact=True).is_visible()
    page.set_viewport_size(DESKTOP)
    assert not page.get_by_text("Menu", exact=True).is_visible()
    assert page.get_by_role("link", name="Certifications", exact=True).is_visible()
