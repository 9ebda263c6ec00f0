"""What the notifications tests share: what an e-mail must never say, and how it must be written."""

import re

from tests.factories import NARRATIVE

# Dossier content the factories write (tests.factories.fill_feasibility / fill_validation): no
# e-mail may carry it.
DOSSIER_CONTENT = [
    "Association Les Ateliers",
    "Coordinatrice bénévole",
    "Coordination des bénévoles",
    "Bilan du projet",
]


def assert_no_dossier_content(text: str) -> None:
    for words in [*DOSSIER_CONTENT, NARRATIVE[:40]]:
        assert words not in text


def assert_french_typography(text: str) -> None:
    """A no-break space before ; : ! ? (never a plain one, never none), inside « », and one
    colon at most per sentence line."""
    assert not re.search(r" [;:!?](\s|$)", text), text
    assert not re.search(r"\w[;!?](\s|$)", text), text
    assert "« " not in text and " »" not in text
    for line in text.splitlines():
        if not line.startswith("http"):
            assert line.count("\u00a0:") <= 1, line
