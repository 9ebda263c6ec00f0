"""The ledger the autosave clients keep does catch a lost write and an unreported conflict."""

from tests.candidates import Ledger, Save, lost_writes


def ledger_with(*saves: Save) -> Ledger:
    ledger = Ledger()
    for save in saves:
        ledger.saves[1].append(save)
    return ledger


def test_a_clean_history_has_no_problem():
    ledger = ledger_with(Save("a", 0, 1, "x"), Save("b", 1, 2, "y"))
    assert lost_writes(ledger, {1: 0}, {1: (2, "y")}) == []


def test_two_saves_acknowledged_from_the_same_version_mean_one_overwrote_the_other():
    ledger = ledger_with(Save("a", 0, 1, "x"), Save("b", 0, 1, "y"))
    assert lost_writes(ledger, {1: 0}, {1: (1, "y")})


def test_a_save_acknowledged_from_a_stale_page_is_an_unreported_conflict():
    ledger = ledger_with(Save("a", 0, 1, "x"), Save("b", 0, 2, "y"))
    assert any("saved from 0 as 2" in p for p in lost_writes(ledger, {1: 0}, {1: (2, "y")}))


def test_a_stored_text_that_is_not_the_last_acknowledged_is_a_lost_write():
    ledger = ledger_with(Save("a", 0, 1, "x"), Save("b", 1, 2, "y"))
    assert lost_writes(ledger, {1: 0}, {1: (2, "x")})
