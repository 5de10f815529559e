"""Evidence from the channels two records hold: phones, e-mails and their typos.

Split from :mod:`.duplicates`; :mod:`.scoring` scores a pair from this
evidence, the names and the addresses. A shared mobile, landline or mailbox is evidence;
a typo of one (one digit of a mobile, one letter of an e-mail) is weaker
evidence; an e-mail local part made of the person's name is evidence only
within one domain (every João Silva picks ``joao.silva`` at every provider),
and two real providers' domains are never typos of one another.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping

from rapidfuzz.distance import OSA, Levenshtein

from customer_core.domain.matching.rare_names import (
    key_bits,
)
from customer_core.domain.matching.records import (
    _FREE_MAIL,
    _ROLE_MAILBOXES,
    Evidence,
    MatchingPolicy,
    MatchRecord,
    NameKey,
)


def _useful_local_part(local: str) -> bool:
    return len(local) >= 4 and local not in _ROLE_MAILBOXES


def _held_by_many(key: str, holders: Mapping[str, int] | None, limit: int) -> int:
    count = holders.get(key, 0) if holders is not None else 0
    return count if count > limit else 0


def _domain_typo(x: str, y: str) -> bool:
    """``gmial.com`` for ``gmail.com``, ``gmail.com.br`` for ``gmail.com``: one mailbox.

    Two real providers are two mailboxes, however alike they look:
    ``hotmail.com.br`` is not a typo of ``hotmail.com``, nor ``bol.com.br`` of
    ``uol.com.br``.
    """
    if x in _FREE_MAIL and y in _FREE_MAIL:
        return x == y
    if x.removesuffix(".br") == y.removesuffix(".br"):
        return True
    if (x in _FREE_MAIL) == (y in _FREE_MAIL):  # two providers, or two companies
        return False
    return OSA.distance(x, y, score_cutoff=2) <= 2


#: The provider whose addresses ignore dots and a ``+tag`` in the local part.
_GMAIL = "gmail.com"
_GMAIL_DOMAINS = frozenset({_GMAIL, "googlemail.com", "gmail.com.br"})
#: Real providers one letter from ``gmail.com``: never Gmail mistyped.
_NOT_GMAIL = frozenset({"mail.com", "email.com"})


def gmail_mailbox(email: str, /) -> str | None:
    """The Gmail mailbox an address reaches, or ``None`` for another provider.

    Gmail ignores dots in the local part and anything after a ``+``:
    ``maria.785.94@gmail.com`` and ``maria78594@gmail.com`` are one mailbox,
    whichever way the customer typed it on each form. A domain one typo from
    ``gmail.com`` (``gmail.con``, ``gamil.com``) is Gmail mistyped.

    >>> gmail_mailbox("Di.Ego66+loja@gmail.con"), gmail_mailbox("di.ego66@hotmail.com")
    ('diego66', None)
    """
    local, _, domain = email.lower().rpartition("@")
    if domain not in _GMAIL_DOMAINS and (
        domain in _FREE_MAIL
        or domain in _NOT_GMAIL
        or OSA.distance(domain, _GMAIL, score_cutoff=1) > 1
    ):
        return None
    mailbox = local.partition("+")[0].replace(".", "")
    return mailbox if _useful_local_part(mailbox) else None


def _made_of_name(local: str, names: Iterable[NameKey], holders: Mapping[str, int] | None) -> bool:
    """Whether an e-mail local part is a name and maybe a number (``joao.silva``, ``jsilva12``).

    Such a local part is what every João Silva picks, at every provider. The
    words may be those of the two names, or any word of a name in the tenant
    (``holders`` counts them): *Ana* and ``ana.alves`` is a name too.
    """
    letters = "".join(c for c in local.rstrip(string.digits) if c not in "._-+")
    words = {w for name in names for w in name.words if len(w) > 1}
    if not letters.isalpha() or not words:
        return False
    initials = {w[0] for w in words}

    def known(piece: str) -> bool:
        return piece in words or (holders is not None and f"word:{piece}" in holders)

    reachable = [True] + [False] * len(letters)
    for i in range(len(letters)):
        if not reachable[i]:
            continue
        if letters[i] in initials:
            reachable[i + 1] = True
        for end in range(i + 2, len(letters) + 1):
            if known(letters[i:end]):
                reachable[end] = True
    return reachable[-1]


def _mailbox(email: str) -> tuple[str, str]:
    local, _, domain = email.rpartition("@")
    return local, domain


def _local_part_evidence(
    local: str,
    domains: tuple[str, str],
    a: MatchRecord,
    b: MatchRecord,
    policy: MatchingPolicy,
    holders: Mapping[str, int] | None,
) -> Evidence:
    """One local part at two domains: a typo, a name anyone could pick, or a signature."""
    many = _held_by_many(f"local:{local}", holders, policy.max_key_holders)
    if many:
        return Evidence("email_local_part", f"{local} (held by {many} records: no evidence)", 0.0)
    x, y = domains
    if _domain_typo(x, y):
        detail = f"{local}@{x} ~ {local}@{y}: the same address, the domain mistyped"
        return Evidence("email", detail, policy.email)
    if not _made_of_name(local, (*a.names, *b.names), holders):
        return Evidence("email_local_part", local, policy.email_local_part)
    number = local[len(local.rstrip(string.digits)) :]
    year = len(number) == 4 and number.startswith(("19", "20"))
    if len(number) >= 3 and not year:  # joao.silva185: specific
        return Evidence("email_local_part", local, policy.email_local_part)
    namesakes = _name_holders(a, b, holders)
    if namesakes > policy.common_name_records:  # every third one of them picks it
        detail = f"{local} (made of a name {namesakes} records carry: no evidence)"
        return Evidence("email_local_part", detail, 0.0)
    if year:  # joao.silva1987, of a rare name
        return Evidence("email_local_part", local, policy.email_local_part)
    detail = f"{local} (made of the name, like many people's)"
    return Evidence("email_local_part", detail, policy.email_local_part_from_name)


def _email_evidence(
    a: MatchRecord, b: MatchRecord, policy: MatchingPolicy, holders: Mapping[str, int] | None
) -> list[Evidence]:
    found: list[Evidence] = []
    shared = sorted(set(a.emails) & set(b.emails))
    for email in shared:
        many = _held_by_many(f"email:{email}", holders, policy.max_key_holders)
        bits = key_bits("email", f"email:{email}", holders, policy)
        if many:
            text = f"{email} (held by {many} records: no evidence)"
            found.append(Evidence("email", text, 0.0, bits))
        else:
            found.append(Evidence("email", email, policy.email, bits))
    if shared:
        return found
    gmail = _one_gmail_mailbox(a, b, holders)
    if gmail is not None:
        return [Evidence("email", gmail, policy.email, key_bits("email", "", holders, policy))]
    a_mail = [_mailbox(e) for e in a.emails]
    b_mail = [_mailbox(e) for e in b.emails]
    for local, x in a_mail:
        for other, y in b_mail:
            if local == other and _useful_local_part(local):
                found.append(_local_part_evidence(local, (x, y), a, b, policy, holders))
    if found:
        return found
    typo = _email_typo(dict(a_mail), dict(b_mail))
    if typo and _name_holders(a, b, holders) > policy.common_name_records:
        found.append(Evidence("email_typo", f"{typo} (a common name: no evidence)", 0.0))
    elif typo:
        found.append(Evidence("email_typo", typo, policy.email_typo))
    domains = sorted({d for _, d in a_mail if d not in _FREE_MAIL} & {d for _, d in b_mail})
    if domains:
        found.append(Evidence("email_domain", domains[0], policy.email_domain))
    return found


def _one_gmail_mailbox(
    a: MatchRecord, b: MatchRecord, holders: Mapping[str, int] | None
) -> str | None:
    """Two addresses of one Gmail mailbox, told apart only by dots or a ``+tag``, if any.

    Only a mailbox that is more than a name: ``joao.oliveira`` and
    ``joaooliveira`` are what every João Oliveira types, his own address or
    not (the same name at another provider is no evidence either), while
    ``maria785.94`` and ``maria78594`` are one person's. The same local
    part at a mistyped domain is the domain rule's (:func:`_local_part_evidence`).
    """
    ours = {m: x for x in sorted(a.emails) if (m := gmail_mailbox(x)) is not None}
    names = (*a.names, *b.names)
    for y in sorted(b.emails):
        mailbox = gmail_mailbox(y) or ""
        x = ours.get(mailbox)
        if x is None or _mailbox(x)[0] == _mailbox(y)[0]:
            continue
        if not _made_of_name(mailbox, names, holders) or _specific_number(mailbox):
            return f"{x} ~ {y}: one Gmail mailbox (Gmail ignores dots and +tags)"
    return None


def _specific_number(local: str) -> bool:
    """Three digits or more ending the local part, not a year (``joao.silva185``)."""
    number = local[len(local.rstrip(string.digits)) :]
    return len(number) >= 3 and not (len(number) == 4 and number.startswith(("19", "20")))


def _contact_evidence(
    a: MatchRecord, b: MatchRecord, policy: MatchingPolicy, holders: Mapping[str, int] | None
) -> list[Evidence]:
    found: list[Evidence] = []
    mixed = a.company != b.company

    def add(kind: str, detail: str, weight: float, key: str, limit: int) -> None:
        many = _held_by_many(key, holders, limit)
        bits = key_bits(kind, key, holders, policy)
        if many:
            text = f"{detail} (held by {many} records: no evidence)"
            found.append(Evidence(kind, text, 0.0, bits))
        else:
            found.append(Evidence(kind, detail, weight, bits))

    if a.tax_id is not None and a.tax_id == b.tax_id:
        kind = a.tax_id.partition(":")[0]
        bits = key_bits("tax_id", "", holders, policy)
        found.append(Evidence("tax_id", f"the same {kind.upper()}", policy.tax_id, bits))
    shared_mobiles = set(a.mobiles) & set(b.mobiles)
    for line in sorted(shared_mobiles):
        if mixed:
            add(
                "mobile",
                f"+{line}, on a person and a company",
                policy.mobile_person_company,
                f"line:{line}",
                policy.max_key_holders,
            )
        else:
            add("mobile", f"+{line}", policy.mobile, f"line:{line}", policy.max_key_holders)
    shared_landlines = (set(a.lines) & set(b.lines)) - shared_mobiles
    for line in sorted(shared_landlines):
        add("landline", f"+{line}", policy.landline, f"line:{line}", policy.max_key_holders)
    if not shared_mobiles and not shared_landlines:
        suffixes = {x[-8:] for x in a.mobiles} & {x[-8:] for x in b.mobiles}
        typo = None if suffixes else _mobile_typo(a.mobiles, b.mobiles)
        if suffixes:
            suffix = min(suffixes)
            add(
                "phone_suffix",
                f"…{suffix}, another area code",
                policy.phone_suffix,
                f"suffix:{suffix}",
                policy.max_key_holders,
            )
        elif typo is not None:
            detail = f"+{typo[0]} ~ +{typo[1]}: one digit apart"
            found.append(
                Evidence(
                    "phone_typo",
                    detail,
                    policy.phone_typo,
                    key_bits("phone_typo", "", holders, policy),
                )
            )
    found += _email_evidence(a, b, policy, holders)
    for cep in sorted(set(a.ceps) & set(b.ceps)):
        add("cep", f"{cep[:5]}-{cep[5:]}", policy.cep, f"cep:{cep}", policy.max_cep_holders)
    return found


def _mobile_typo(xs: Iterable[str], ys: Iterable[str]) -> tuple[str, str] | None:
    """Two mobiles of one area code one digit apart (one mistyped or two swapped), if any.

    A mistyped digit makes another valid line, which the customer's other
    records never hold; by chance, two customers' numbers this close are
    rare (a few dozen of a hundred million numbers of an area code).
    """
    for x in sorted(xs):
        for y in sorted(ys):
            same_area = len(x) == len(y) and x[:4] == y[:4] and x != y
            if same_area and OSA.distance(x[4:], y[4:], score_cutoff=1) == 1:
                return x, y
    return None


def _letters_only_edit(x: str, y: str) -> bool:
    """Whether every character the edit from ``x`` to ``y`` touches is a letter."""
    for op in Levenshtein.editops(x, y):
        if op.tag in ("replace", "delete") and not x[op.src_pos].isalpha():
            return False
        if op.tag in ("replace", "insert") and not y[op.dest_pos].isalpha():
            return False
    return True


def _email_typo(a_mail: Mapping[str, str], b_mail: Mapping[str, str]) -> str | None:
    """Local parts at one domain, one letter apart.

    Not a digit or a separator: *joao.silva2* and *joaosilva* are other João Silvas.
    """
    for x, domain in sorted(a_mail.items()):
        for y in sorted(b_mail):
            if min(len(x), len(y)) < 6 or x == y or b_mail[y] != domain:
                continue
            if OSA.distance(x, y, score_cutoff=1) == 1 and _letters_only_edit(x, y):
                return f"{x} ~ {y}@{domain}"
    return None


def _common_name_key(name: NameKey) -> str | None:
    """First and last word by sound, in either order (one word alone); ``None`` for initials."""
    if not name.words or len(name.words[0]) < 2 or len(name.words[-1]) < 2:
        return None
    first, last = sorted((name.sounds[0], name.sounds[-1]))
    return f"common:{first}:{last}" if len(name.words) > 1 else f"common:{first}"


def _name_holders(a: MatchRecord, b: MatchRecord, holders: Mapping[str, int] | None) -> int:
    """How many records carry the pair's first and last name (the commoner spelling)."""
    if holders is None:
        return 0
    full = [
        {s for w, s in zip(r.names[0].words, r.names[0].sounds, strict=True) if len(w) > 1}
        for r in (a, b)
    ]
    if len(full[0] & full[1]) >= 3:  # three words in common, middle names too: rare enough
        return 0
    keys = [k for r in (a, b) if (k := _common_name_key(r.names[0])) is not None]
    return max((holders.get(k, 0) for k in keys), default=0)
