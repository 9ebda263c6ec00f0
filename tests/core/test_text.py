"""Long labels cut at a word, never inside one (core/text.py)."""

from core.text import shorten


def test_a_text_that_fits_is_returned_on_one_line():
    assert shorten("Accueillir  le public\n en situation", 80) == "Accueillir le public en situation"


def test_a_long_text_is_cut_after_the_last_whole_word_with_an_ellipsis():
    cut = shorten("Mettre en œuvre une démarche d'accompagnement social", 30)

    assert cut == "Mettre en œuvre une démarche…"
    assert len(cut) <= 30


def test_a_cut_that_falls_on_a_space_keeps_the_whole_last_word():
    assert shorten("Accueillir les personnes accompagnées", 11) == "Accueillir…"


def test_punctuation_is_not_left_dangling_before_the_ellipsis():
    assert shorten("Concevoir, planifier et évaluer un projet", 12) == "Concevoir…"


def test_a_single_word_longer_than_the_limit_is_the_only_thing_cut_inside():
    assert shorten("Anticonstitutionnellement", 10) == "Anticonst…"
