"""Political study's pure rules (sotay_core/domain/study.py, study_plan.py): scoring at the
pass mark and the rounding of the per cent, the quiz's text form as a person types it,
the keys and answer runs a secretary types (an input method left on included), survey
tallies against the members present, who a plan is for, the make-up list, points.

The card code, the figures that go up and the value rules are in test_study_codes.py."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sotay_core.domain import study
from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.study import (
    BLANK,
    Audience,
    Question,
    Quiz,
    Survey,
    SurveyQuestion,
    answer_key,
    check_tallies,
    parse_answers,
    parse_quiz_text,
    score,
)
from sotay_core.domain.study_plan import (
    PointsRule,
    Target,
    member_points,
    progress,
    target_from_fields,
)

pytestmark = pytest.mark.server


@contextlib.contextmanager
def refused(code: str, **params: object) -> Iterator[None]:
    """The block is refused with ``code`` (and these parameters); the message reads in both
    languages with every placeholder filled."""
    with pytest.raises(ValidationError) as caught:
        yield
    assert caught.value.code == code, caught.value.code
    for key, value in params.items():
        assert caught.value.params.get(key) == value, caught.value.params
    for lang in ("vi", "en"):
        message = caught.value.message(lang)
        assert message and "{" not in message and message != code


def quiz(*choices: int, pass_percent: int = 50) -> Quiz:
    """A quiz of len(choices) questions, question i with choices[i] choices, answer A."""
    return Quiz(tuple(Question(f"Câu {i}", tuple("xyzuvw"[:n]), 0)
                      for i, n in enumerate(choices, 1)), pass_percent)


# --- scoring ------------------------------------------------------------------------------


def test_score_counts_right_answers_and_blanks_are_wrong_but_not_answered() -> None:
    q = Quiz((Question("a", ("x", "y"), 1), Question("b", ("x", "y", "z"), 2),
              Question("c", ("x", "y"), 0), Question("d", ("x", "y"), 0)))
    s = score(q, "BC-B")
    assert (s.correct, s.total, s.answered) == (2, 4, 3)
    assert s.percent == 50 and s.passed
    assert score(q, "----").correct == 0 and score(q, "----").answered == 0


@pytest.mark.parametrize(("correct", "total", "percent"), [
    (1, 8, 13),     # 12.5 -> 13 (half up)
    (3, 8, 38),     # 37.5 -> 38
    (1, 3, 33),     # 33.33 -> 33
    (2, 3, 67),     # 66.67 -> 67
    (5, 8, 63),     # 62.5 -> 63 (never banker's rounding to 62)
    (0, 7, 0), (7, 7, 100), (0, 0, 0),
])
def test_percent_rounds_half_up(correct: int, total: int, percent: int) -> None:
    assert study.Score(correct, total, 50, total).percent == percent


def test_pass_mark_is_reached_exactly_and_missed_by_one() -> None:
    q = quiz(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, pass_percent=70)
    assert score(q, "AAAAAAABBB").passed          # 7/10 = 70 %
    assert not score(q, "AAAAAABBBB").passed      # 6/10
    # 2/3 is 66.67 %: below a 67 % mark although its rounded per cent shows 67
    three = quiz(2, 2, 2, pass_percent=67)
    assert score(three, "AAB").percent == 67 and not score(three, "AAB").passed
    assert score(quiz(2, pass_percent=0), "B").passed
    assert not score(quiz(2, pass_percent=100), "-").passed


def test_histogram_and_per_question_counts() -> None:
    q = quiz(2, 3, 2)
    sheets = ["AAA", "A-B", "BBB", "AA-"]
    assert study.histogram(q, sheets) == (1, 1, 1, 1)
    assert study.per_question_correct(q, sheets) == (3, 2, 1)


# --- the text form of a quiz --------------------------------------------------------------

BANK = """
Câu 1: Nghị quyết Đại hội XIV
được thông qua năm nào?
A. 2024
*B. 2026
C. 2030
Giải thích: Đại hội XIV họp tháng 1/2026.

2. Chi bộ sinh hoạt thường kỳ mấy tháng một lần?
a) Một tháng *
b) Ba tháng

3) Ai chủ trì sinh hoạt chi bộ?
A. Bí thư chi bộ
B. Đảng viên cao tuổi nhất
C. Trưởng thôn
D. Chủ tịch xã
Đáp án: A
"""


def test_parse_quiz_text_reads_markers_before_and_after_and_an_answer_line() -> None:
    q = parse_quiz_text(BANK, pass_percent=60)
    assert len(q) == 3 and q.pass_percent == 60
    first, second, third = q.questions
    assert first.text == "Nghị quyết Đại hội XIV được thông qua năm nào?"   # two lines
    assert first.choices == ("2024", "2026", "2030") and first.correct_letter == "B"
    assert first.explanation == "Đại hội XIV họp tháng 1/2026."
    assert second.choices == ("Một tháng", "Ba tháng") and second.correct == 0
    assert third.correct_letter == "A" and len(third.choices) == 4
    assert study.quiz_from_json(study.quiz_to_json(q)) == q


def test_parse_quiz_text_refuses_a_question_without_a_correct_answer_by_its_number() -> None:
    text = BANK.replace("Đáp án: A", "")
    with refused("study.no_correct", number=3):
        parse_quiz_text(text)
    with refused("study.no_correct", number=1):
        parse_quiz_text("1. Hỏi\nA. có\nB. không")


def test_parse_quiz_text_refuses_two_correct_answers_but_the_same_one_twice_is_one() -> None:
    with refused("study.two_correct", number=2):
        parse_quiz_text("1. a\n*A. x\nB. y\n2. b\n*A. x\n*B. y")
    with refused("study.two_correct", number=1):
        parse_quiz_text("1. a\n*A. x\nB. y\nĐáp án: B")
    assert parse_quiz_text("1. a\n*A. x\nB. y\nĐáp án: a").questions[0].correct == 0


def test_parse_quiz_text_refuses_choices_out_of_order() -> None:
    with refused("study.choice_order", number=1, letter="C"):
        parse_quiz_text("1. a\nA. x\nC. y *")
    with refused("study.choice_order", number=2, letter="B"):
        parse_quiz_text("1. a\nA. x *\nB. y\n2. b\nB. y\nA. x *")


def test_parse_quiz_text_refuses_one_choice_and_seven_choices() -> None:
    with refused("study.choices_count", number=1, least=2, most=6):
        parse_quiz_text("1. a\n*A. x")
    seven = "1. a\n*A. 1\nB. 2\nC. 3\nD. 4\nE. 5\nF. 6\nG. 7"
    with refused("study.choices_count", number=1):
        parse_quiz_text(seven)
    six = parse_quiz_text(seven.rsplit("\n", 1)[0])
    assert six.questions[0].choices == ("1", "2", "3", "4", "5", "6")


def test_parse_quiz_text_refuses_a_line_it_cannot_place_and_an_empty_bank() -> None:
    with refused("study.unreadable_line", line="A. x"):
        parse_quiz_text("A. x\n1. a")
    with refused("study.unreadable_line"):
        parse_quiz_text("1. a\n*A. x\nB. y\nmột dòng lạc")
    with refused("study.quiz_empty"):
        parse_quiz_text("\n  \n")
    with refused("study.pass_percent"):
        parse_quiz_text("1. a\n*A. x\nB. y", pass_percent=101)


def test_quiz_json_refuses_what_a_modified_client_could_send() -> None:
    good = json.loads(study.quiz_to_json(quiz(2, 3)))
    for bad, code in [
        ("[]", "study.bad_json"), ("{", "study.bad_json"), ("[" * 5000, "study.bad_json"),
        (json.dumps({**good, "questions": [{**good["questions"][0], "correct": 2}]}),
         "study.no_correct"),
        (json.dumps({**good, "questions": [{**good["questions"][0], "correct": True}]}),
         "study.no_correct"),
        (json.dumps({**good, "questions": [{**good["questions"][0],
                                            "choices": list("abcdefg")}]}),
         "study.choices_count"),
        (json.dumps({**good, "pass_percent": "50"}), "study.pass_percent"),
        (json.dumps({**good, "questions": [{**good["questions"][0], "text": 5}]}),
         "study.bad_json"),
    ]:
        with refused(code):
            study.quiz_from_json(bad)


# --- keys and answer runs -----------------------------------------------------------------


@pytest.mark.parametrize(("key", "answer"), [
    ("A", "A"), ("b", "B"), ("f", "F"), ("â", "A"), ("ă", "A"), ("Â", "A"), ("ê", "E"),
    ("1", "A"), ("4", "D"), ("6", "F"), ("-", BLANK), (" ", BLANK), ("0", BLANK),
    ("G", None), ("7", None), ("x", None), ("", None), ("đ", None), ("?", None),
])
def test_answer_key(key: str, answer: str | None) -> None:
    assert answer_key(key) == answer


def test_parse_answers_reads_letters_digits_blanks_and_pads_with_blanks() -> None:
    q = quiz(4, 4, 4, 4, 2, 6)
    assert parse_answers(q, "ABCD-A") == "ABCD-A"
    assert parse_answers(q, " a, b; 3 4 ") == "ABCD--"
    assert parse_answers(q, "") == "------"


def test_parse_answers_refuses_a_choice_outside_the_question_naming_it() -> None:
    q = quiz(4, 2, 3)
    with refused("study.answer_outside", number=2, letter="C", last="B"):
        parse_answers(q, "AC")
    with refused("study.answer_outside", number=3, letter="F", last="C"):
        parse_answers(q, "AB6")


def test_parse_answers_refuses_too_many_and_an_unreadable_key() -> None:
    with refused("study.too_many_answers", given=3, most=2):
        parse_answers(quiz(2, 2), "AB-")
    with refused("study.answer_unreadable", letter="X"):
        parse_answers(quiz(2, 2), "AX")


def test_parse_answers_refuses_keys_an_input_method_joined() -> None:
    """Telex turns "AAB" into "ÂB": read as "AB-", every later answer would move up one."""
    q = quiz(4, 4, 4)
    for typed in ("ÂB", "ABĐ", "Àb", "ăB"):
        with refused("study.answer_ime"):
            parse_answers(q, typed)


@given(st.lists(st.integers(2, 6), min_size=1, max_size=12), st.data())
def test_parse_answers_accepts_exactly_the_choices_of_each_question(
        sizes: list[int], data: st.DataObject) -> None:
    q = quiz(*sizes)
    picks = data.draw(st.lists(st.integers(-1, 5), min_size=0, max_size=len(sizes)))
    typed = "".join(BLANK if p < 0 else study.LETTERS[p] for p in picks)
    outside = [n for n, (p, size) in enumerate(zip(picks, sizes, strict=False), 1)
               if p >= size]
    if outside:
        with refused("study.answer_outside", number=outside[0]):
            parse_answers(q, typed)
    else:
        sheet = parse_answers(q, typed)
        assert len(sheet) == len(sizes) and sheet.startswith(typed)
        assert score(q, sheet).correct == typed.count("A")


@given(st.text(max_size=30))
def test_parse_answers_never_crashes(text: str) -> None:
    q = quiz(6, 6, 6, 6)
    try:
        sheet = parse_answers(q, text)
    except ValidationError as e:
        assert e.message("vi")
    else:
        assert len(sheet) == 4 and set(sheet) <= set(study.LETTERS + BLANK)


# --- survey tallies -----------------------------------------------------------------------

SURVEY = Survey((SurveyQuestion("Đồng ý?", ("Có", "Không")),
                 SurveyQuestion("Chọn việc", ("Đường", "Điện", "Nước"), multiple=True),
                 SurveyQuestion("Ý kiến khác")))


def test_tallies_within_the_members_present_are_accepted() -> None:
    check_tallies(SURVEY, 10, [[6, 4], [10, 9, 10], []], answered_text=[0, 0, 3])
    check_tallies(SURVEY, 10, [[3, 2], [0, 0, 0], []])      # some did not answer
    check_tallies(SURVEY, 0, [[0, 0], [0, 0, 0], []])


def test_a_count_above_the_members_present_is_refused() -> None:
    with refused("study.tally_over_present", number=1, letter="A", count=11, present=10):
        check_tallies(SURVEY, 10, [[11, 0], [0, 0, 0], []])
    with refused("study.tally_over_present", number=2, letter="C"):
        check_tallies(SURVEY, 10, [[0, 0], [10, 10, 11], []])
    with refused("study.tally_over_present", number=3):
        check_tallies(SURVEY, 10, [[0, 0], [0, 0, 0], []], answered_text=[0, 0, 11])


def test_single_choice_counts_add_up_to_at_most_the_present_multiple_may_exceed() -> None:
    with refused("study.tally_sum_over_present", number=1, total=11, present=10):
        check_tallies(SURVEY, 10, [[6, 5], [0, 0, 0], []])
    check_tallies(SURVEY, 10, [[6, 4], [10, 10, 10], []])    # 30 ticks from 10 people


def test_negative_counts_and_wrong_shapes_are_refused() -> None:
    with refused("study.tally_negative", number=2, letter="B"):
        check_tallies(SURVEY, 10, [[1, 1], [0, -1, 0], []])
    with refused("study.tally_negative", number=3):
        check_tallies(SURVEY, 10, [[0, 0], [0, 0, 0], []], answered_text=[0, 0, -1])
    with refused("study.present_negative"):
        check_tallies(SURVEY, -1, [[0, 0], [0, 0, 0], []])
    with refused("study.tally_shape"):
        check_tallies(SURVEY, 10, [[0, 0], [0, 0, 0]])
    with refused("study.tally_count", number=1, choices=2, given=3):
        check_tallies(SURVEY, 10, [[0, 0, 0], [0, 0, 0], []])


# --- who the plan is for, progress and the make-up list ------------------------------------

GONE = (MemberStatus.TRANSFERRED_OUT, MemberStatus.DECEASED, MemberStatus.REMOVED,
        MemberStatus.NONE)
ON_ROSTER = tuple(s for s in MemberStatus if s not in GONE)


def test_all_means_every_member_who_attends_here_exempted_included() -> None:
    everyone = Target()
    assert MemberStatus.EXEMPTED in ON_ROSTER and MemberStatus.TEMPORARY in ON_ROSTER
    assert all(everyone.includes(s) for s in ON_ROSTER if s is not MemberStatus.AWAY)
    # one of ours away at another branch studies there; a plan naming the status reaches them
    assert not everyone.includes(MemberStatus.AWAY)
    assert Target(Audience.STATUSES, (MemberStatus.AWAY,)).includes(MemberStatus.AWAY)


def test_members_gone_from_the_roster_are_never_targeted_whatever_the_audience() -> None:
    for target in (Target(), Target(Audience.STATUSES, tuple(MemberStatus)),
                   Target(Audience.SECRETARY)):
        for s in GONE:
            assert not target.includes(s, is_secretary=True), (target, s)


def test_statuses_and_secretary_audiences() -> None:
    official = target_from_fields("statuses", "official probationary")
    assert official.includes(MemberStatus.OFFICIAL)
    assert official.includes(MemberStatus.PROBATIONARY)
    assert not official.includes(MemberStatus.EXEMPTED)
    secretary = target_from_fields("secretary", "")
    assert secretary.includes(MemberStatus.OFFICIAL, is_secretary=True)
    assert not secretary.includes(MemberStatus.OFFICIAL)
    assert target_from_fields("", "") == Target()
    for audience, statuses in [("statuses", ""), ("statuses", "official ghost"),
                               ("everyone", "")]:
        with refused("study.bad_target"):
            target_from_fields(audience, statuses)


def test_progress_keeps_the_roster_order_and_guests_do_not_count() -> None:
    p = progress(["m3", "m1", "m2", "m4"], {"s1": ["m1", "guest"], "s2": ["m4", "m1"]})
    assert p.studied == {"m1", "m4"}
    assert p.makeup == ("m3", "m2")
    assert not p.done
    done = progress(["m1"], {"s1": ["m1"], "s2": []})
    assert done.done and done.makeup == ()
    assert not progress([], {"s1": ["guest"]}).done    # a plan for no one is not "done"
    assert progress(["m1", "m2"], {}).makeup == ("m1", "m2")


def test_overdue_only_after_the_due_day_and_only_while_not_done() -> None:
    import datetime as dt

    from sotay_core.domain.study_plan import overdue
    p = progress(["m1"], {})
    due = dt.date(2026, 6, 30)
    assert not overdue(due, due, p)
    assert overdue(due, dt.date(2026, 7, 1), p)
    assert not overdue(due, dt.date(2026, 7, 1), progress(["m1"], {"s": ["m1"]}))
    assert not overdue(None, dt.date(2030, 1, 1), p)


# --- points -------------------------------------------------------------------------------


def test_member_points_from_a_plan() -> None:
    rule = PointsRule(per_plan=10, per_session=2, quiz_passed=5)
    assert member_points(rule, sessions_attended=0, quiz_passed=True) == 0
    assert member_points(rule, sessions_attended=1, quiz_passed=False) == 10
    assert member_points(rule, sessions_attended=3, quiz_passed=True) == 10 + 4 + 5
    assert member_points(rule, sessions_attended=1, quiz_passed=False, plan_points=20) == 20
    assert member_points(rule, sessions_attended=1, quiz_passed=False, plan_points=0) == 0


def test_points_rule_json() -> None:
    rule = PointsRule(7, 1, 3)
    assert PointsRule.from_json(rule.to_json()) == rule
    assert PointsRule.from_json("") == PointsRule()
    assert PointsRule.from_json('{"per_plan": 4}') == PointsRule(per_plan=4)
    for bad in ("[]", "{", '{"per_plan": "x"}'):
        with refused("study.bad_json", what="points"):
            PointsRule.from_json(bad)
    with refused("study.points_range"):
        PointsRule.from_json('{"quiz_passed": 1001}')
    with refused("study.points_range"):
        PointsRule.from_json('{"per_plan": -1}')
