"""``sotay-server check`` and ``cleanup``: the files folder against the database, and old
unfinished uploads."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sync_server.cli.common import Env, command, emit, with_db

if TYPE_CHECKING:
    from sync_server.cli.common import SubParsers


def add_check(sub: SubParsers) -> None:
    check = command(sub, "check", check_files,
                    help="verify every stored file against the database")
    check.add_argument("--files-dir", type=Path, help="default: SOTAY_SERVER_FILES_DIR")
    check.add_argument("--json", action="store_true")
    with_db(check)


def add_cleanup(sub: SubParsers) -> None:
    cleanup = command(sub, "cleanup", clean_partials,
                      help="remove unfinished uploads older than an age")
    cleanup.add_argument("--older-than", type=float, metavar="HOURS",
                         help="default: SOTAY_SERVER_PARTIAL_MAX_AGE_HOURS (48)")
    cleanup.add_argument("--files-dir", type=Path, help="default: SOTAY_SERVER_FILES_DIR")
    cleanup.add_argument("--json", action="store_true")
    with_db(cleanup)


def clean_partials(args: argparse.Namespace, env: Env) -> int:
    from sync_server import files

    files_dir = Path(args.files_dir or env.settings.files_dir)
    hours = env.settings.partial_max_age_hours if args.older_than is None else args.older_than
    removed, freed = files.cleanup_partials(files_dir, max(0.0, hours) * 3600)
    emit(args, {"removed": removed, "bytes": freed, "older_than_hours": hours},
         f"Đã xóa {removed} tệp tải lên dở (cũ hơn {hours:g} giờ), giải phóng {freed} byte.")
    return 0


def check_files(args: argparse.Namespace, env: Env) -> int:
    """Read every stored file back; exit 1 when one is missing or damaged."""
    from sync_server import admin, files

    files_dir = Path(args.files_dir or env.settings.files_dir)
    with env.transaction() as session:
        report = files.check_store(session, files_dir)
        if not report.ok:
            admin.log_action(session, "cli:check", "file_check_failed",
                             missing=report.missing, corrupt=report.corrupt)
    if args.json:
        print(json.dumps({"files_dir": str(files_dir), "checked": report.checked,
                          "bytes": report.bytes, "missing": report.missing,
                          "corrupt": report.corrupt, "unknown": report.unknown,
                          "ok": report.ok}, ensure_ascii=False))
    else:
        print(f"Thư mục tệp: {files_dir}")
        print(f"Đã kiểm {report.checked} tệp ({report.bytes} byte đọc lại).")
        for sha in report.missing:
            print(f"THIẾU  {sha}")
        for sha in report.corrupt:
            print(f"HỎNG   {sha}  (kích thước hoặc mã SHA-256 không khớp)")
        if report.unknown:
            print(f"{len(report.unknown)} tệp trong thư mục không có trong cơ sở dữ liệu "
                  "(không dùng; có thể xóa).")
        print("Tất cả tệp khớp với cơ sở dữ liệu." if report.ok else
              f"CÓ LỖI: thiếu {len(report.missing)}, hỏng {len(report.corrupt)}. Khôi phục "
              "thư mục tệp từ bản sao lưu cùng lúc với cơ sở dữ liệu (docs/install.md).")
    return 0 if report.ok else 1
