"""Province and commune staff: accounts, browser sessions and form tokens.

- Passwords are hashed with Argon2id (``argon2-cffi``'s defaults: RFC 9106's second
  recommended set, 64 MiB); a hash made with weaker settings is re-hashed at login.
- A session is a 256-bit random token in an HttpOnly, SameSite=Strict cookie; the server
  keeps its SHA-256 and an expiry (8 h idle, 7 days at most); logout deletes it.
- Every form carries a token ``<issued>.<nonce>.<mac>`` signed with the session's own key:
  a form from another session (forged) or older than ``FORM_HOURS`` (stale) is refused, and a
  nonce is accepted once, so a form sent twice (a double click, the back button) does
  nothing the second time.
- Each account sees its unit's subtree only: ``in_area`` is the one check every page uses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sotay_core.domain.ids import new_id
from sync_server.admin import AdminError, _log, _unit, clean_line, sha256_hex
from sync_server.models import (
    StaffLoginFailure,
    StaffSession,
    StaffUser,
    Unit,
    UsedForm,
    utcnow,
)

# Wrong passwords per minute, then "wait a minute". Counted per account *and* address, never
# per account alone: a stranger who knows an account's name can slow their own guesses at it,
# not its owner's login from another address (docs/province.md, "Failed logins").
LOGIN_LIMIT = 5      # … for one account from one address
LOGIN_IP_LIMIT = 20  # … from one address, any accounts (many offices share a carrier's NAT)
IDLE = dt.timedelta(hours=8)
LONGEST = dt.timedelta(days=7)
FORM_HOURS = 4
MIN_PASSWORD = 10
_hasher = PasswordHasher()
# Verified against when the username is unknown, so both cases cost the same time.
_DUMMY = _hasher.hash("not a password of anyone")


def _norm(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def add_user(session: Session, *, username: str, unit_id: str, password: str,
             display_name: str = "", actor: str = "admin") -> StaffUser:
    name = username.strip().lower()
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-" for c in name):
        raise AdminError("server_bad_username")
    if len(_norm(password)) < MIN_PASSWORD:
        raise AdminError("server_password_short", min=MIN_PASSWORD)
    unit = _unit(session, unit_id)
    if unit.level == "branch":
        raise AdminError("server_staff_not_branch")
    if session.scalars(select(StaffUser).where(StaffUser.username == name)).first():
        raise AdminError("server_username_taken", username=name)
    user = StaffUser(id=new_id(), username=name, unit_id=unit.id,
                     display_name=clean_line(display_name, "server_field.display_name") or name,
                     password_hash=_hasher.hash(_norm(password)))
    session.add(user)
    _log(session, actor, "staff_add", username=name, unit=unit.id)
    return user


def set_password(session: Session, username: str, password: str, *, actor: str = "admin"
                 ) -> StaffUser:
    user = _user(session, username)
    if len(_norm(password)) < MIN_PASSWORD:
        raise AdminError("server_password_short", min=MIN_PASSWORD)
    user.password_hash = _hasher.hash(_norm(password))
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    _log(session, actor, "staff_password", username=user.username)
    return user


def disable_user(session: Session, username: str, *, actor: str = "admin") -> StaffUser:
    user = _user(session, username)
    if user.disabled_at is None:
        user.disabled_at = utcnow()
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    _log(session, actor, "staff_disable", username=user.username)
    return user


def _user(session: Session, username: str) -> StaffUser:
    user = session.scalars(select(StaffUser).where(
        StaffUser.username == username.strip().lower())).first()
    if user is None:
        raise AdminError("server_user_not_found", username=username)
    return user


def check_password(session: Session, username: str, password: str) -> StaffUser | None:
    """The account, if the password is right and the account is active."""
    user = session.scalars(select(StaffUser).where(
        StaffUser.username == username.strip().lower()[:64])).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY, _norm(password))
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.disabled_at is not None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(_norm(password))
    return user


def address_key(address: str) -> str:
    """The unit an address is counted by: an IPv4 address itself, an IPv6 address by its /64
    (one home or phone gets a whole /64, so counting single IPv6 addresses would give an
    attacker 2^64 fresh counters)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def login_blocked(session: Session, username: str, address: str) -> bool:
    """Too many wrong passwords in the last minute for this account from this address, or
    from this address at all. Never for the account alone: anyone who knows a name could
    then keep its owner out by guessing wrong on purpose."""
    since = utcnow() - dt.timedelta(minutes=1)
    name = username.strip().lower()[:64]
    where = address_key(address)
    by_pair = session.scalar(select(func.count()).select_from(StaffLoginFailure).where(
        StaffLoginFailure.username == name, StaffLoginFailure.address == where,
        StaffLoginFailure.at > since)) or 0
    if by_pair >= LOGIN_LIMIT:
        return True
    by_address = session.scalar(select(func.count()).select_from(StaffLoginFailure).where(
        StaffLoginFailure.address == where, StaffLoginFailure.at > since)) or 0
    return by_address >= LOGIN_IP_LIMIT


def login_failed(session: Session, username: str, address: str) -> None:
    session.add(StaffLoginFailure(username=username.strip().lower()[:64],
                                  address=address_key(address)))
    session.execute(delete(StaffLoginFailure).where(
        StaffLoginFailure.at < utcnow() - dt.timedelta(days=1)))


@dataclass(frozen=True)
class Login:
    token: str
    user: StaffUser


def open_session(session: Session, user: StaffUser) -> Login:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(StaffSession(token_hash=sha256_hex(token), user_id=user.id,
                             form_key=secrets.token_hex(32), created_at=now,
                             last_used_at=now, expires_at=now + LONGEST))
    user.last_login_at = now
    # Expired sessions of anyone are cleared now and then (here: at each login).
    session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    return Login(token, user)


def session_for(session: Session, token: str) -> tuple[StaffSession, StaffUser] | None:
    if not token or len(token) > 100:
        return None
    row = session.get(StaffSession, sha256_hex(token))
    now = utcnow()
    if row is None or row.expires_at < now or now - row.last_used_at > IDLE:
        return None
    user = session.get(StaffUser, row.user_id)
    if user is None or user.disabled_at is not None:
        return None
    if now - row.last_used_at > dt.timedelta(minutes=1):
        row.last_used_at = now
    return row, user


def close_session(session: Session, token: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.token_hash == sha256_hex(token)))


# --- form tokens ---------------------------------------------------------------------


def _mac(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()[:32]


def form_token(staff_session: StaffSession, now: dt.datetime | None = None) -> str:
    issued = int((now or utcnow()).replace(tzinfo=dt.UTC).timestamp())
    body = f"{issued}.{secrets.token_hex(12)}"
    return f"{body}.{_mac(staff_session.form_key, body)}"


class FormRefused(Exception):
    """``code``: form_forged, form_stale or form_repeated."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def spend_form_token(session: Session, staff_session: StaffSession, token: str) -> None:
    """Accept a form once; raises FormRefused otherwise."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or len(token) > 100:
        raise FormRefused("form_forged")
    body = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_mac(staff_session.form_key, body), parts[2]):
        raise FormRefused("form_forged")
    issued = dt.datetime.fromtimestamp(int(parts[0]), dt.UTC).replace(tzinfo=None)
    if utcnow() - issued > dt.timedelta(hours=FORM_HOURS):
        raise FormRefused("form_stale")
    try:
        with session.begin_nested():
            session.add(UsedForm(nonce=parts[1]))
    except IntegrityError:
        raise FormRefused("form_repeated") from None
    # Nonces older than any acceptable form are of no use any more.
    session.execute(delete(UsedForm).where(
        UsedForm.used_at < utcnow() - dt.timedelta(hours=FORM_HOURS + 1)))


# --- areas ---------------------------------------------------------------------------


def in_area(user_unit: Unit, unit: Unit | None) -> bool:
    """Whether ``unit`` is the user's own unit or below it."""
    return unit is not None and unit.path.startswith(user_unit.path)
