"""Due, overdue and clean for each interval around day, week and month boundaries."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ptdesk.services.cleaning import DueState, due_state, periods

WEEKDAYS = {1, 2, 3, 4, 5}  # Monday to Friday
# 2026-03-09 is a Monday; 2026-03-13 a Friday; 2026-03-14/15 the weekend.


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("last", "now", "state", "due_by"),
    [
        # cleaned a minute before midnight counts for that day only
        ("2026-03-10 23:59", "2026-03-10 23:59:30", DueState.CLEAN, date(2026, 3, 11)),
        ("2026-03-10 23:59", "2026-03-11 00:00", DueState.DUE, date(2026, 3, 11)),
        ("2026-03-11 00:00", "2026-03-11 00:01", DueState.CLEAN, date(2026, 3, 12)),
        # nothing on Tuesday: overdue on Wednesday
        ("2026-03-09 18:00", "2026-03-11 08:00", DueState.OVERDUE, date(2026, 3, 11)),
        # Friday cleaned: the weekend is not a clinic day, Monday is due
        ("2026-03-13 17:00", "2026-03-14 10:00", DueState.CLEAN, date(2026, 3, 16)),
        ("2026-03-13 17:00", "2026-03-16 07:00", DueState.DUE, date(2026, 3, 16)),
        # Friday missed: overdue over the weekend and on Monday
        ("2026-03-12 17:00", "2026-03-15 10:00", DueState.OVERDUE, date(2026, 3, 16)),
        ("2026-03-12 17:00", "2026-03-16 07:00", DueState.OVERDUE, date(2026, 3, 16)),
    ],
)
def test_daily_items_are_due_on_clinic_days(last, now, state, due_by):
    due = due_state("daily", WEEKDAYS, at(last), at(now))
    assert (due.state, due.due_by) == (state, due_by)


def test_daily_item_on_a_clinic_closed_midweek_day():
    # A clinic open Mon, Wed, Fri: Tuesday asks for nothing, so Monday's cleaning still stands.
    days = {1, 3, 5}
    tuesday = due_state("daily", days, at("2026-03-09 17:00"), at("2026-03-10 12:00"))
    assert tuesday.state == DueState.CLEAN and tuesday.due_by == date(2026, 3, 11)
    wednesday = due_state("daily", days, at("2026-03-09 17:00"), at("2026-03-11 09:00"))
    assert wednesday.state == DueState.DUE


def test_new_item_is_due_not_overdue():
    due = due_state("daily", WEEKDAYS, None, at("2026-03-11 09:00"), since=at("2026-03-10 15:00"))
    assert due.state == DueState.DUE
    older = due_state("daily", WEEKDAYS, None, at("2026-03-11 09:00"), since=at("2026-03-01 09:00"))
    assert older.state == DueState.OVERDUE


@pytest.mark.parametrize(
    ("last", "now", "state", "due_by"),
    [
        # Sunday night cleaning belongs to the week before
        ("2026-03-15 23:50", "2026-03-15 23:55", DueState.CLEAN, date(2026, 3, 20)),
        ("2026-03-15 23:50", "2026-03-16 00:05", DueState.DUE, date(2026, 3, 20)),
        ("2026-03-16 00:05", "2026-03-19 12:00", DueState.CLEAN, date(2026, 3, 27)),
        # no cleaning at all last week: overdue this week
        ("2026-03-06 12:00", "2026-03-16 08:00", DueState.OVERDUE, date(2026, 3, 20)),
    ],
)
def test_weekly_items_follow_monday_to_sunday_weeks(last, now, state, due_by):
    due = due_state("weekly", WEEKDAYS, at(last), at(now))
    assert (due.state, due.due_by) == (state, due_by)


@pytest.mark.parametrize(
    ("last", "now", "state", "due_by"),
    [
        ("2026-03-31 23:59", "2026-03-31 23:59:59", DueState.CLEAN, date(2026, 4, 30)),
        ("2026-03-31 23:59", "2026-04-01 00:00", DueState.DUE, date(2026, 4, 30)),
        ("2026-02-27 10:00", "2026-04-01 09:00", DueState.OVERDUE, date(2026, 4, 30)),
        # December rolls over to January
        ("2026-12-15 10:00", "2027-01-04 09:00", DueState.DUE, date(2027, 1, 29)),
    ],
)
def test_monthly_items_follow_calendar_months(last, now, state, due_by):
    due = due_state("monthly", WEEKDAYS, at(last), at(now))
    assert (due.state, due.due_by) == (state, due_by)


def test_after_use_items_have_no_schedule():
    due = due_state("after_use", WEEKDAYS, None, at("2026-03-11 09:00"))
    assert due.state == DueState.AFTER_USE and due.due_by is None


def test_periods_skip_closed_days_and_use_last_clinic_day_as_deadline():
    daily = periods("daily", date(2026, 3, 13), date(2026, 3, 16), WEEKDAYS)
    assert [p[0] for p in daily] == [date(2026, 3, 13), date(2026, 3, 16)]
    weekly = periods("weekly", date(2026, 3, 1), date(2026, 3, 31), WEEKDAYS)
    # Feb 23-Mar 1 has its deadline (Fri Feb 27) before March; Mar 30-Apr 5 after it.
    assert [p[0] for p in weekly] == [date(2026, 3, d) for d in (2, 9, 16, 23)]
    assert weekly[0][2] == date(2026, 3, 6)
    monthly = periods("monthly", date(2026, 1, 1), date(2026, 12, 31), WEEKDAYS)
    assert len(monthly) == 12 and monthly[4][2] == date(2026, 5, 29)  # May 31 is a Sunday


@pytest.mark.parametrize(
    ("interval", "last", "now", "state", "due_by"),
    [
        # the week's last clinic day (Friday 13th) passed unclean: overdue over the weekend
        ("weekly", "2026-03-06 12:00", "2026-03-14 09:00", DueState.OVERDUE, date(2026, 3, 13)),
        ("weekly", "2026-03-06 12:00", "2026-03-15 18:00", DueState.OVERDUE, date(2026, 3, 13)),
        ("weekly", "2026-03-06 12:00", "2026-03-13 17:00", DueState.DUE, date(2026, 3, 13)),
        ("weekly", "2026-03-09 12:00", "2026-03-15 18:00", DueState.CLEAN, date(2026, 3, 20)),
        # May 2026 ends on a weekend: Friday the 29th is its last clinic day
        ("monthly", "2026-04-20 12:00", "2026-05-30 09:00", DueState.OVERDUE, date(2026, 5, 29)),
        ("monthly", "2026-04-20 12:00", "2026-05-31 23:00", DueState.OVERDUE, date(2026, 5, 29)),
        ("monthly", "2026-04-20 12:00", "2026-05-29 16:00", DueState.DUE, date(2026, 5, 29)),
    ],
)
def test_period_whose_last_clinic_day_passed_unclean_is_overdue(interval, last, now, state, due_by):
    due = due_state(interval, WEEKDAYS, at(last), at(now))
    assert (due.state, due.due_by) == (state, due_by)


def test_item_added_after_the_deadline_is_due_not_overdue():
    due = due_state("weekly", WEEKDAYS, None, at("2026-03-14 12:00"), since=at("2026-03-14 09:00"))
    assert due.state == DueState.DUE
