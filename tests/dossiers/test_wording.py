"""The dossier app's sentences agree with their counts and never cut a word."""

from types import SimpleNamespace

from dossiers.forms import competency_label
from dossiers.services import IncompleteDossier, Missing


def test_what_is_missing_is_counted_in_the_singular_and_the_plural():
    one = [Missing("Ajoutez une expérience.", "/")]

    assert str(IncompleteDossier(one)) == "Le dossier est incomplet : 1 élément manquant."
    assert str(IncompleteDossier(one * 3)) == "Le dossier est incomplet : 3 éléments manquants."


def test_a_long_competency_is_cut_at_a_word_in_a_choice_label():
    text = "Accueillir " + "les personnes accompagnées " * 10
    label = competency_label(SimpleNamespace(code="C1.2", text=text))

    assert label.startswith("C1.2 Accueillir les personnes")
    assert label.endswith(" personnes…")  # a whole word, then the ellipsis
    assert len(label) <= len("C1.2 ") + 140
