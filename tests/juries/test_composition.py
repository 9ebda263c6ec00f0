import pytest

from juries.composition import JuryRule, JuryRuleError, Seat, check

RNCP41296 = {"min_members": 3, "roles": {"professional": 2, "certifier_representative": 1}, "external_professionals": 2}


def test_an_empty_rule_is_not_declared_met():
    result = check(JuryRule.from_data({}), [Seat("president", False)])
    assert not result.rule_defined
    assert not result.ok


def test_a_composition_meeting_the_rule_has_no_problem():
    seats = [Seat("professional", False), Seat("professional", False), Seat("certifier_representative", True)]
    result = check(JuryRule.from_data(RNCP41296), seats)
    assert result.ok
    assert result.problems == []


def test_each_missing_role_is_named_in_french_with_counts():
    result = check(JuryRule.from_data(RNCP41296), [Seat("professional", False)])
    assert result.problems == [
        "Le jury compte 1 membre délibérant ; la règle en demande au moins 3.",
        "Il manque 1 professionnel du secteur (1 sur 2).",
        "Il manque 1 représentant du certificateur (0 sur 1).",
        "Il manque 1 professionnel du secteur extérieur au certificateur (1 sur 2).",
    ]


def test_a_professional_working_for_the_certifier_is_not_external():
    seats = [Seat("professional", True), Seat("professional", False), Seat("certifier_representative", True)]
    result = check(JuryRule.from_data(RNCP41296), seats)
    assert result.problems == ["Il manque 1 professionnel du secteur extérieur au certificateur (1 sur 2)."]


def test_a_resource_person_does_not_count_as_a_deliberating_member():
    seats = [Seat("president", False), Seat("resource_person", False), Seat("resource_person", False)]
    result = check(JuryRule.from_data({"min_members": 2}), seats)
    assert result.problems == ["Le jury compte 1 membre délibérant ; la règle en demande au moins 2."]


def test_plural_roles_read_naturally():
    result = check(JuryRule.from_data({"roles": {"trainer": 3}}), [])
    assert result.problems == ["Il manque 3 formateurs (0 sur 3)."]


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "un objet JSON"),
        ({"roles": {"judge": 1}}, "rôle inconnu 'judge'"),
        ({"min_members": -1}, "jury_rule.min_members"),
        ({"min_members": True}, "jury_rule.min_members"),
        ({"roles": {"president": "un"}}, "jury_rule.roles.president"),
        ({"quorum": 2}, "clé inconnue quorum"),
    ],
)
def test_a_malformed_rule_is_refused_naming_the_key(data, message):
    with pytest.raises(JuryRuleError, match=message):
        JuryRule.from_data(data)


def test_the_rule_round_trips_in_canonical_form_and_describes_itself():
    rule = JuryRule.from_data({"roles": {"professional": 2, "president": 1, "trainer": 0}, "min_members": 4})
    assert rule.to_data() == {"min_members": 4, "roles": {"president": 1, "professional": 2}}
    assert rule.describe() == [
        "au moins 4 membres délibérants",
        "1 président au moins",
        "2 professionnels du secteur au moins",
    ]
