"""``sotay profile …``: protect a data folder with a password, change it, add a user."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from sotay_core import i18n
from sotay_desktop.cli.common import (
    CliError,
    command,
    database,
    group,
    password,
    required_password,
    secret_file,
)
from sotay_desktop.db.layout import DB_NAME


def cmd_profile_create(args: argparse.Namespace, out: TextIO) -> int:
    """Protect a folder with a password: a new one, or one that already holds a branch."""
    from sotay_desktop.security import profile
    from sotay_desktop.services.branch import branch_info

    given = required_password(args)
    data_dir = Path(args.data_dir)
    if (data_dir / DB_NAME).exists():
        with database(args) as db, db.reads() as session:
            info = branch_info(session)
        name = info.branch.name if info else ""
        new = profile.encrypt_existing(data_dir, branch_name=name, user=args.user,
                                       password=given)
    else:
        new = profile.create_profile(data_dir, branch_name="", user=args.user,
                                     password=given)
        open_database_with(data_dir, new.key)
    out.write(i18n.t("profile_created", recovery=new.recovery_code) + "\n")
    return 0


def open_database_with(data_dir: Path, folder_key: bytes) -> None:
    from sotay_desktop.db.engine import open_database

    open_database(data_dir, key=folder_key).close()


def cmd_profile_passwd(args: argparse.Namespace, out: TextIO) -> int:
    """A new password: the old one from --password-file/SOTAY_PASSWORD, or the recovery code
    from --recovery-file when the password is forgotten."""
    from sotay_desktop.security import profile

    data_dir = Path(args.data_dir)
    new = secret_file(args.new_password_file, "--new-password-file")
    if args.recovery_file:
        folder_key = profile.unlock_with_recovery(data_dir, secret_file(args.recovery_file,
                                                                        "--recovery-file"))
    else:
        old = password(args)
        if old is None:
            raise CliError(i18n.t("password_missing"))
        folder_key = profile.unlock(data_dir, old, args.user)
    profile.set_password(data_dir, folder_key, args.user, new)
    out.write(i18n.t("profile_password_set", user=args.user) + "\n")
    return 0


def cmd_profile_adduser(args: argparse.Namespace, out: TextIO) -> int:
    """A second user for the same data (a deputy), allowed by an existing user's password."""
    from sotay_desktop.security import profile

    data_dir = Path(args.data_dir)
    if args.user in profile.profile_info(data_dir)["users"]:
        raise CliError(i18n.t("profile_user_exists", user=args.user))
    folder_key = profile.unlock(data_dir, required_password(args))
    profile.set_password(data_dir, folder_key, args.user,
                         secret_file(args.new_password_file, "--new-password-file"),
                         role=args.role)
    out.write(i18n.t("profile_password_set", user=args.user) + "\n")
    return 0


def register(sub: Any) -> None:
    """``profile`` and its subcommands."""
    prof = group(sub, "profile", "cli.profile")
    p_create = command(prof, "create", "cli.profile_create", json_flag=False)
    p_create.add_argument("--user", default="bi-thu", help=i18n.t("cli.profile_user"))
    p_create.set_defaults(func=cmd_profile_create)
    p_passwd = command(prof, "passwd", "cli.profile_passwd", json_flag=False)
    p_passwd.add_argument("--user", default="bi-thu", help=i18n.t("cli.profile_user"))
    p_passwd.add_argument("--new-password-file", required=True,
                          help=i18n.t("cli.new_password_file"))
    p_passwd.add_argument("--recovery-file", help=i18n.t("cli.recovery_file"))
    p_passwd.set_defaults(func=cmd_profile_passwd)
    p_add = command(prof, "adduser", "cli.profile_adduser", json_flag=False)
    p_add.add_argument("--user", required=True, help=i18n.t("cli.new_user"))
    p_add.add_argument("--role", default="deputy", choices=("secretary", "deputy"),
                       help=i18n.t("cli.role"))
    p_add.add_argument("--new-password-file", required=True,
                       help=i18n.t("cli.new_password_file"))
    p_add.set_defaults(func=cmd_profile_adduser)
