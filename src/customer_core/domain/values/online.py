"""Online identifiers: social profiles, messenger ids, websites, external ids.

A social profile may be typed as a handle or pasted as a profile link; both
give the same handle:

>>> from customer_core import SocialProfile, MessengerId
>>> profile = SocialProfile.parse("https://www.instagram.com/Joao.Silva/?hl=pt")
>>> profile.network, profile.handle
(<SocialNetwork.INSTAGRAM: 'instagram'>, 'Joao.Silva')
>>> profile  # a handle names a person: reprs mask it
SocialProfile(instagram, 'J***')
>>> SocialProfile.parse("@joao.silva", network="instagram").match_key
'instagram:joao.silva'
>>> MessengerId.parse("whatsapp", "+55 11 98765-4321").id
'5511987654321'

``parse`` is the way in for what people type. The constructors take what
``parse`` returns and storage holds, and check its shape cheaply, as stored
records are loaded through them:

>>> MessengerId(MessengerApp.WHATSAPP, "joao")
Traceback (most recent call last):
...
customer_core.errors.InvalidMessengerId: invalid_messenger_id [messenger_ids]: a WhatsApp id is the phone digits
"""

from __future__ import annotations

import enum
import re
from typing import Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit

import attrs

from customer_core.domain.values.phone import Phone, phone_match_key
from customer_core.domain.values.text import masked
from customer_core.errors import (
    Code,
    InvalidExternalId,
    InvalidMessengerId,
    InvalidPhone,
    InvalidSocialProfile,
    InvalidWebsite,
)

__all__ = [
    "MAX_KEY",
    "ExternalId",
    "MessengerApp",
    "MessengerId",
    "SocialNetwork",
    "SocialProfile",
    "Website",
]

_MAX_ID = 255
_MAX_SYSTEM = 64  # an external id's system name

#: The longest match key (``system:id``, ``app:id``, ``network:handle``):
#: storage keeps identity keys up to this length, so an identifier whose key
#: is longer is refused when parsed, not when a batch is written.
MAX_KEY = 255


class _Keyed(Protocol):
    @property
    def match_key(self) -> str: ...


_K = TypeVar("_K", bound=_Keyed)


def _fits(value: _K, field: str, code: Code) -> _K:
    if len(value.match_key) > MAX_KEY:
        raise _invalid(f"too long: at most {MAX_KEY} characters", field, code)
    return value


class SocialNetwork(enum.Enum):
    """Social networks a profile may belong to (``other`` keeps the link as given)."""

    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    LINKEDIN = "linkedin"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    X = "x"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    OTHER = "other"

    @classmethod
    def parse(
        cls, text: SocialNetwork | str, /, *, field: str = "social_profiles"
    ) -> SocialNetwork:
        if isinstance(text, SocialNetwork):
            return text
        key = str(text).strip().lower()
        key = {"twitter": "x", "x/twitter": "x", "fb": "facebook", "ig": "instagram"}.get(key, key)
        try:
            return cls(key)
        except ValueError as exc:
            raise InvalidSocialProfile(
                f"unknown network {text!r}", code=Code.INVALID_SOCIAL_PROFILE, field=field
            ) from exc


_HOSTS = {
    "facebook.com": SocialNetwork.FACEBOOK,
    "fb.com": SocialNetwork.FACEBOOK,
    "instagram.com": SocialNetwork.INSTAGRAM,
    "linkedin.com": SocialNetwork.LINKEDIN,
    "t.me": SocialNetwork.TELEGRAM,
    "telegram.me": SocialNetwork.TELEGRAM,
    "wa.me": SocialNetwork.WHATSAPP,
    "whatsapp.com": SocialNetwork.WHATSAPP,
    "twitter.com": SocialNetwork.X,
    "x.com": SocialNetwork.X,
    "tiktok.com": SocialNetwork.TIKTOK,
    "youtube.com": SocialNetwork.YOUTUBE,
}
_HANDLE = re.compile(r"[\w.\-/]{1,100}")
# Path segments that are part of the handle on these networks (company pages, channels).
_KEPT_PREFIXES = {
    SocialNetwork.LINKEDIN: ("company", "school"),
    SocialNetwork.YOUTUBE: ("channel", "c", "user"),
}
_DROPPED_PREFIXES = {SocialNetwork.LINKEDIN: ("in",)}
_SITES = {
    SocialNetwork.TELEGRAM: "https://t.me/",
    SocialNetwork.WHATSAPP: "https://wa.me/",
    SocialNetwork.X: "https://x.com/",
    SocialNetwork.FACEBOOK: "https://www.facebook.com/",
    SocialNetwork.INSTAGRAM: "https://www.instagram.com/",
    SocialNetwork.LINKEDIN: "https://www.linkedin.com/",
    SocialNetwork.TIKTOK: "https://www.tiktok.com/",
    SocialNetwork.YOUTUBE: "https://www.youtube.com/",
}
_PROFILE_LINKS = _SITES | {
    SocialNetwork.LINKEDIN: "https://www.linkedin.com/in/",
    SocialNetwork.TIKTOK: "https://www.tiktok.com/@",
    SocialNetwork.YOUTUBE: "https://www.youtube.com/@",
}


def _whatsapp_phone_key(digits: str) -> str | None:
    # A wa_id carries the country code; gateways also send ``0055...`` or the
    # national number, which the Brazilian phone rules read.
    return phone_match_key("+" + digits) or phone_match_key(digits)


def _whatsapp_phone(digits: str) -> Phone | None:
    for spelling in ("+" + digits, digits):  # as _whatsapp_phone_key reads it
        try:
            return Phone.parse(spelling)
        except InvalidPhone:
            continue
    return None


def _whatsapp_line(digits: str) -> str:
    return _whatsapp_phone_key(digits) or digits


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    for prefix in ("www.", "m.", "mobile.", "web."):
        host = host.removeprefix(prefix)
    return host


def _handle_from_url(url: str, network: SocialNetwork) -> str:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if network is SocialNetwork.FACEBOOK and segments[:1] == ["profile.php"]:
        return parse_qs(parts.query).get("id", [""])[0]
    if segments and segments[0] in _DROPPED_PREFIXES.get(network, ()):
        segments = segments[1:]
    if segments and segments[0] in _KEPT_PREFIXES.get(network, ()):
        return "/".join(segments[:2])
    return segments[0] if segments else ""


#: The class of each code: a host catches a website's error as ``InvalidWebsite``
#: (or, as before, ``InvalidSocialProfile``, their common base).
_ERRORS: dict[Code, type[InvalidSocialProfile]] = {
    Code.INVALID_SOCIAL_PROFILE: InvalidSocialProfile,
    Code.INVALID_MESSENGER_ID: InvalidMessengerId,
    Code.INVALID_WEBSITE: InvalidWebsite,
    Code.INVALID_EXTERNAL_ID: InvalidExternalId,
}


def _invalid(
    message: str, field: str, code: Code = Code.INVALID_SOCIAL_PROFILE
) -> InvalidSocialProfile:
    return _ERRORS[code](message, code=code, field=field)


@attrs.frozen
class SocialProfile:
    """A profile on a social network, normalized to its handle (or the link, for
    sites the library does not know); build it with :meth:`parse`."""

    network: SocialNetwork
    handle: str = attrs.field(eq=str.lower)

    @handle.validator
    def _check_shape(self, _: attrs.Attribute[str], handle: object) -> None:
        """Cheap (stored profiles are loaded through here): a handle, or a link."""
        field = "social_profiles"
        if not isinstance(self.network, SocialNetwork):
            raise _invalid(f"unknown network {self.network!r}", field)
        if not isinstance(handle, str):
            raise _invalid("a handle is text", field)
        if _HANDLE.fullmatch(handle):
            return  # at most 100 characters: its key fits
        if "://" not in handle or handle != handle.strip():
            raise _invalid(f"not a valid {self.network.value} handle or link", field)
        if len(self.network.value) + 1 + len(handle.lower()) > MAX_KEY:
            raise _invalid(f"too long: at most {MAX_KEY} characters", field)

    @classmethod
    def parse(
        cls,
        text: str,
        /,
        *,
        network: SocialNetwork | str | None = None,
        field: str = "social_profiles",
    ) -> SocialProfile:
        """Parse a handle (``@ana``) or a profile URL; the network is read from the URL."""
        if not isinstance(text, str) or not text.strip():
            raise _invalid("the profile is empty", field)
        raw = text.strip()
        chosen = SocialNetwork.parse(network, field=field) if network is not None else None
        looks_like_url = "/" in raw or raw.lower().startswith(("http:", "https:"))
        if looks_like_url:
            url = raw if "://" in raw else "https://" + raw
            from_host = _HOSTS.get(_host(url))
            if chosen is None:
                chosen = from_host or SocialNetwork.OTHER
            elif from_host is not None and from_host is not chosen:
                raise _invalid(f"a {from_host.value} link given as {chosen.value}", field)
            if chosen is SocialNetwork.OTHER or from_host is None:
                return _fits(cls(chosen, url), field, Code.INVALID_SOCIAL_PROFILE)
            handle = _handle_from_url(url, chosen)
        else:
            if chosen is None:
                raise _invalid("a handle needs its network", field)
            handle = raw
        handle = handle.lstrip("@").strip()
        if chosen is SocialNetwork.WHATSAPP:
            handle = re.sub(r"\D", "", handle)
        if not handle or not _HANDLE.fullmatch(handle):
            raise _invalid(f"not a valid {chosen.value} handle", field)
        return _fits(cls(chosen, handle), field, Code.INVALID_SOCIAL_PROFILE)

    @property
    def match_key(self) -> str:
        if self.network is SocialNetwork.WHATSAPP:
            return f"whatsapp:{_whatsapp_line(self.handle)}"
        return f"{self.network.value}:{self.handle.lower()}"

    @property
    def url(self) -> str:
        """A link to the profile (the stored link for networks we do not know)."""
        if self.network is SocialNetwork.OTHER:
            return self.handle
        if "/" in self.handle:  # linkedin company/..., youtube channel/...
            return _SITES[self.network] + self.handle
        return _PROFILE_LINKS[self.network] + self.handle

    def __str__(self) -> str:
        return f"{self.network.value}:{self.handle}"

    def __repr__(self) -> str:
        return f"SocialProfile({self.network.value}, '{masked(self.handle, end=0, start=1)}')"


class MessengerApp(enum.Enum):
    """Messaging apps whose user ids identify a customer."""

    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    MESSENGER = "messenger"
    INSTAGRAM = "instagram"
    VIBER = "viber"
    SIGNAL = "signal"
    LINE = "line"
    WECHAT = "wechat"
    OTHER = "other"


_WHATSAPP = MessengerApp.WHATSAPP
#: The length of ``app:`` in each app's match keys.
_KEY_PREFIX = {app: len(app.value) + 1 for app in MessengerApp}


@attrs.frozen
class MessengerId:
    """A customer's id inside a messaging app (a WhatsApp ``wa_id``, a Telegram id...);
    build it with :meth:`parse`."""

    app: MessengerApp
    id: str = attrs.field()

    @id.validator
    def _check_shape(self, _: attrs.Attribute[str], value: object) -> None:
        """Cheap (stored ids are loaded through here): the shape ``parse`` checks.

        Not that a WhatsApp id is a valid number: ids stored before
        :meth:`parse` checked it must still load.
        """
        field, code = "messenger_ids", Code.INVALID_MESSENGER_ID
        if not isinstance(self.app, MessengerApp):
            raise _invalid(f"unknown app {self.app!r}", field, code)
        if not isinstance(value, str):
            raise _invalid("not a valid messenger id", field, code)
        if self.app is _WHATSAPP:
            if not (value.isdigit() and 8 <= len(value) <= 15):  # as parse tests it
                raise _invalid("a WhatsApp id is the phone digits", field, code)
            return  # its key is a phone line: short
        if not value or len(value) > _MAX_ID or not value.isprintable() or " " in value:
            raise _invalid("not a valid messenger id", field, code)
        if _KEY_PREFIX[self.app] + len(value.lower()) > MAX_KEY:
            raise _invalid(f"too long: at most {MAX_KEY} characters", field, code)

    @classmethod
    def parse(
        cls,
        app: MessengerApp | str,
        id: str,
        /,
        *,
        field: str = "messenger_ids",
        line_required: bool = True,
    ) -> MessengerId:
        """The id of ``app``; a WhatsApp id is the digits of a valid phone number.

        ``line_required=False`` also reads WhatsApp digits that are no valid
        number, which records stored before that check may hold: to name
        such an id (to remove it), never to add one.
        """
        try:
            chosen = (
                app if isinstance(app, MessengerApp) else MessengerApp(str(app).strip().lower())
            )
        except ValueError as exc:
            raise _invalid(f"unknown app {app!r}", field, Code.INVALID_MESSENGER_ID) from exc
        value = str(id).strip()
        if chosen is MessengerApp.WHATSAPP:
            value = re.sub(r"[\s()+\-.]", "", value)
            if not value.isdigit() or not 8 <= len(value) <= 15:
                raise _invalid(
                    "a WhatsApp id is the phone digits", field, Code.INVALID_MESSENGER_ID
                )
            if line_required and _whatsapp_phone_key(value) is None:  # e.g. DDD 00: no line
                raise _invalid("not a valid phone number", field, Code.INVALID_MESSENGER_ID)
        if not value or len(value) > _MAX_ID or not value.isprintable() or " " in value:
            raise _invalid("not a valid messenger id", field, Code.INVALID_MESSENGER_ID)
        return _fits(cls(chosen, value), field, Code.INVALID_MESSENGER_ID)

    @property
    def match_key(self) -> str:
        """``app:id``; a WhatsApp id keys on its phone line (old 8-digit ids included)."""
        if self.app is MessengerApp.WHATSAPP:
            return f"whatsapp:{_whatsapp_line(self.id)}"
        return f"{self.app.value}:{self.id.lower()}"

    @property
    def phone_key(self) -> str | None:
        """The phone match key of a WhatsApp id (it is the number), else ``None``."""
        if self.app is not MessengerApp.WHATSAPP:
            return None
        return _whatsapp_phone_key(self.id)

    @property
    def phone(self) -> Phone | None:
        """The phone line a WhatsApp id is the number of, else ``None``.

        >>> MessengerId.parse("whatsapp", "5511987654321").phone
        Phone('+55*******4321', mobile)
        >>> MessengerId.parse("telegram", "123456789").phone is None
        True
        """
        if self.app is not MessengerApp.WHATSAPP:
            return None
        return _whatsapp_phone(self.id)

    def __str__(self) -> str:
        return f"{self.app.value}:{self.id}"

    def __repr__(self) -> str:
        return f"MessengerId({self.app.value}, '{masked(self.id)}')"


_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


@attrs.frozen
class Website:
    """A site of the customer; ``https://`` is assumed when no scheme is typed.

    Build it with :meth:`parse`; the constructor checks the shape of what it
    returns: an http(s) link and its key (host and path, lower-case).
    """

    url: str = attrs.field(eq=False)
    match_key: str = attrs.field()

    @match_key.validator
    def _check_shape(self, _: attrs.Attribute[str], match_key: object) -> None:
        """Cheap (stored sites are loaded through here): an http(s) link and a key."""
        url = self.url
        if not isinstance(url, str) or not url[:8].lower().startswith(("http://", "https://")):
            raise _invalid("not a website address", "websites", Code.INVALID_WEBSITE)
        if not isinstance(match_key, str) or not match_key or match_key != match_key.lower():
            raise _invalid("not a website's key", "websites", Code.INVALID_WEBSITE)

    @classmethod
    def parse(cls, text: str, /, *, field: str = "websites") -> Website:
        raw = text.strip() if isinstance(text, str) else ""
        url = raw if "://" in raw else "https://" + raw
        try:  # urlsplit refuses a broken IPv6 host, IDNA a character no domain may hold
            parts = urlsplit(url)
            host = (parts.hostname or "").encode("idna").decode("ascii") if parts.hostname else ""
        except ValueError:  # UnicodeError included
            raise _invalid("not a website address", field, Code.INVALID_WEBSITE) from None
        if parts.scheme not in ("http", "https") or not _DOMAIN.fullmatch(host):
            raise _invalid("not a website address", field, Code.INVALID_WEBSITE)
        key = host.removeprefix("www.") + parts.path.rstrip("/")
        return cls(url, key.lower())

    def __str__(self) -> str:
        return self.url


@attrs.frozen
class ExternalId:
    """The customer's id in another system (ERP, e-commerce, marketing tool);
    build it with :meth:`parse`."""

    system: str = attrs.field(eq=str.lower)
    id: str = attrs.field()

    @id.validator
    def _check_shape(self, _: attrs.Attribute[str], value: object) -> None:
        """Cheap (stored ids are loaded through here): the shape ``parse`` checks.

        Not that a WhatsApp id is a valid number: ids stored before
        :meth:`parse` checked it must still load.
        """
        field, code = "external_ids", Code.INVALID_EXTERNAL_ID
        name = self.system
        if not (
            isinstance(name, str)
            and isinstance(value, str)
            and 0 < len(name) <= _MAX_SYSTEM
            and 0 < len(value) <= _MAX_ID
            and name.isprintable()
            and value.isprintable()
            and name == name.strip()
            and value == value.strip()
        ):
            raise _invalid("an external id needs a system and an id", field, code)
        if len(name.lower()) + 1 + len(value) > MAX_KEY:
            raise _invalid(f"too long: at most {MAX_KEY} characters", field, code)

    @classmethod
    def parse(cls, system: str, id: str, /, *, field: str = "external_ids") -> ExternalId:
        name, value = str(system).strip(), str(id).strip()
        code = Code.INVALID_EXTERNAL_ID
        if not name or not value:
            raise _invalid("an external id needs a system and an id", field, code)
        if not (name.isprintable() and value.isprintable()):
            raise _invalid("control characters are not allowed", field, code)
        if len(name) > _MAX_SYSTEM:
            raise _invalid(f"the system is too long: at most {_MAX_SYSTEM} characters", field, code)
        if len(value) > _MAX_ID:
            raise _invalid(f"too long: at most {_MAX_ID} characters", field, code)
        return _fits(cls(name, value), field, code)

    @property
    def match_key(self) -> str:
        return f"{self.system.lower()}:{self.id}"

    def __str__(self) -> str:
        return f"{self.system}:{self.id}"

    def __repr__(self) -> str:
        return f"ExternalId('{self.system}', '{masked(self.id, end=2)}')"
