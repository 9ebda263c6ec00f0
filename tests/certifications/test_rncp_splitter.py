"""The compétence splitter: a pure function, one case per habit of the register's producers."""

import pytest

from certifications.rncp.splitter import ProposedCompetency, html_to_lines, html_to_text, split_competencies


def _texts(raw):
    return [c.text for c in split_competencies(raw)]


def _pairs(raw):
    return [(c.code, c.text) for c in split_competencies(raw)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            "<p>Analyser les besoins</p><p>Concevoir le projet</p>",
            ["Analyser les besoins", "Concevoir le projet"],
            id="paragraphs",
        ),
        pytest.param(
            "Analyser les besoins<br>Concevoir le projet<BR/>Piloter",
            ["Analyser les besoins", "Concevoir le projet", "Piloter"],
            id="line-breaks",
        ),
        pytest.param(
            "<ul><li>Analyser les besoins</li><li>Concevoir le projet</li></ul>",
            ["Analyser les besoins", "Concevoir le projet"],
            id="list-items",
        ),
        pytest.param(
            "<ol>\n  <li><p>Analyser</p></li>\n  <li><p>Concevoir</p></li>\n</ol>",
            ["Analyser", "Concevoir"],
            id="nested-list-paragraphs",
        ),
        pytest.param(
            "Analyser les besoins\nConcevoir le projet\r\nPiloter",
            ["Analyser les besoins", "Concevoir le projet", "Piloter"],
            id="plain-text-lines",
        ),
        pytest.param(
            "<div>Analyser</div><div><span>Concevoir</span> <b>le</b> projet</div>",
            ["Analyser", "Concevoir le projet"],
            id="divs-and-inline-tags",
        ),
        pytest.param(
            "<table><tr><td>Analyser</td><td>Concevoir</td></tr></table>",
            ["Analyser", "Concevoir"],
            id="table-cells",
        ),
        pytest.param(
            "<p> <br>Analyser</p><p>&nbsp;</p><p></p><p>Concevoir</p>",
            ["Analyser", "Concevoir"],
            id="empty-paragraphs-dropped",
        ),
        pytest.param("<!-- copie Word --><p>Analyser</p>", ["Analyser"], id="html-comment"),
    ],
)
def test_html_structure_cuts_the_list_into_competences(raw, expected):
    assert _texts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("- Analyser<br>- Concevoir", ["Analyser", "Concevoir"], id="dash"),
        pytest.param(
            "-Analyser<br>–Concevoir<br>— Piloter",
            ["Analyser", "Concevoir", "Piloter"],
            id="dashes-without-space",
        ),
        pytest.param("• Analyser<br>· Concevoir<br>▪ Piloter", ["Analyser", "Concevoir", "Piloter"], id="bullets"),
        pytest.param("<p>  • Analyser</p><p>  • Concevoir</p>", ["Analyser", "Concevoir"], id="indented-bullets"),
        pytest.param(
            "➢ Analyser<br>✓ Concevoir<br>* Piloter",
            ["Analyser", "Concevoir", "Piloter"],
            id="arrows-checks-stars",
        ),
        pytest.param(
            "o Analyser les besoins<br>o Concevoir", ["Analyser les besoins", "Concevoir"], id="word-o-bullet"
        ),
        pytest.param("• Analyser • Concevoir • Piloter", ["Analyser", "Concevoir", "Piloter"], id="inline-bullets"),
        pytest.param("1 - Analyser<br>2 - Concevoir", ["Analyser", "Concevoir"], id="numbered-dash"),
        pytest.param(
            "1. Analyser<br>2. Concevoir<br>10. Piloter",
            ["Analyser", "Concevoir", "Piloter"],
            id="numbered-dot",
        ),
        pytest.param(
            "1) Analyser<br>2°Concevoir<br>3- Piloter",
            ["Analyser", "Concevoir", "Piloter"],
            id="numbered-paren-degree",
        ),
        pytest.param("a) Analyser<br>b) Concevoir", ["Analyser", "Concevoir"], id="lettered"),
        pytest.param("I - Analyser<br>II - Concevoir<br>IV. Piloter", ["Analyser", "Concevoir", "Piloter"], id="roman"),
        pytest.param("- 1. Analyser", ["Analyser"], id="bullet-then-number"),
    ],
)
def test_bullets_and_numbering_are_removed(raw, expected):
    assert _texts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            "<p>C2.B1 Analyser les besoins d’un public </p>"
            "<p> <br>C2.4 Mettre en œuvre un accompagnement éducatif budgétaire </p>",
            [
                ("C2.B1", "Analyser les besoins d’un public"),
                ("C2.4", "Mettre en œuvre un accompagnement éducatif budgétaire"),
            ],
            id="rncp34826-bc04",
        ),
        pytest.param(
            "C1.1 - Analyser<br>C1.2 : Concevoir<br>C1.3. Piloter",
            [("C1.1", "Analyser"), ("C1.2", "Concevoir"), ("C1.3", "Piloter")],
            id="code-separators",
        ),
        pytest.param(
            "C1-1.1 Repérer<br>C1-2.6 Animer",
            [("C1-1.1", "Repérer"), ("C1-2.6", "Animer")],
            id="referential-004-codes",
        ),
        pytest.param("(C3.2) Négocier<br>[C3.3] Former", [("C3.2", "Négocier"), ("C3.3", "Former")], id="bracketed"),
        pytest.param("Négocier les ressources (C3.2)", [("C3.2", "Négocier les ressources")], id="trailing-code"),
        pytest.param(
            "C1.1<br>Analyser les besoins<br>C1.2<br>Concevoir",
            [("C1.1", "Analyser les besoins"), ("C1.2", "Concevoir")],
            id="code-alone-on-its-line",
        ),
        pytest.param(
            "C1.1 Analyser les besoins C1.2 Concevoir le projet",
            [("C1.1", "Analyser les besoins"), ("C1.2", "Concevoir le projet")],
            id="flattened-coded-list",
        ),
        pytest.param(
            "CP1 Accueillir<br>CC2.1 Orienter",
            [("CP1", "Accueillir"), ("CC2.1", "Orienter")],
            id="prefixed-codes",
        ),
        pytest.param(
            "1.1 Analyser<br>1.2 Concevoir",
            [("1.1", "Analyser"), ("1.2", "Concevoir")],
            id="outline-numbers-are-codes",
        ),
        pytest.param(
            "1.1 Utiliser la version 2.3 Pro du logiciel",
            [("1.1", "Utiliser la version 2.3 Pro du logiciel")],
            id="numbers-inside-text-stay",
        ),
        pytest.param("- C1.1 Analyser", [("C1.1", "Analyser")], id="bullet-then-code"),
        pytest.param("CAP 2 ans d’expérience exigés", [("", "CAP 2 ans d’expérience exigés")], id="not-a-code"),
    ],
)
def test_codes_are_kept_apart_from_the_text(raw, expected):
    assert _pairs(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            "Analyser les besoins ; Concevoir le projet ; Piloter l’équipe",
            ["Analyser les besoins", "Concevoir le projet", "Piloter l’équipe"],
            id="capitalised-items",
        ),
        pytest.param(
            "analyser les besoins; concevoir le projet; piloter l’équipe",
            ["analyser les besoins", "concevoir le projet", "piloter l’équipe"],
            id="infinitives",
        ),
        pytest.param("C1 Analyser ; C2 Concevoir", ["Analyser", "Concevoir"], id="coded-items"),
        pytest.param(
            "disposer d’une certification ; OU d’une expérience",
            ["disposer d’une certification ; OU d’une expérience"],
            id="conjunction-keeps-the-sentence",
        ),
        pytest.param(
            "Analyser les données ; les comparer",
            ["Analyser les données ; les comparer"],
            id="clause-keeps-the-sentence",
        ),
        pytest.param(
            "- Analyser ;<br>- Concevoir ;<br>- Piloter.",
            ["Analyser", "Concevoir", "Piloter."],
            id="trailing-semicolons-dropped-final-dot-kept",
        ),
    ],
)
def test_semicolons_cut_only_between_items(raw, expected):
    assert _texts(raw) == expected


def test_a_line_ending_with_a_colon_heads_the_items_after_it():
    raw = "Gestion :<br>- Piloter le budget<br>- Suivre la trésorerie<br>Équipe :<br>- Recruter"

    assert split_competencies(raw) == [
        ProposedCompetency("Piloter le budget", "", "Gestion"),
        ProposedCompetency("Suivre la trésorerie", "", "Gestion"),
        ProposedCompetency("Recruter", "", "Équipe"),
    ]


@pytest.mark.parametrize(
    "intro",
    [
        "Le titulaire de la certification est capable de :",
        "Être en mesure de :",
        "Compétences attestées :",
        "Liste des compétences :",
    ],
)
def test_a_generic_introduction_is_dropped(intro):
    assert split_competencies(f"<p>{intro}</p><ul><li>Analyser</li></ul>") == [ProposedCompetency("Analyser")]


def test_a_final_line_ending_with_a_colon_is_kept_as_a_competence():
    assert _texts("Analyser<br>Rendre compte à :") == ["Analyser", "Rendre compte à :"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("Analyser&nbsp;les besoins", "Analyser les besoins", id="nbsp-entity"),
        pytest.param("Analyser\xa0les\u202fbesoins", "Analyser les besoins", id="nbsp-characters"),
        pytest.param(
            "Analyser les besoins d&rsquo;un public",
            "Analyser les besoins d’un public",
            id="curly-quote-entity",
        ),
        pytest.param("S’approprier les « études »", "S’approprier les « études »", id="curly-quotes-kept"),
        pytest.param("Analyser &amp; concevoir", "Analyser & concevoir", id="ampersand"),
        pytest.param(
            "&lt;p&gt;Analyser&amp;nbsp;les besoins&lt;/p&gt;",
            "Analyser les besoins",
            id="html-escaped-twice",
        ),
        pytest.param("Analyser   les\tbesoins", "Analyser les besoins", id="spaces-collapsed"),
        pytest.param("Ana\xadlyser\u200b les besoins", "Analyser les besoins", id="soft-hyphen-zero-width"),
        pytest.param("Évaluer si le taux < 5 %", "Évaluer si le taux < 5 %", id="lone-less-than"),
    ],
)
def test_entities_and_odd_spaces_are_normalised(raw, expected):
    assert _texts(raw) == [expected]


@pytest.mark.parametrize("raw", ["", "   ", "<p></p><br/>", "<p>- </p><p>•</p><p>1.</p>", "&nbsp;"])
def test_an_empty_list_proposes_nothing(raw):
    assert split_competencies(raw) == []


def test_html_to_text_keeps_one_line_per_paragraph():
    assert html_to_text("<p>Un professionnel</p><p>Un représentant&nbsp;du certificateur</p>") == (
        "Un professionnel\nUn représentant du certificateur"
    )
    assert html_to_lines("") == []
