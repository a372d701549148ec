"""What every roster file holds: the 13 members of the office lists, how each office typed
them, and the four rows of the official Mẫu 7-HSĐV list."""

from __future__ import annotations

import datetime as dt
from typing import Any

# The 13 members every "office" file holds, as they should read after import.
# (name, birth date, gender, card number, admitted, official, hometown)
MEMBERS: list[tuple[str, dt.date, str, str, dt.date | None, dt.date | None, str]] = [
    ("Nguyễn Văn Hùng", dt.date(1966, 4, 12), "Nam", "01234567", dt.date(1990, 5, 19),
     dt.date(1991, 5, 19), "Tân Lập, Hưng Yên"),
    ("Trần Thị Hoà", dt.date(1966, 4, 12), "Nữ", "00123456", dt.date(1992, 2, 3),
     dt.date(1993, 2, 3), "Tân Lập, Hưng Yên"),
    ("Lê Văn Thắng", dt.date(1966, 4, 12), "Nam", "12345678", dt.date(1988, 9, 2),
     dt.date(1989, 9, 2), "Quang Trung, Hưng Yên"),
    ("Phạm Thị Nguyệt", dt.date(1966, 4, 2), "Nữ", "00000789", dt.date(1995, 12, 22),
     dt.date(1996, 12, 22), "Tân Lập, Hưng Yên"),
    ("Đỗ Đức Mạnh", dt.date(1966, 4, 12), "Nam", "23456789", dt.date(2001, 3, 26),
     dt.date(2002, 3, 26), "Hoà Bình, Hưng Yên"),
    ("Vũ Thị Thuỷ", dt.date(1966, 4, 12), "Nữ", "03456789", dt.date(1999, 7, 1),
     dt.date(2000, 7, 1), "Tân Lập, Hưng Yên"),
    ("Hoàng Văn Dũng", dt.date(1975, 11, 30), "Nam", "34567890", dt.date(2005, 1, 9),
     dt.date(2006, 1, 9), "Tân Lập, Hưng Yên"),
    ("Ngô Thị Lệ", dt.date(1980, 1, 5), "Nữ", "45678901", dt.date(2010, 6, 15),
     dt.date(2011, 6, 15), "Tân Lập, Hưng Yên"),
    ("Bùi Quốc Việt", dt.date(1985, 8, 19), "Nam", "56789012", dt.date(2012, 10, 10),
     dt.date(2013, 10, 10), "Quang Trung, Hưng Yên"),
    ("Đặng Thị Yến", dt.date(1990, 2, 28), "Nữ", "06789012", dt.date(2015, 4, 30),
     dt.date(2016, 4, 30), "Tân Lập, Hưng Yên"),
    ("Dương Văn Khải", dt.date(1958, 6, 1), "Nam", "78901234", dt.date(1980, 2, 3),
     dt.date(1981, 2, 3), "Tân Lập, Hưng Yên"),
    ("Lý Thị Ngọc Ánh", dt.date(1995, 3, 8), "Nữ", "89012345", dt.date(2025, 9, 2), None,
     "Tân Lập, Hưng Yên"),
    ("Mai Xuân Trường", dt.date(1970, 7, 27), "Nam", "90123456", dt.date(1998, 8, 19),
     dt.date(1999, 8, 19), "Hoà Bình, Hưng Yên"),
]
# How each office typed each member's birth date and card number (the same values).
BIRTH_AS_TYPED: list[Any] = [
    "12/04/1966", "12-04-1966", "12.04.1966", "2/4/1966", dt.datetime(1966, 4, 12),
    24209,   # an Excel serial number: 12/04/1966 in a cell with the General format
]
SIGNERS = ("Trần Thị Hoa", "Nguyễn Văn Bình")   # the list's maker and the secretary
PHONES = [f"0912 345 {600 + i}" for i in range(len(MEMBERS))]   # a column we do not know


def typed_birth(i: int) -> Any:
    return BIRTH_AS_TYPED[i] if i < len(BIRTH_AS_TYPED) else MEMBERS[i][1].strftime("%d/%m/%Y")


def vn_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


# --- the official Mẫu 7-HSĐV layout: several values in one cell, one per line --------------

MAU7_HEADINGS = (
    "Số TT", "HỌ VÀ TÊN\nHọ và tên khai sinh", "Nam, nữ, dân tộc, tôn giáo", "QUÊ QUÁN",
    "Văn hoá, lý luận, CMNV, ngoại ngữ",
    "Nghề nghiệp trước khi vào Đảng, Nghề nghiệp hiện nay",
    "Ngày vào Đảng, ngày chính thức",
    "Số thẻ đảng viên, số lý lịch đảng viên, số Huy hiệu Đảng",
    "Bộ đội, công an, hưu trí", "Ngày chuyển đi, đến đảng bộ cơ sở",
    "Ngày chuyển đến, ở đảng bộ cơ sở nào đến", "Ngày từ trần\nLý do",
    "Ngày ra khỏi Đảng, hình thức ra Đảng", "Ghi chú",
)
# name, birth name, gender, ethnicity, religion, education lines, admitted, official,
# card, record, badge, deceased, left
MAU7_ROWS: list[dict[str, Any]] = [
    {"name": "Nguyễn Văn Hùng", "birth_name": "Nguyễn Văn Hừng", "gender": "Nam",
     "ethnicity": "Kinh", "religion": "Không", "education": ("12/12", "Sơ cấp", "Kỹ sư"),
     "admitted": dt.date(1990, 5, 19), "official": dt.date(1991, 5, 19), "card": "01234567",
     "record": "HY-001", "badge": "30 năm"},
    {"name": "Trần Thị Hoà", "birth_name": "", "gender": "Nữ", "ethnicity": "Tày",
     "religion": "Phật giáo", "education": ("10/10",), "admitted": dt.date(1992, 2, 3),
     "official": dt.date(1993, 2, 3), "card": "00123456", "record": "HY-002", "badge": ""},
    {"name": "Lê Văn Thắng", "birth_name": "", "gender": "Nam", "ethnicity": "Kinh",
     "religion": "Không", "education": ("12/12", "Trung cấp"),
     "admitted": dt.date(1960, 9, 2), "official": dt.date(1961, 9, 2), "card": "12345678",
     "record": "HY-003", "badge": "60 năm", "deceased": dt.date(2024, 3, 1)},
    {"name": "Phạm Thị Nguyệt", "birth_name": "", "gender": "Nữ", "ethnicity": "Kinh",
     "religion": "Công giáo", "education": ("9/12",), "admitted": dt.date(1995, 12, 22),
     "official": dt.date(1996, 12, 22), "card": "00000789", "record": "HY-004", "badge": "",
     "left": "15/06/2020 – xoá tên"},
]
