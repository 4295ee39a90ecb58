import datetime
from decimal import Decimal

from deals.lifecycle import (
    figure_specificity,
    is_more_detailed_item,
    is_more_specific,
    items_agree,
    normalised_item,
    significant_digits,
    status_after_report,
)

JAN = datetime.date(2024, 1, 10)
MAR = datetime.date(2024, 3, 10)


def test_later_negotiating_report_never_undoes_signed():
    assert status_after_report("signed", JAN, "negotiating", MAR) == "signed"


def test_stronger_status_moves_deal_forward_even_when_reported_late():
    assert status_after_report("negotiating", MAR, "signed", JAN) == "signed"


def test_delivered_is_the_end_of_the_progression():
    assert status_after_report("signed", JAN, "delivered", MAR) == "delivered"
    assert status_after_report("delivered", MAR, "agreed", MAR) == "delivered"


def test_cancellation_reported_after_signing_cancels_the_deal():
    assert status_after_report("signed", JAN, "cancelled", MAR) == "cancelled"


def test_cancellation_reported_before_the_signing_does_not_cancel_it():
    assert status_after_report("signed", MAR, "cancelled", JAN) == "signed"


def test_delivered_deal_cannot_be_cancelled_by_a_report():
    assert status_after_report("delivered", JAN, "cancelled", MAR) == "delivered"


def test_denial_answers_an_allegation_but_not_a_signed_contract():
    assert status_after_report("alleged", JAN, "denied", MAR) == "denied"
    assert status_after_report("signed", JAN, "denied", MAR) == "signed"


def test_later_positive_report_revives_a_cancelled_deal_but_an_older_one_does_not():
    assert status_after_report("cancelled", JAN, "signed", MAR) == "signed"
    assert status_after_report("cancelled", MAR, "signed", JAN) == "cancelled"


def test_first_report_sets_the_status():
    assert status_after_report(None, None, "pledged", JAN) == "pledged"


def test_significant_digits_count_what_the_figure_says():
    assert significant_digits(9_000_000_000) == 1
    assert significant_digits(9_200_000_000) == 2
    assert significant_digits(Decimal("3370000000.00")) == 3


def test_exact_figure_is_more_specific_than_an_approximate_one():
    assert is_more_specific(180, "exact", 200, "about")
    assert not is_more_specific(200, "about", 180, "exact")


def test_more_digits_are_more_specific_and_ties_keep_the_current_figure():
    assert is_more_specific(Decimal("9200000000"), "about", Decimal("9000000000"), "about")
    assert not is_more_specific(170, "exact", 180, "exact")
    assert figure_specificity(None, "") < figure_specificity(1, "")


def test_item_names_are_compared_without_case_plural_or_calibre_spacing():
    assert normalised_item("155 mm Artillery Shells") == "155mm artillery shell"
    assert items_agree("K2 tanks", "K2 Black Panther tanks")
    assert items_agree("155 mm shells", "155mm artillery shells")


def test_different_model_numbers_are_different_items():
    assert not items_agree("Leopard 2A6 tanks", "Leopard 2A4 tanks")
    assert not items_agree("K2 tanks", "K9 howitzers")


def test_more_detailed_item_name_is_recognised():
    assert is_more_detailed_item("K2 Black Panther tanks", "K2 tanks")
    assert not is_more_detailed_item("K2 tanks", "K2 Black Panther tanks")
