"""Sign-in for the web app: who is using this session, or a stop before anything is shown.

The sign-in is a ``Ticket`` kept in st.session_state only, on the server: no cookie of
ours, nothing the browser could forge, and the sign-in log keeps only a hash of the
session id. The ticket is bound to the user's role and password at sign-in: every run
reads the user again from the users table, and a user disabled, given another role or a
new password is signed out at their next click. Downloads check the ticket again when
the file is produced (``guarded``), after the page run that offered them.
With an OIDC provider configured ([auth] in .streamlit/secrets.toml), Streamlit's
st.login verifies the identity and its email is looked up in the same table.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st
from streamlit import config
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner import get_script_run_ctx

from wenming.render import safe
from wenming.store import Store, auth, throttle
from wenming.text import t
from wenming.web import data

USER = "_signed_in"  # session state: the sign-in's Ticket
OIDC_LOGGED = "_oidc_logged"  # session state: the identity whose sign-in was already logged
MAX_NAME_TYPED = auth.MAX_NAME
MAX_PASSWORD_TYPED = auth.MAX_PASSWORD
T = TypeVar("T")
log = logging.getLogger(__name__)
REQUESTER: ContextVar[str | None] = ContextVar("wenming_download_requester", default=None)
_BACKEND_OPERATION = AppSession._handle_backend_operation_request  # Streamlit's own, wrapped by harden()


@dataclass
class Ticket:
    """One sign-in of this session: who, bound to their role and password then; ``active`` until sign-out."""

    name: str
    binding: str
    active: bool = True

    def user(self, store: Store) -> auth.User | None:
        """The user, re-read now; None once signed out, disabled, given another role or a new password."""
        if not self.active or auth.binding(store, self.name) != self.binding:
            return None
        return auth.find(store, self.name)


def _ticket(store: Store, user: auth.User) -> Ticket:
    return Ticket(user.name, auth.binding(store, user.name) or "")


def loopback(address: str | None) -> bool:
    """Whether the server listens on this machine only (no address: every interface)."""
    if not address:
        return False
    if address.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def oidc_configured() -> bool:
    """An [auth] section in .streamlit/secrets.toml: single sign-on through st.login."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else None


def _address() -> str | None:
    """The client's address (None on this machine), for the per-address lockout."""
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # AppTest's client is a mock


def current() -> auth.User | None:
    """This session's user: the local user when no users are configured, None before sign-in."""
    store = data.store()
    if not auth.has_users(store):
        return auth.local() if loopback(config.get_option("server.address")) else None
    ticket = st.session_state.get(USER)
    return ticket.user(store) if isinstance(ticket, Ticket) else None


def holds(user: auth.User | None, need: str | None) -> bool:
    """Whether a signed-in user has ``need`` ("import", "admin"; None: reading)."""
    return user is not None and (
        need is None or (need == "import" and user.may_import) or (need == "admin" and user.is_admin)
    )


def guarded(build: Callable[[], T], need: str | None = None) -> Callable[[], T]:
    """``build`` for a download button, run only if this session's sign-in still holds ``need`` then.

    Streamlit runs a download's callable when it is clicked, in a thread of its own after
    the page run: the ticket (and the store) are taken now, the rights are read then. A
    user signed out, disabled or demoted since gets an error in place of the file, logged.
    """
    store = data.store()
    ticket = st.session_state.get(USER)
    local = not auth.has_users(store)
    owner = _session_id()

    def produce() -> T:
        requester = REQUESTER.get()  # None: not through Streamlit's download request (a test)
        cursor = store.cursor()
        try:
            user = auth.local() if local and not auth.has_users(cursor) else None
            if user is None and isinstance(ticket, Ticket):
                user = ticket.user(cursor)
            if not holds(user, need) or requester not in (None, owner):
                auth.audit(cursor, ticket.name if isinstance(ticket, Ticket) else "?", "download_refused", need=need)
                raise auth.Forbidden("download", "download", user=ticket.name if isinstance(ticket, Ticket) else "?")
        finally:
            cursor.close()
        return build()

    return produce


def _ignore_clear_cache(session: AppSession) -> None:
    """Streamlit's clear_cache message, from any client, even one not signed in, would drop every
    cache of the server for everyone; the developer menu that sends it is off (toolbarMode viewer)."""
    log.warning("ignored a clear_cache message from session %s", throttle.session_hash(session.id))


async def _as_requester(session: AppSession, request: Any) -> None:
    """Streamlit's download request, run knowing which session asked (REQUESTER): Streamlit itself
    produces the file of any session's download id for any session that sends it."""
    token = REQUESTER.set(session.id)
    try:
        await _BACKEND_OPERATION(session, request)
    finally:
        REQUESTER.reset(token)


def harden() -> None:
    """Switch off what Streamlit lets any client do before sign-in (called by every gate, idempotent)."""
    AppSession._handle_clear_cache_request = _ignore_clear_cache  # type: ignore[method-assign]
    AppSession._handle_backend_operation_request = _as_requester  # type: ignore[method-assign]


def gate() -> auth.User | None:
    """This session's user, None before sign-in; called by app.py before any data.

    With no users configured: the local user when the server listens on loopback only,
    else one sentence and st.stop(). A single sign-on identity not in the users table:
    one sentence and st.stop().
    """
    harden()
    store = data.store()
    if not auth.has_users(store):
        refuse_open_without_users(store)
        st.sidebar.caption(t("signin.local"))
        return auth.local()
    if USER in st.session_state:
        user = current()
        if user is not None:
            _signed_in(user)
            return user
        st.session_state.pop(USER, None)
        st.warning(t("signin.gone"))
    if oidc_configured() and st.user.get("is_logged_in"):
        return _identity(store)
    return None


def refuse_open_without_users(store: Store) -> None:
    """With no users, a server listening beyond this machine shows one sentence and stops (the wall screen too)."""
    address = config.get_option("server.address")
    if not auth.has_users(store) and not loopback(address):
        st.error(safe.say("signin.open_without_users", address=address or "0.0.0.0"), icon=":material/lock:")
        st.stop()


def required(user: auth.User | None) -> None:
    """Before sign-in: the sign-in form, and the script stops here (st.navigation has kept the page's URL)."""
    if user is None:
        _form(data.store())
        st.stop()


def _identity(store: Store) -> auth.User | None:
    """The single sign-on identity mapped onto the users table; an identity not in it is denied."""
    email = str(st.user.get("email") or "")
    if st.session_state.get(OIDC_LOGGED) != email:
        attempt = auth.identity(store, email, session_id=_session_id())
        st.session_state[OIDC_LOGGED] = email
    else:  # a rerun of a denied identity: not logged again
        found = auth.find_by_email(store, email)
        attempt = auth.Attempt(found, "ok") if found and found.enabled else auth.Attempt(None, "not_registered")
    if attempt.user is not None:
        st.session_state[USER] = _ticket(store, attempt.user)
        _signed_in(attempt.user)
        return attempt.user
    if attempt.reason == "disabled":  # the provider vouched for the identity: no password to protect
        st.error(t("signin.disabled"))
    else:
        st.error(safe.say("signin.not_registered", email=email or "?"))
    if st.button(t("signin.sso_other")):
        st.logout()
    st.stop()
    return None


def _form(store: Store) -> None:
    st.title(t("signin.title"))
    with st.form("signin"):
        st.caption(t("signin.intro"))
        name = st.text_input(t("signin.name"), key="signin_name", max_chars=MAX_NAME_TYPED)
        password = st.text_input(
            t("signin.password"), type="password", key="signin_password", max_chars=MAX_PASSWORD_TYPED
        )
        submitted = st.form_submit_button(t("signin.submit"), type="primary")
    if oidc_configured() and st.button(t("signin.sso"), icon=":material/badge:"):
        st.login()
    if submitted:
        attempt = auth.sign_in(store, name, password, session_id=_session_id(), address=_address())
        if attempt.user is not None:
            st.session_state[USER] = _ticket(store, attempt.user)
            st.rerun()
        st.error(attempt.message(), icon=":material/error:")


def _signed_in(user: auth.User) -> None:
    """The sidebar's note of who is signed in, and the sign-out button."""
    st.sidebar.caption(safe.say("signin.signed_in", name=user.name, role=t(f"role.{user.role}")))
    if st.sidebar.button(t("signin.sign_out"), icon=":material/logout:", key="signin_out"):
        ticket = st.session_state.pop(USER, None)
        if isinstance(ticket, Ticket):
            ticket.active = False  # downloads offered before the sign-out fail too
        st.session_state.pop(OIDC_LOGGED, None)
        if oidc_configured() and st.user.get("is_logged_in"):
            st.logout()
        st.rerun()


def require(need: str | None) -> auth.User:
    """Stop a page run whose user lacks ``need`` ("import", "admin"), or any user before sign-in."""
    user = current()
    if not holds(user, need):
        st.error(t("signin.forbidden_page"), icon=":material/lock:")
        st.stop()
    assert user is not None
    return user
