"""A document read aloud (sotay_desktop/services/read_aloud.py): a real espeak-ng makes a
WAV whose header tells its true length, of a length that fits the words; a voice that
hangs, fails or talks past the size limit leaves no file and says why in words; a document
without text is refused. The real-voice cases are skipped where espeak-ng is missing."""

from __future__ import annotations

import stat
import sys
import wave
from pathlib import Path

import pytest

from sotay_core.domain.errors import DomainError
from sotay_desktop.services import read_aloud

HAS_VOICE = read_aloud.program() is not None
needs_voice = pytest.mark.skipif(not HAS_VOICE, reason="espeak-ng is not installed")

TEXT = ("Chi bộ thôn Thượng tổ chức học tập, quán triệt Nghị quyết Đại hội đại biểu toàn "
        "quốc lần thứ mười bốn của Đảng cho toàn thể đảng viên.")


def refused(code: str) -> pytest.RaisesExc[DomainError]:
    return pytest.raises(DomainError, check=lambda e: e.code == code)


def fake_voice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    script = tmp_path / "fake-espeak"
    script.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("SOTAY_ESPEAK", str(script))


@needs_voice
def test_a_vietnamese_sentence_becomes_a_whole_wav(tmp_path: Path) -> None:
    out = tmp_path / "doc.wav"
    spoken = read_aloud.speak_to_wav(TEXT, out)
    with wave.open(str(out)) as w:             # the streamed header's lengths were fixed
        frames, rate = w.getnframes(), w.getframerate()
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
    assert frames * 2 + 44 == out.stat().st_size == spoken.size
    assert spoken.seconds == pytest.approx(frames / rate)
    syllables = len(TEXT.split())
    assert spoken.words == syllables == 29
    # at 130 words a minute: between 0.2 and 0.6 s a syllable
    assert 0.2 * syllables < spoken.seconds < 0.6 * syllables
    assert not list(tmp_path.glob("*.part"))


@needs_voice
def test_past_the_size_limit_nothing_is_written_and_an_old_file_stays(tmp_path: Path) -> None:
    out = tmp_path / "doc.wav"
    out.write_bytes(b"the old file")
    with refused("read_aloud.too_big"):
        read_aloud.speak_to_wav(TEXT * 5, out, max_bytes=50_000)
    assert out.read_bytes() == b"the old file"
    assert not list(tmp_path.glob("*.part"))


def test_a_voice_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_voice(tmp_path, monkeypatch, "sys.stdin.read(); time.sleep(60)")
    out = tmp_path / "doc.wav"
    with refused("read_aloud.timeout") as caught:
        read_aloud.speak_to_wav(TEXT, out, timeout=1)
    assert "1" in caught.value.message("vi")
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_a_voice_that_fails_or_writes_no_wav_is_refused(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "doc.wav"
    fake_voice(tmp_path, monkeypatch, "sys.stdin.read(); sys.exit(3)")
    with refused("read_aloud.failed"):
        read_aloud.speak_to_wav(TEXT, out)
    fake_voice(tmp_path, monkeypatch, "sys.stdin.read(); sys.stdout.write('x' * 100)")
    with refused("read_aloud.failed"):
        read_aloud.speak_to_wav(TEXT, out)
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_no_voice_no_text_too_much_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "doc.wav"
    monkeypatch.setenv("SOTAY_ESPEAK", str(tmp_path / "no-such-program"))
    with refused("read_aloud.missing") as caught:
        read_aloud.speak_to_wav(TEXT, out)
    assert "espeak-ng" in caught.value.message("vi")
    fake_voice(tmp_path, monkeypatch, "")
    with refused("read_aloud.empty"):
        read_aloud.speak_to_wav(" \n\x00\t ", out)
    with refused("read_aloud.too_long"):
        read_aloud.speak_to_wav("a " * read_aloud.MAX_CHARS, out)
    assert not out.exists()


def test_speech_text_keeps_paragraphs_and_drops_control_characters() -> None:
    decomposed = "Nghi\u0323 quyê\u0301t"          # as some PDFs extract it
    assert read_aloud.speech_text(f"  {decomposed}\x0c\n\n  số  05\x00 \r\n") == \
        "Nghị quyết\nsố 05"


def test_dates_and_the_papers_abbreviations_are_given_in_words() -> None:
    assert read_aloud.spoken_form("Nghị quyết số 05-NQ/TW ngày 12/3/2026 của UBND xã") == \
        "Nghị quyết số 05 Nghị quyết Trung ương ngày 12 tháng 3 năm 2026 của Ủy ban nhân dân xã"
    assert read_aloud.spoken_form("Hướng dẫn 42-HD/BTCTW; CNH, HĐH") == \
        "Hướng dẫn 42 Hướng dẫn Ban Tổ chức Trung ương; công nghiệp hóa, hiện đại hóa"
    # words that only contain an abbreviation, numbers that are not dates: as they are
    assert read_aloud.spoken_form("TWO CTV 1/2 45% 3/12/26") == "TWO CTV 1 2 45% 3 12 26"


@needs_voice
def test_the_voice_reads_abbreviations_in_vietnamese() -> None:
    """espeak-ng reads "UBND" with its English voice; given the words it stays Vietnamese."""
    import subprocess

    def phonemes(text: str) -> str:
        exe = read_aloud.program()
        assert exe is not None
        return subprocess.run([exe, "-v", "vi", "-q", "-x", "-b", "1", text], check=True,
                              capture_output=True, text=True).stdout

    assert "(en)" in phonemes("UBND xã")
    assert "(en)" not in phonemes(read_aloud.spoken_form("UBND xã"))


def test_a_document_s_text_by_id_or_number(demo_db: object) -> None:
    from sqlalchemy import select

    from sotay_desktop.db.tables import DocumentRow

    with demo_db.sessions.begin() as session:     # type: ignore[attr-defined]
        row = session.scalars(select(DocumentRow).where(
            DocumentRow.deleted.is_(False), DocumentRow.body_text != "",
            DocumentRow.number != "")).first()
        assert row is not None
        doc_id, title, text = read_aloud.document_text(session, row.number)
        assert doc_id == row.id and title == row.title
        assert text.startswith(read_aloud.speech_text(f"{row.title} {row.number}"))
        assert read_aloud.document_text(session, row.id)[2] == text
        row.body_text, row.summary = "", ""
        session.flush()
        with refused("read_aloud.no_text"):
            read_aloud.document_text(session, row.id)
        with refused("read_aloud.no_document"):
            read_aloud.document_text(session, "no-such-document")
