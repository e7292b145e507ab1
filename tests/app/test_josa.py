"""Particles chosen by how the word before them is read: Hangul, digits, Latin letters, Ⅰ/Ⅱ, brackets."""

from __future__ import annotations

import pytest

from knowledge.josa import attach, has_particle_pair, josa


@pytest.mark.parametrize(
    "word, particle, expected",
    [
        # a vowel at the end
        ("국민취업지원제도", "은", "국민취업지원제도는"),
        ("보람일자리", "을", "보람일자리를"),
        ("생애경력설계서비스", "이", "생애경력설계서비스가"),
        ("내일배움카드", "과", "내일배움카드와"),
        ("고용센터", "으로", "고용센터로"),
        ("보람일자리", "이에요", "보람일자리예요"),
        ("중장년 경력지원제", "이나", "중장년 경력지원제나"),
        # ㄹ at the end: 으로 becomes 로, the other particles take the consonant form
        ("서울", "으로", "서울로"),
        ("전직스쿨", "으로", "전직스쿨로"),
        ("광주 북구 일곡동 길", "으로", "광주 북구 일곡동 길로"),
        ("서울", "은", "서울은"),
        ("전직스쿨", "이", "전직스쿨이"),
        ("평일", "과", "평일과"),
        # other final consonants
        ("부산", "으로", "부산으로"),
        ("퇴직·구직 중", "으로", "퇴직·구직 중으로"),
        ("재도약프로그램", "을", "재도약프로그램을"),
        ("한국폴리텍대학", "과", "한국폴리텍대학과"),
        ("일손부족일자리 동행인센티브", "는", "일손부족일자리 동행인센티브는"),
        ("재취업지원서비스 의무화", "가", "재취업지원서비스 의무화가"),
        ("만 55세, 퇴직·구직 중, 서울 거주", "으로", "만 55세, 퇴직·구직 중, 서울 거주로"),
        # digits, read the Sino-Korean way
        ("1일", "이", "1일이"),
        ("1", "으로", "1로"),
        ("2", "으로", "2로"),
        ("3", "은", "3은"),
        ("3", "으로", "3으로"),
        ("6", "이", "6이"),
        ("7", "으로", "7로"),
        ("8", "는", "8은"),
        ("9", "이", "9가"),
        ("0", "는", "0은"),
        ("10", "은", "10은"),
        ("10", "으로", "10으로"),
        ("100", "을", "100을"),
        ("1000", "이", "1000이"),
        ("10000", "으로", "10000으로"),
        ("100000000", "는", "100000000은"),
        ("1350", "으로", "1350으로"),
        ("15", "이", "15가"),
        ("21", "으로", "21로"),
        ("1,000", "은", "1,000은"),
        ("1,001", "으로", "1,001로"),
        ("월 60만원, 2.5", "이", "월 60만원, 2.5가"),
        ("50%", "는", "50%는"),
        # Latin letters: acronyms are read letter by letter, words as written
        ("HRD-Net", "은", "HRD-Net은"),
        ("HRD-Net", "으로", "HRD-Net으로"),
        ("Q-Net", "을", "Q-Net을"),
        ("KTX", "은", "KTX는"),
        ("KTX", "으로", "KTX로"),
        ("HRD", "이", "HRD가"),
        ("URL", "으로", "URL로"),
        ("URL", "이", "URL이"),
        ("PM", "이", "PM이"),
        ("AI", "와", "AI와"),
        # Roman numerals: Ⅰ 일, Ⅱ 이, Ⅲ 삼
        ("Ⅰ유형", "은", "Ⅰ유형은"),
        ("Ⅱ유형", "으로", "Ⅱ유형으로"),
        ("Ⅰ", "으로", "Ⅰ로"),
        ("Ⅰ", "이", "Ⅰ이"),
        ("Ⅱ", "이", "Ⅱ가"),
        ("Ⅲ", "이", "Ⅲ이"),
        # a closing bracket: the word before the bracket is what is read
        ("국민취업지원제도(국취)", "은", "국민취업지원제도(국취)는"),
        ("Ⅱ유형(중장년 35~69세)", "은", "Ⅱ유형(중장년 35~69세)은"),
        ("고용24 (www.work24.go.kr)", "이나", "고용24 (www.work24.go.kr)나"),
        (
            "고용노동부 고객상담센터 1350(국번 없이)",
            "으로",
            "고용노동부 고객상담센터 1350(국번 없이)으로",
        ),
        ("11월 24일(화) 오후 2시", "으로", "11월 24일(화) 오후 2시로"),
        ("11월 24일(화) 오후 2시 30분", "으로", "11월 24일(화) 오후 2시 30분으로"),
        ("ACD347 (A-C-D-3-4-7)", "이에요", "ACD347 (A-C-D-3-4-7)이에요"),
        ("KPX592", "이에요", "KPX592예요"),
        ("센터 [서울]", "으로", "센터 [서울]로"),
        # quotes are not asides: the quoted word is read
        ("'전직스쿨'", "으로", "'전직스쿨'로"),
        ("그 '서울역'", "으로", "그 '서울역'으로"),
        ("「보람일자리」", "을", "「보람일자리」를"),
    ],
)
def test_attach_chooses_by_the_spoken_end(word: str, particle: str, expected: str) -> None:
    assert attach(word, particle) == expected


@pytest.mark.parametrize(
    "word, particle, expected",
    [
        ("서울 ", "으로", "로"),
        ("부산.", "으로", "으로"),
        ("국민취업지원제도. ", "은", "는"),
        ("국민취업지원제도(국취). ", "은", "는"),
        ("전직스쿨…", "이", "이"),
        ("보람일자리! ", "을", "를"),
        ("(국취)", "은", "는"),
    ],
)
def test_trailing_space_and_punctuation_are_not_read(
    word: str, particle: str, expected: str
) -> None:
    assert josa(word, particle) == expected


@pytest.mark.parametrize(
    "vowel_form, consonant_form",
    [("는", "은"), ("가", "이"), ("를", "을"), ("와", "과"), ("예요", "이에요"), ("라", "이라"),
     ("나", "이나"), ("랑", "이랑"), ("야", "아"), ("면", "이면"), ("든", "이든"), ("요", "이요")],
)  # fmt: skip
def test_either_form_of_a_pair_can_be_asked_for(vowel_form: str, consonant_form: str) -> None:
    for asked in (vowel_form, consonant_form):
        assert josa("제도", asked) == vowel_form
        assert josa("센터장", asked) == consonant_form


def test_unknown_ending_takes_the_consonant_form() -> None:
    assert josa("🙂", "은") == "은"
    assert josa("🙂", "으로") == "으로"


def test_unknown_particle_is_an_error() -> None:
    with pytest.raises(ValueError):
        josa("서울", "에서")


@pytest.mark.parametrize(
    "text",
    [
        "국민취업지원제도은(는) 받으실 수 있어요",
        "네, 퇴직·구직 중(으)로 기억해 둘게요",
        "박람회이(가) 열려요",
        "서비스을(를) 받기 어렵습니다",
        "센터와(과) 함께",
        "내일배움카드(이)라고",
        "보람일자리(이)에요",
        "내일배움카드을/를 신청",
        "센터은/는 ",
        "서울(로) 바꿀까요",
    ],
)
def test_particle_pairs_are_found(text: str) -> None:
    assert has_particle_pair(text)


@pytest.mark.parametrize(
    "text",
    [
        "국민취업지원제도(국취)는 받으실 수 있어요",
        "Ⅱ유형(중장년 35~69세)은 수당 대신 비용을 받아요",
        "나이/가구 소득을 알려 주세요",
        "채용박람회 3건이에요(가까운 날짜 순).",
        "1350(국번 없이)으로 전화해 주세요",
        "11월 24일(화) 오후 2시로 바꿀까요?",
    ],
)
def test_finished_text_is_not_flagged(text: str) -> None:
    assert not has_particle_pair(text)
