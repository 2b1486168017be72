import pytest
from django.core.exceptions import ValidationError

from guilde.learning.enums import QuestionKind
from guilde.learning.scoring import ChoiceData, clean_response, normalise, score_response

SINGLE = [ChoiceData(1, True), ChoiceData(2, False), ChoiceData(3, False)]
MULTIPLE = [ChoiceData(1, True), ChoiceData(2, True), ChoiceData(3, True), ChoiceData(4, False), ChoiceData(5, False)]
SHORT = [ChoiceData(1, True, text_en="Opportunity solution tree", text_fr="Arbre d'opportunités")]
ORDERING = [ChoiceData(10, True, 0), ChoiceData(11, True, 1), ChoiceData(12, True, 2), ChoiceData(13, True, 3)]


def score(kind, choices, response):
    return score_response(kind, choices, clean_response(kind, choices, response))


@pytest.mark.parametrize(("response", "expected"), [(1, 1.0), ("1", 1.0), ([1], 1.0), (2, 0.0), (3, 0.0)])
def test_single_choice_scores_one_for_the_correct_answer_only(response, expected):
    assert score(QuestionKind.SINGLE, SINGLE, response) == expected


def test_true_false_scores_like_a_single_choice():
    choices = [ChoiceData(7, False, 0), ChoiceData(8, True, 1)]

    assert score(QuestionKind.TRUE_FALSE, choices, 8) == 1.0
    assert score(QuestionKind.TRUE_FALSE, choices, 7) == 0.0


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ([1, 2, 3], 1.0),  # every right answer
        ([1, 2], 2 / 3),  # two of three right
        ([1], 1 / 3),
        ([1, 2, 4], 1 / 3),  # a wrong pick cancels a right one
        ([1, 2, 3, 4], 2 / 3),
        ([1, 4, 5], 0.0),  # floored at zero, never negative
        ([1, 2, 3, 4, 5], 1 / 3),
        ([4], 0.0),
    ],
)
def test_multiple_choice_partial_credit_is_right_minus_wrong_over_right_count(response, expected):
    assert score(QuestionKind.MULTIPLE, MULTIPLE, response) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("Opportunity solution tree", 1.0),
        ("  opportunity   SOLUTION tree. ", 1.0),
        ("arbre d’opportunités", 1.0),  # the apostrophe phones and French keyboards type  # noqa: RUF001
        ("ARBRE D'OPPORTUNITES", 1.0),  # accents and case ignored, French alternative accepted
        ("solution tree", 0.0),
    ],
)
def test_short_answer_is_a_normalised_exact_match_against_every_alternative(response, expected):
    assert score(QuestionKind.SHORT, SHORT, response) == expected


def test_normalise_folds_case_accents_spaces_and_end_punctuation():
    assert normalise("  Élan   VITAL ! ") == "elan vital"
    assert normalise("Straße") == "strasse"


@pytest.mark.parametrize(
    ("order", "expected"),
    [([10, 11, 12, 13], 1.0), ([11, 10, 12, 13], 0.5), ([13, 12, 11, 10], 0.0), ([10, 12, 11, 13], 0.5)],
)
def test_ordering_scores_the_share_of_items_in_their_correct_position(order, expected):
    assert score(QuestionKind.ORDERING, ORDERING, order) == expected


@pytest.mark.parametrize(
    ("kind", "choices", "response"),
    [
        (QuestionKind.SINGLE, SINGLE, 99),  # not one of the question's answers
        (QuestionKind.SINGLE, SINGLE, None),
        (QuestionKind.SINGLE, SINGLE, "abc"),
        (QuestionKind.SINGLE, SINGLE, True),
        (QuestionKind.MULTIPLE, MULTIPLE, []),
        (QuestionKind.MULTIPLE, MULTIPLE, [1, 99]),
        (QuestionKind.SHORT, SHORT, "   "),
        (QuestionKind.SHORT, SHORT, "x" * 301),
        (QuestionKind.ORDERING, ORDERING, [10, 11, 12]),  # an item missing
        (QuestionKind.ORDERING, ORDERING, [10, 10, 11, 12]),  # an item twice
        (QuestionKind.ORDERING, ORDERING, "10,11,12,13"),
    ],
)
def test_invalid_responses_are_refused_with_a_field_error(kind, choices, response):
    with pytest.raises(ValidationError) as error:
        clean_response(kind, choices, response)

    assert "response" in error.value.message_dict


def test_an_unanswered_question_scores_zero():
    assert score_response(QuestionKind.SINGLE, SINGLE, None) == 0.0
