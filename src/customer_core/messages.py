"""Error messages in the user's language: English as raised, Portuguese (pt-BR) from a catalog.

Codes and fields never change with the language: a host keys on them. The
*message* a person reads is :func:`localize`'s: in English the error's own
message, unchanged; in another language with a catalog (``pt_BR`` ships)
the translation of that exact message when the catalog has it (``the
number has no area code (DDD)``), else the translation of the code's
message (:data:`CODE_MESSAGES`), so text the library does not control
(email-validator's English explanations, a value quoted in a message) is
never shown raw.

The language is ``lang`` when given (``"pt-BR"``, ``"pt_BR"``, ``"pt"``,
``"en"``), else the locale of the environment, read as :mod:`gettext` does
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``); the command line
takes ``--lang``.

>>> from customer_core import Phone, InvalidPhone
>>> try:
...     Phone.parse("98765-4321")
... except InvalidPhone as error:
...     print(error.code, localize(error, lang="en"))
...     print(error.code, localize(error, lang="pt-BR"))
invalid_phone the number has no area code (DDD)
invalid_phone o número não tem DDD
>>> from customer_core import InvalidEmail
>>> localize(InvalidEmail("The domain name x.y does not exist.", field="email"), lang="pt-BR")
'endereço de e-mail inválido'

The catalogs are standard gettext files in the package
(``customer_core/locales/<lang>/LC_MESSAGES/customer_core.po``) and read by
the standard library's :mod:`gettext`; the compiled ``.mo`` next to each
``.po`` ships in the wheel (``pybabel compile``; a test checks they agree).
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from customer_core.errors import Code, CustomerCoreError, FieldError, ValidationFailed

__all__ = [
    "CODE_MESSAGES",
    "DOMAIN",
    "ERROR",
    "FIELD_LABELS",
    "KNOWN_MESSAGES",
    "LOCALES",
    "describe",
    "field_label",
    "localize",
    "translate",
    "translation",
]

#: The gettext domain of the catalogs.
DOMAIN = "customer_core"
#: Where the catalogs are: ``<lang>/LC_MESSAGES/customer_core.mo``.
LOCALES = Path(__file__).parent / "locales"


def N_(message: str) -> str:  # the gettext convention for "mark, translate later"
    """Mark ``message`` for the catalog (``pybabel extract -k N_``); translated when shown."""
    return message


#: The message of each code, in English: what a user reads when the error's
#: own message is not in the catalog. ``{field}`` is the field's label.
CODE_MESSAGES: dict[Code, str] = {
    Code.CUSTOMER_CORE_ERROR: N_("something went wrong"),
    Code.INVALID_VALUE: N_("this value is not valid"),
    Code.EMPTY_FILE: N_("the file is empty"),
    Code.INVALID_HEADER: N_("the file's header has no name column"),
    Code.INVALID_MAPPING: N_("the column mapping is not valid"),
    Code.UNREADABLE_ROW: N_("this line cannot be read"),
    Code.EXTRA_FIELDS: N_("this line has more fields than the header"),
    Code.INVALID_STORED_VALUE: N_("the database cannot store this value"),
    Code.INVALID_CPF: N_("invalid CPF"),
    Code.INVALID_CNPJ: N_("invalid CNPJ"),
    Code.INVALID_TAX_ID: N_("not a CPF or a CNPJ"),
    Code.REPAIRED: N_("the leading zeros a spreadsheet dropped were put back"),
    Code.INVALID_PHONE: N_("invalid phone number"),
    Code.AREA_CODE_ADDED: N_(
        "the phone had no area code (DDD): the row's other phone, city or the same "
        "number written in full on another row gave it"
    ),
    Code.INVALID_EMAIL: N_("invalid e-mail address"),
    Code.INVALID_SOCIAL_PROFILE: N_("invalid social profile"),
    Code.INVALID_MESSENGER_ID: N_("invalid messenger id"),
    Code.INVALID_WEBSITE: N_("invalid website address"),
    Code.INVALID_EXTERNAL_ID: N_("invalid external id"),
    Code.INVALID_ADDRESS: N_("invalid address"),
    Code.INVALID_CEP: N_("invalid CEP"),
    Code.INVALID_UF: N_("unknown state (UF)"),
    Code.INVALID_LANGUAGE: N_("not a language code (ISO 639-1)"),
    Code.RULE_VIOLATION: N_("the rules of this account do not allow it"),
    Code.CARDINALITY_EXCEEDED: N_("more than the rules of this account allow"),
    Code.TOO_MANY_PHONES: N_("too many phones"),
    Code.TOO_MANY_EMAILS: N_("too many e-mail addresses"),
    Code.TOO_MANY_SOCIAL_PROFILES: N_("too many social profiles"),
    Code.TOO_MANY_ADDRESSES: N_("too many addresses"),
    Code.TOO_MANY_CONTACTS: N_("too many contacts"),
    Code.ONE_PROFILE_PER_NETWORK: N_("only one profile per network"),
    Code.PHONE_TYPE_NOT_ALLOWED: N_("this phone type is not allowed"),
    Code.NETWORK_NOT_ALLOWED: N_("this network is not allowed"),
    Code.ADDRESS_TYPE_NOT_ALLOWED: N_("this address type is not allowed"),
    Code.REQUIRED_FIELD: N_("{field} is required"),
    Code.DUPLICATE_IDENTIFIER: N_("this identifier is already on the record"),
    Code.INVALID_OPERATION: N_("this operation does not apply"),
    Code.UNKNOWN_STATUS: N_("unknown status"),
    Code.NOT_A_COMPANY: N_("only companies have contacts"),
    Code.PRIMARY_MUST_EXIST: N_("the primary one must be on the record"),
    Code.WRONG_TENANT: N_("the user does not belong to this account"),
    Code.INVALID_PASSWORD: N_("the password does not meet the rules"),
    Code.INVALID_RESET_TOKEN: N_("the reset link expired or is not valid"),
    Code.CONFLICTING_TAX_ID: N_("the two records have different CPF/CNPJ"),
    Code.CONFLICTING_EVIDENCE: N_("the identifiers of this row belong to different customers"),
    Code.ALREADY_UNDONE: N_("this merge was already undone"),
    Code.RETENTION_HOLD: N_("this data is kept under a legal retention hold"),
    Code.PRIVACY_KEY_REQUIRED: N_("the privacy key is needed to keep this customer blocked"),
    Code.BLOCKED: N_("this customer's data is blocked: it is kept, but not processed"),
    Code.NOT_FOUND: N_("not found"),
    Code.PERMISSION_DENIED: N_("you are not allowed to do this"),
    Code.CONFLICT: N_("the data changed meanwhile; try again"),
    Code.DUPLICATE_IDENTITY: N_("this identifier belongs to another customer"),
    Code.DUPLICATE_LOGIN: N_("this e-mail is another customer's login"),
    Code.VERSION_CONFLICT: N_("someone saved this customer after you opened it; reload it"),
    Code.STORAGE_UNAVAILABLE: N_("the database is unavailable; try again later"),
    Code.MISSING_DEPENDENCY: N_("an optional component is not installed"),
    Code.VALIDATION_FAILED: N_("some values are not valid"),
}

#: Messages the library raises word for word, translated as they are: more
#: precise than their code's message (a test checks each is raised in src/).
KNOWN_MESSAGES: tuple[str, ...] = (
    N_("expected text"),
    N_("the number is empty"),
    N_("one field holds more than one number"),
    N_("the number has letters or symbols"),
    N_("misplaced '+'"),
    N_("the number has no area code (DDD)"),
    N_("the number is too short"),
    N_("the number is too long"),
    N_("not a phone number"),
    N_("not a valid phone number"),
    N_("the extension must be digits"),
    N_("the country code (DDI) is missing"),
    N_("CPF check digits do not match"),
    N_("CNPJ check digits do not match"),
    N_("CPF made of one repeated digit"),
    N_("CNPJ made of one repeated digit"),
    N_("CPF has invalid characters"),
    N_("CNPJ has invalid characters"),
    N_("CPF must have 11 characters"),
    N_("CNPJ must have 14 characters"),
    N_("the e-mail is empty"),
    N_("a CEP has 8 digits"),
    N_("an address needs at least a street, a city, a UF or a CEP"),
    N_("the name is required"),
    N_("only companies have contacts"),
    N_("this identifier is already on the record"),
    N_("organization not found"),
    N_("an organization is another customer, a company"),
    N_("the seller owns several portfolios: choose one with to_portfolio_id"),
    N_("the customer holds the most phones the preset allows: this one was left out"),
    N_("the customer holds the most e-mails the preset allows: this one was left out"),
    N_("the preset allows no phone of this type: it was left out"),
    N_("the row's id names another customer than its phones, e-mails and CPF/CNPJ do"),
    N_("a person and a company are not one customer: choose the kind to merge them"),
    N_("an avatar is an http(s) address of an image"),
    N_("the kind chosen does not fit the CPF/CNPJ kept: a CNPJ is a company's, a CPF a person's"),
)

#: The fields a message may name (``{field}``), translated as labels.
FIELD_LABELS: tuple[str, ...] = (
    N_("name"),
    N_("phone"),
    N_("phones"),
    N_("email"),
    N_("emails"),
    N_("street"),
    N_("neighborhood"),
    N_("city"),
    N_("status"),
    N_("tax_id"),
    N_("addresses"),
    N_("trade_name"),
)


#: The word before an error on a terminal (``customer-core: error ...``).
ERROR = N_("error")


class _Problem(Protocol):
    @property
    def code(self) -> Code | str: ...

    @property
    def message(self) -> str: ...


def _languages(lang: str | None) -> list[str] | None:
    if lang is None:
        return None  # gettext reads LANGUAGE, LC_ALL, LC_MESSAGES and LANG
    tag = lang.strip().replace("-", "_")
    base, _, region = tag.partition("_")
    tag = f"{base.lower()}_{region.upper()}" if region else base.lower()
    return [tag, "pt_BR"] if tag == "pt" else [tag]


@lru_cache(maxsize=32)
def _catalog(languages: tuple[str, ...]) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALES, languages=list(languages), fallback=True)


def translation(lang: str | None = None) -> gettext.NullTranslations | None:
    """The catalog for ``lang`` (or the environment's locale); ``None`` for English."""
    languages = _languages(lang)
    if languages is None:
        found = gettext.find(DOMAIN, LOCALES)  # the environment may change: not cached
        if found is None:
            return None
        catalog = _catalog((Path(found).parent.parent.name,))
    else:
        catalog = _catalog(tuple(languages))
    return catalog if isinstance(catalog, gettext.GNUTranslations) else None


def translate(message: str, /, *, lang: str | None = None) -> str:
    """``message`` (one of this module's) for a reader of ``lang``."""
    catalog = translation(lang)
    return message if catalog is None else catalog.gettext(message)


def field_label(field: str | None, *, lang: str | None = None) -> str:
    """The name of ``field`` for a reader of ``lang`` (the field itself in English)."""
    catalog = translation(lang)
    name = field or ""
    if catalog is None or not name:
        return name
    return catalog.gettext(name.split(".")[-1])


def localize(
    problem: CustomerCoreError | FieldError | _Problem, /, *, lang: str | None = None
) -> str:
    """The message of ``problem`` (an error, a :class:`~customer_core.FieldError`, or
    anything with a ``code`` and a ``message``) for a reader of ``lang``."""
    if isinstance(problem, ValidationFailed) and problem.errors:
        return "; ".join(localize(item, lang=lang) for item in problem.errors)
    catalog = translation(lang)
    message = problem.message
    if catalog is None:
        return message
    # A message the catalog lacks (email-validator's English, a value quoted
    # in it) is never shown as it came: its code's message stands for it.
    specific = catalog.gettext(message)
    if specific != message:
        return specific
    code = Code(problem.code)
    field = getattr(problem, "field", None)
    return catalog.gettext(CODE_MESSAGES[code]).format(field=field_label(field, lang=lang))


def describe(error: CustomerCoreError, /, *, lang: str | None = None) -> str:
    """One line for a log or a terminal: ``code [field]: message``, the message localized.

    In English it is ``str(error)``; each problem of a
    :class:`~customer_core.ValidationFailed` is one ``code [field[index]]: message``.
    """
    if translation(lang) is None:
        return str(error)
    problems = error.errors if isinstance(error, ValidationFailed) and error.errors else [error]
    lines = []
    for problem in problems:
        where = problem.field or ""
        index = problem.index if isinstance(problem, FieldError) else None
        if index is not None:
            where = f"{where}[{index}]"
        lines.append(
            f"{problem.code}{f' [{where}]' if where else ''}: {localize(problem, lang=lang)}"
        )
    return "; ".join(lines)
