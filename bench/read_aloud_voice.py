"""What can be measured of espeak-ng's Vietnamese voice without listening (issue 21, "Đọc
to"; the figures are quoted in docs/hoc_tap.md): whether the six tones come out as six
different pitch shapes, and how fast it speaks. Run: ``python -m bench.read_aloud_voice``.

The pitch is tracked by plain autocorrelation (standard library only, 10 ms steps); a frame
is voiced when its normalised autocorrelation peak passes 0.5. For each syllable it prints
its length, the length of its voiced part and the pitch at 10 %, 50 % and 90 % of that part.
"""

from __future__ import annotations

import struct
import sys
import tempfile
import wave
from pathlib import Path

from sotay_desktop.services.read_aloud import RATE, program, speak_to_wav

TONES = (("ngang", "ma"), ("sắc", "má"), ("huyền", "mà"), ("hỏi", "mả"), ("ngã", "mã"),
         ("nặng", "mạ"))
PARAGRAPH = (
    "Nghị quyết Đại hội đại biểu toàn quốc lần thứ mười bốn của Đảng xác định mục tiêu "
    "phát triển đất nước nhanh và bền vững. Các chi bộ tổ chức học tập, quán triệt nghị "
    "quyết đến từng đảng viên, kể cả đảng viên cao tuổi được miễn sinh hoạt. Mỗi đảng viên "
    "xây dựng kế hoạch cá nhân thực hiện nghị quyết gắn với nhiệm vụ được giao ở thôn.")


def samples(path: Path) -> tuple[list[float], int]:
    with wave.open(str(path)) as w:
        rate, raw = w.getframerate(), w.readframes(w.getnframes())
    values = struct.unpack(f"<{len(raw) // 2}h", raw)
    # halve the rate (pairs averaged): pitch below 400 Hz keeps, the work is a quarter
    return [(values[i] + values[i + 1]) / 2 for i in range(0, len(values) - 1, 2)], rate // 2


def pitch_track(x: list[float], rate: int, low: int = 70, high: int = 350
                ) -> list[float | None]:
    frame, hop = int(0.03 * rate), int(0.01 * rate)
    lags = range(rate // high, rate // low + 1)
    track: list[float | None] = []
    for start in range(0, len(x) - frame - max(lags), hop):
        a = x[start:start + frame]
        energy = sum(v * v for v in a)
        if energy < frame * 200.0 ** 2:
            track.append(None)
            continue
        best, best_lag = 0.0, 0
        for lag in lags:
            b = x[start + lag:start + lag + frame]
            r = sum(p * q for p, q in zip(a, b, strict=True)) / (
                (energy * sum(q * q for q in b)) ** 0.5 or 1.0)
            if r > best:
                best, best_lag = r, lag
        track.append(rate / best_lag if best > 0.5 else None)
    return track


def shape(track: list[float | None]) -> tuple[int, list[int]]:
    voiced = [f for f in track if f is not None]
    if not voiced:
        return 0, []
    n = len(voiced)
    return n * 10, [round(voiced[min(n - 1, int(n * p))]) for p in (0.1, 0.5, 0.9)]


def main() -> int:
    if program() is None:
        print("espeak-ng is not installed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        print(f"rate {RATE} words a minute; voice vi (Northern)")
        print("tone    syllable  length  voiced  pitch Hz at 10/50/90 % of the voiced part")
        for name, syllable in TONES:
            out = Path(tmp) / f"{name}.wav"
            spoken = speak_to_wav(syllable, out)
            x, rate = samples(out)
            voiced_ms, points = shape(pitch_track(x, rate))
            print(f"{name:7} {syllable:8} {spoken.seconds * 1000:5.0f} ms {voiced_ms:4d} ms  "
                  f"{' -> '.join(map(str, points))}")
        out = Path(tmp) / "paragraph.wav"
        spoken = speak_to_wav(PARAGRAPH, out)
        print(f"paragraph: {spoken.words} syllables in {spoken.seconds:.1f} s = "
              f"{spoken.words / spoken.seconds * 60:.0f} syllables a minute, "
              f"{spoken.seconds / spoken.words * 1000:.0f} ms a syllable")
    return 0


if __name__ == "__main__":
    sys.exit(main())
