"""Conversations that change course (issue 13): a clear new request inside a form pauses it with
one short line, is answered, and the form can be picked up again with a button; benefit
questions are asked one at a time and never twice (issue 12)."""

from __future__ import annotations

from tests.e2e.conftest import Stack
from tests.e2e.test_booking_dialogues import Chat, all_text, buttons


def test_program_question_interrupts_booking_and_booking_resumes(stack: Stack) -> None:
    chat = Chat(stack)
    replies = chat.say("상담 예약하고 싶어요")
    assert "지역" in all_text(replies) or "센터" in all_text(replies)
    chat.say("관악구요")
    replies = chat.say("전직스쿨 신청은 어떻게 해요?")
    said = all_text(replies)
    assert "상담 예약은 잠시 멈출게요" in said
    assert "전직스쿨" in said and "알아듣지 못했어요" not in said
    resume = [b for b in buttons(replies) if b["title"] == "상담 예약 계속하기"]
    assert resume, said
    replies = chat.say(resume[0]["payload"])
    # picked up where it stopped: the district is kept, so centers are offered, not the region
    assert any("센터" in b["title"] for b in buttons(replies)), all_text(replies)


def test_booking_request_interrupts_the_alert_form(stack: Stack) -> None:
    chat = Chat(stack)
    replies = chat.say("박람회 알림 받고 싶어요")
    assert "지역" in all_text(replies)
    replies = chat.say("아 그 전에 상담 예약부터 할게요")
    said = all_text(replies)
    assert "알림 신청은 잠시 멈출게요" in said
    assert any(b["title"] == "알림 신청 계속하기" for b in buttons(replies))
    assert "상담받으시겠어요" in said  # the booking's first question


def test_alert_request_interrupts_the_region_question(stack: Stack) -> None:
    chat = Chat(stack)
    chat.say("상담 예약하고 싶어요")
    replies = chat.say("박람회 알림 받고 싶어요")
    said = all_text(replies)
    assert "잠시 멈출게요" in said and "지역" in said


def test_privacy_question_at_consent_is_answered_and_the_form_goes_on(stack: Stack) -> None:
    chat = Chat(stack)
    replies = chat.say("관악구 센터에 다음주 화요일 오후 2시 상담 예약해 주세요")
    for _ in range(3):  # center → date/time buttons until the consent question
        if "개인정보" in all_text(replies):
            break
        options = buttons(replies)
        replies = chat.say(options[0]["payload"])
    assert "개인정보" in all_text(replies)
    replies = chat.say("개인정보 막 수집하는 거 아니죠?")
    said = all_text(replies)
    assert "30일" in said and "삭제" in said  # what is kept, for how long, how to erase
    assert "동의" in said  # and the consent question again, with its buttons
    assert any("동의" in b["title"] for b in buttons(replies))


def test_laid_off_user_gets_an_unemployment_benefit_estimate(stack: Stack) -> None:
    chat = Chat(stack)
    replies = chat.say("구조조정으로 나왔는데 실업급여 신청할 수 있을까요?")
    asked: list[str] = []
    answers = {
        "기간": "8년",
        "연세": "쉰다섯이요",
        "월급": "350만원쯤",
        "상황": "퇴직했어요",
    }
    for _ in range(6):
        said = all_text(replies)
        if "예상" in said and "일" in said and "고용24" in said:
            break
        assert "이유" not in said  # the reason was already said: never asked
        key = next((k for k in answers if k in said), None)
        assert key is not None, said
        assert key not in asked, f"asked twice: {key}"
        asked.append(key)
        assert buttons(replies), said  # every question carries buttons
        replies = chat.say(answers[key])
    said = all_text(replies)
    assert said.startswith("구직급여(실업급여)를 받으실 수 있을 것으로 예상돼요"), said
    assert "240일" in said and "고용24" in said and "기준일" in said


def test_voluntary_quit_explains_the_rule(stack: Stack) -> None:
    chat = Chat(stack)
    replies = chat.say("이직하려고 제 발로 나왔는데 실업급여 받을 수 있나요?")
    for _ in range(4):
        said = all_text(replies)
        if "받기 어려울" in said:
            break
        replies = chat.say({True: "퇴직했어요"}.get("상황" in said, "잘 모르겠어요"))
    said = all_text(replies)
    assert "받기 어려울" in said and "임금 체불" in said


def test_couple_asks_about_national_employment_support(stack: Stack) -> None:
    chat = Chat(stack)
    replies = chat.say("부부 둘이 사는 62세예요. 가구 소득이 월 200만원인데 국취 받을 수 있어요?")
    answers = {"실업급여": "아니요", "재산": "2억 원", "100일": "네", "돌보시는": "없어요"}
    for _ in range(6):
        said = all_text(replies)
        if "2인 가구" in said:
            break
        assert "본인을 포함해" not in said and "소득을 합하면" not in said  # said: not asked
        key = next((k for k in answers if k in said), None)
        assert key is not None, said
        replies = chat.say(answers[key])
    said = all_text(replies)
    assert "2인 가구" in said and "60만 원" in said


def test_natural_yes_confirms_the_erase(stack: Stack) -> None:
    chat = Chat(stack)
    chat.say("박람회 알림 받고 싶어요")
    chat.say("부산")
    replies = chat.say("제 정보 삭제해 주세요")
    assert "지울까요" in all_text(replies) and buttons(replies)
    replies = chat.say("네 다 지워주세요")
    said = all_text(replies)
    assert "지웠" in said or "삭제했" in said, said


def test_the_reported_question_with_its_story_starts_the_benefit_check(stack: Stack) -> None:
    chat = Chat(stack)
    replies = chat.say("실업급여 받을 수 있나요? 작년 12월에 회사에서 권고사직 당했어요")
    said = all_text(replies)
    assert "기억해 둘게요" not in said  # the question is answered, not only noted
    assert "고용보험" in said and buttons(replies), said  # the first fact it still needs
