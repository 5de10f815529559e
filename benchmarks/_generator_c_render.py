"""Generator C's rows: one entity as one system's record of it, with people's errors.

The rates are the ones ``generator_c.py``'s docstring lists; each error
applied to a row is named in the row's tags (the truth's ``tags``).
"""

from __future__ import annotations

import random
import re

import _generator_c_data as data
from _generator_c_entities import Address, Entity, pick, plain_text

HEADER = [
    "Nome",
    "Nome Fantasia",
    "E-mail",
    "Outros e-mails",
    "DDD",
    "Telefone",
    "Celular/WhatsApp",
    "CPF/CNPJ",
    "Rua",
    "Número",
    "Complemento",
    "Bairro",
    "Cidade",
    "Estado",
    "CEP",
    "Observação",
]

MOBILE_STYLES = [
    ("paren", 40.0),
    ("plain", 20.0),
    ("plus55", 10.0),
    ("paren9", 8.0),
    ("space", 8.0),
    ("zero", 3.0),
    ("55", 3.0),
    ("0xx", 2.0),
    ("0055", 2.0),
    ("noddd", 4.0),
]
WHATSAPP_STYLES = [("plus55", 70.0), ("55", 15.0), ("paren", 10.0), ("plain", 5.0)]
LANDLINE_STYLES = [
    ("paren", 50.0),
    ("plain", 20.0),
    ("space", 15.0),
    ("noddd", 10.0),
    ("plus55", 5.0),
]
KEYBOARD = {
    "a": "sqz",
    "b": "vgn",
    "c": "xdv",
    "d": "sfe",
    "e": "wrd",
    "f": "dgr",
    "g": "fht",
    "h": "gjy",
    "i": "uok",
    "j": "hku",
    "k": "jli",
    "l": "kop",
    "m": "nj",
    "n": "bmh",
    "o": "ipl",
    "p": "ol",
    "q": "wa",
    "r": "etf",
    "s": "adw",
    "t": "ryg",
    "u": "yij",
    "v": "cbf",
    "w": "qes",
    "x": "zsc",
    "y": "tuh",
    "z": "xas",
}
EMOJI = ["🌻", "💕", "🙏", "✨", "🌸", "⚽", "😊"]
TITLES = ["Dra.", "Dr.", "Prof.", "Pastor"]
PARTICLES = {"da", "de", "do", "dos", "das", "e"}


class Renderer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def row(
        self, e: Entity, source: str, copy: int, copies: int, thin: bool
    ) -> tuple[dict[str, str], list[str]]:
        rng = self.rng
        row = dict.fromkeys(HEADER, "")
        tags: list[str] = ["thin"] if thin else []
        if thin:
            row["Nome"] = self.name(e, source, copy, copies, thin, tags)
            row["Cidade"] = self.city(e.city[0], tags)
            phone = e.fresh_phone() if e.fresh_phone else ""
            column = "Celular/WhatsApp" if source != "helpdesk" else "Telefone"
            row[column] = self.mobile(phone, source, tags)
            return row, tags
        if source == "whatsapp" and e.kind == "person" and rng.random() < 0.01:
            tags.append("name_is_phone")
            row["Nome"] = self.mobile(e.mobile or "", source, [])
        else:
            row["Nome"] = self.name(e, source, copy, copies, thin, tags)
        upper = row["Nome"].isupper()
        if e.kind == "company" and source == "shop" and e.trade_name and rng.random() < 0.5:
            row["Nome Fantasia"] = self.company_text(e.trade_name, tags)
        self.phones(row, e, source, tags)
        email_rate = {"shop": 0.98, "helpdesk": 0.92, "whatsapp": 0.08}[source]
        if e.emails and rng.random() < email_rate:
            main = e.emails[1] if len(e.emails) > 1 and rng.random() < 0.3 else e.emails[0]
            row["E-mail"] = self.email(main, tags)
            if source == "shop" and len(e.emails) > 1 and rng.random() < 0.30:
                other = e.emails[0] if main != e.emails[0] else e.emails[1]
                row["Outros e-mails"] = self.email(other, tags)
        tax_rate = {
            "shop": 0.85 if e.kind == "person" else 0.90,
            "helpdesk": 0.15,
            "whatsapp": 0.03,
        }[source]
        if e.tax_id and rng.random() < tax_rate:
            row["CPF/CNPJ"] = self.tax_id(e.tax_id, tags)
        if source == "shop" and rng.random() < 0.92:
            self.address(row, e, upper, tags)
        elif (source == "helpdesk" and rng.random() < 0.40) or (
            source == "whatsapp" and rng.random() < 0.25
        ):
            row["Cidade"] = self.city(e.city[0], tags)
            if source == "helpdesk":
                row["Estado"] = self.uf(e.city[1], tags)
        row["Observação"] = self.note(source, tags)
        return row, tags

    # -- names -------------------------------------------------------------------

    def name(
        self, e: Entity, source: str, copy: int, copies: int, thin: bool, tags: list[str]
    ) -> str:
        rng = self.rng
        if e.kind == "company":
            return self.company_name(e, source, thin, tags)
        given = e.given
        surnames = list(e.surnames)
        suffix = e.suffix
        if suffix and rng.random() < (0.30 if copy > 0 else 0.10 if copies == 1 else 0.0):
            suffix = None
            tags.append("suffix_dropped")
        short = rng.random()
        if thin:
            surnames = surnames[-1:]
        elif source == "whatsapp" and short < 0.35:
            surnames, suffix = [], None
            if " " in given and rng.random() < 0.5:
                given = given.split()[0]
            tags.append("first_name_only")
        elif source == "whatsapp" and short < 0.75:
            surnames = surnames[-1:]
            tags.append("first_and_last")
        else:
            if len(surnames) >= 2 and rng.random() < 0.22:
                surnames = surnames[1:]
                tags.append("surname_dropped")
            elif len(surnames) >= 2 and rng.random() < 0.08:
                initial = surnames[0][1][0] + ("." if rng.random() < 0.7 else "")
                surnames[0] = (None, initial)
                tags.append("middle_abbreviated")
        if surnames and any(p for p, _ in surnames) and rng.random() < 0.15:
            surnames = [(None, s) for _, s in surnames]
            tags.append("particle_dropped")
        words = [f"{p} {s}" if p else s for p, s in surnames]
        if source == "helpdesk" and words and rng.random() < 0.03:
            last = words[-1].split()[-1]
            rest = " ".join([given, *words[:-1], *([suffix] if suffix else [])])
            text = f"{last}, {rest}"
            tags.append("surname_first")
        else:
            text = " ".join([given, *words, *([suffix] if suffix else [])])
        typo = 0.70 if thin else 0.08 if source == "whatsapp" else 0.05
        if rng.random() < typo:
            text = self.typo(text, tags)
        text = self.styled(text, tags, lower=0.20 if source == "whatsapp" else 0.07)
        if source == "whatsapp" and not thin:
            if rng.random() < 0.04:
                text = f"{text} {rng.choice(EMOJI)}"
                tags.append("emoji")
            if rng.random() < 0.02:
                text = f"{rng.choice(TITLES)} {text}"
                tags.append("title")
        return text

    def company_name(self, e: Entity, source: str, thin: bool, tags: list[str]) -> str:
        rng = self.rng
        trade = e.trade_name
        if trade and (
            source == "whatsapp"
            or (source == "helpdesk" and rng.random() < 0.6)
            or (thin and rng.random() < 0.5)
        ):
            tags.append("trade_name")
            text = trade
        else:
            text = e.legal_name
            if source != "whatsapp" and e.legal_form:
                form = self.legal_form(e.legal_form, tags)
                text = f"{text} {form}" if form else text
            if e.branch_label and self.rng.random() < 0.7:
                text = f"{text} - {e.branch_label}"
        if rng.random() < (0.70 if thin else 0.04):
            text = self.typo(text, tags)
        return self.company_text(text, tags)

    def legal_form(self, key: str, tags: list[str]) -> str:
        spellings = {k: s for k, s, _ in data.LEGAL_FORMS}
        spellings.update({"ME": ["ME", "M.E.", "- ME"], "MEI": ["MEI", "- MEI"]})
        options = spellings[key]
        r = self.rng.random()
        if r < 0.10:
            tags.append("legal_form_dropped")
            return ""
        if r < 0.20 and len(options) > 1:
            tags.append("legal_form_spelling")
            return self.rng.choice(options[1:])
        return options[0]

    def company_text(self, text: str, tags: list[str]) -> str:
        if self.rng.random() < 0.20:
            text = plain_text(text)
            tags.append("no_accents")
        if self.rng.random() < 0.30:
            text = text.upper()
            tags.append("upper")
        return text

    def styled(self, text: str, tags: list[str], lower: float) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            text = plain_text(text)
            tags.append("no_accents")
        r = rng.random()
        if r < 0.20:
            text = text.upper()
            tags.append("upper")
        elif r < 0.20 + lower:
            text = text.lower()
            tags.append("lower")
        if rng.random() < 0.03:
            text = rng.choice([f" {text}", f"{text} ", text.replace(" ", "  ", 1)])
            tags.append("spaces")
        return text

    def typo(self, text: str, tags: list[str]) -> str:
        rng = self.rng
        words = text.split(" ")
        candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if not candidates:
            return text
        i = rng.choice(candidates)
        w = words[i]
        k = rng.randrange(1, len(w) - 1)
        kind = rng.choice(["deletion", "swap", "neighbour", "double"])
        if kind == "deletion":
            w = w[:k] + w[k + 1 :]
        elif kind == "swap":
            w = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
        elif kind == "neighbour" and w[k].lower() in KEYBOARD:
            w = w[:k] + rng.choice(KEYBOARD[w[k].lower()]) + w[k + 1 :]
        else:
            w = w[:k] + w[k] + w[k:]
        words[i] = w
        tags.append("name_typo")
        return " ".join(words)

    # -- phones ------------------------------------------------------------------

    def phones(self, row: dict[str, str], e: Entity, source: str, tags: list[str]) -> None:
        rng = self.rng
        mobile = e.mobile
        if e.old_mobile and rng.random() < 0.25:
            mobile = e.old_mobile
            tags.append("old_number")
        landline_rate = 0.6 if e.shared_landline else 0.3
        if source == "whatsapp":
            row["Celular/WhatsApp"] = self.mobile(mobile or "", source, tags)
        elif source == "shop":
            if mobile and rng.random() < 0.95:
                row["Celular/WhatsApp"] = self.mobile(mobile, source, tags)
            if e.landline and rng.random() < (0.6 if e.shared_landline else 0.10):
                row["Telefone"] = self.landline(e.landline, tags)
        elif rng.random() < 0.85:
            use_landline = bool(e.landline) and rng.random() < landline_rate
            phone = e.landline if use_landline else mobile
            if not phone:
                return
            if rng.random() < 0.5:
                # The helpdesk's form had a DDD box and a number box.
                tags.append("ddd_column")
                ddd, local = (
                    (phone[:2], phone[2:]) if use_landline else self.mobile_parts(phone, tags)
                )
                row["DDD"] = ddd
                row["Telefone"] = local if rng.random() < 0.3 else _hyphen(local)
            elif use_landline:
                row["Telefone"] = self.landline(phone, tags)
            else:
                row["Telefone"] = self.mobile(phone, source, tags)

    def mobile_parts(self, digits: str, tags: list[str]) -> tuple[str, str]:
        """DDD and local number of a mobile as written down, with its errors."""
        rng = self.rng
        ddd, local = digits[:2], digits[2:]
        if rng.random() < 0.05:
            local = local[1:]
            tags.append("phone_no_ninth_digit")
        if rng.random() < 0.01:
            k = rng.randrange(len(local) - 4, len(local))
            local = local[:k] + str((int(local[k]) + rng.randint(1, 9)) % 10) + local[k + 1 :]
            tags.append("phone_typo")
        return ddd, local

    def mobile(self, digits: str, source: str, tags: list[str]) -> str:
        rng = self.rng
        if not digits:
            return ""
        ddd, local = self.mobile_parts(digits, tags)
        style = pick(rng, WHATSAPP_STYLES if source == "whatsapp" else MOBILE_STYLES)
        if style == "paren9" and len(local) != 9:
            style = "paren"
        tags.append(f"phone_{style}")
        return _phone(style, ddd, local)

    def landline(self, digits: str, tags: list[str]) -> str:
        style = pick(self.rng, LANDLINE_STYLES)
        tags.append(f"landline_{style}")
        return _phone(style, digits[:2], digits[2:])

    # -- the rest ----------------------------------------------------------------

    def email(self, address: str, tags: list[str]) -> str:
        rng = self.rng
        local, domain = address.split("@")
        if domain == "gmail.com" and rng.random() < 0.04:
            if "." in local:
                local = local.replace(".", "")
            else:
                k = rng.randrange(1, len(local))
                local = f"{local[:k]}.{local[k:]}"
            tags.append("gmail_dots")
        if domain in data.DOMAIN_TYPOS and rng.random() < 0.03:
            domain = rng.choice(data.DOMAIN_TYPOS[domain])
            tags.append("email_domain_typo")
        text = f"{local}@{domain}"
        r = rng.random()
        if r < 0.08:
            text = text.upper()
            tags.append("email_upper")
        elif r < 0.13:
            text = text[0].upper() + text[1:]
            tags.append("email_capitalised")
        if rng.random() < 0.02:
            text = f" {text} "
            tags.append("email_spaces")
        return text

    def tax_id(self, digits: str, tags: list[str]) -> str:
        rng = self.rng
        if rng.random() < 0.01:
            k = rng.randrange(len(digits))
            digits = digits[:k] + str((int(digits[k]) + rng.randint(1, 9)) % 10) + digits[k + 1 :]
            tags.append("tax_id_typo")
        style = pick(rng, [("formatted", 55.0), ("plain", 40.0), ("semi", 3.0), ("spaced", 2.0)])
        cnpj = len(digits) == 14
        if style == "plain":
            if cnpj and rng.random() < 0.03:
                tags.append("tax_id_scientific")
                return f"{int(digits):.5E}".replace(".", ",")
            if digits.startswith("0") and rng.random() < 0.5:
                tags.append("tax_id_zeros_lost")
                return digits.lstrip("0")
            return digits
        tags.append(f"tax_id_{style}")
        if cnpj:
            parts = [digits[:2], digits[2:5], digits[5:8], digits[8:12], digits[12:]]
            if style == "formatted":
                return f"{parts[0]}.{parts[1]}.{parts[2]}/{parts[3]}-{parts[4]}"
            if style == "semi":
                return f"{digits[:8]}/{parts[3]}-{parts[4]}"
            return " ".join([digits[:2] + digits[2:5] + digits[5:8], parts[3], parts[4]])
        if style == "formatted":
            return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"
        if style == "semi":
            return f"{digits[:9]}-{digits[9:]}"
        return f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"

    def address(self, row: dict[str, str], e: Entity, upper: bool, tags: list[str]) -> None:
        rng = self.rng
        a: Address = e.addresses[0]
        if len(e.addresses) > 1 and rng.random() < 0.5:
            a = e.addresses[-1]
            tags.append("moved")
        full, abbreviations, _ = data.STREET_TYPES[a.street_type]
        kind = full
        if rng.random() < 0.35:
            kind = rng.choice(abbreviations)
            tags.append("street_abbreviated")
        street = f"{kind} {a.street}"
        number = a.number
        if rng.random() < 0.20:
            street = rng.choice(
                [f"{street}, {number}", f"{street} {number}", f"{street}, nº {number}"]
            )
            number = ""
            tags.append("number_in_street")
        complement = a.complement or ""
        if complement and rng.random() < 0.5:
            complement = re.sub(
                r"apto", rng.choice(["ap", "ap.", "apartamento", "Apto.", "AP"]), complement
            )
            complement = re.sub(r"bloco", rng.choice(["bl", "Bl.", "BLOCO"]), complement)
        if upper:
            street, complement = street.upper(), complement.upper()
        row["Rua"], row["Número"], row["Complemento"] = street, number, complement
        row["Bairro"] = a.neighbourhood or ""
        row["Cidade"] = self.city(a.city[0], tags)
        row["Estado"] = self.uf(a.city[1], tags)
        row["CEP"] = self.cep(a.cep, tags)

    def cep(self, digits: str, tags: list[str]) -> str:
        style = pick(self.rng, [("hyphen", 55.0), ("plain", 40.0), ("dotted", 5.0)])
        if style == "hyphen":
            return f"{digits[:5]}-{digits[5:]}"
        if style == "dotted":
            tags.append("cep_dotted")
            return f"{digits[:2]}.{digits[2:5]}-{digits[5:]}"
        if digits.startswith("0") and self.rng.random() < 0.4:
            tags.append("cep_zero_lost")
            return digits.lstrip("0")
        return digits

    def city(self, name: str, tags: list[str]) -> str:
        rng = self.rng
        style = pick(
            rng,
            [
                ("as_is", 60.0),
                ("plain", 20.0),
                ("upper", 12.0),
                ("short", 3.0),
                ("typo", 2.0),
                ("lower", 3.0),
            ],
        )
        if style == "short" and name not in data.CITY_SHORT:
            style = "as_is"
        if style != "as_is":
            tags.append(f"city_{style}")
        if style == "plain":
            return plain_text(name)
        if style == "upper":
            return name.upper()
        if style == "lower":
            return name.lower()
        if style == "short":
            return rng.choice(data.CITY_SHORT[name])
        if style == "typo":
            return self.typo(name, []) if len(name) > 4 else name
        return name

    def uf(self, uf: str, tags: list[str]) -> str:
        style = pick(self.rng, [("upper", 92.0), ("lower", 4.0), ("name", 2.0), ("none", 2.0)])
        if style != "upper":
            tags.append(f"uf_{style}")
        return {"upper": uf, "lower": uf.lower(), "name": data.STATE_NAMES[uf], "none": ""}[style]

    def note(self, source: str, tags: list[str]) -> str:
        rng = self.rng
        if source == "shop" and rng.random() < 0.15:
            return rng.choice(
                [
                    f"Cliente desde {rng.randint(2012, 2024)}",
                    "Compra pelo site",
                    "Retira na loja",
                    "Prefere entrega à tarde",
                ]
            )
        if source == "helpdesk" and rng.random() < 0.30:
            subject = rng.choice(
                [
                    "troca de produto",
                    "atraso na entrega",
                    "segunda via de boleto",
                    "dúvida sobre garantia",
                    "cancelamento",
                ]
            )
            text = f"Chamado #{rng.randint(10000, 99999)}: {subject}"
            if rng.random() < 0.01:
                text += "\nLigar depois das 14h"
                tags.append("note_two_lines")
            return text
        if source == "whatsapp" and rng.random() < 0.40:
            return "Contato via WhatsApp"
        return ""


def _hyphen(local: str) -> str:
    return f"{local[:-4]}-{local[-4:]}"


def _phone(style: str, ddd: str, local: str) -> str:
    return {
        "paren": f"({ddd}) {_hyphen(local)}",
        "plain": f"{ddd}{local}",
        "plus55": f"+55 {ddd} {_hyphen(local)}",
        "paren9": f"({ddd}) {local[0]} {_hyphen(local[1:])}",
        "space": f"{ddd} {_hyphen(local)}",
        "zero": f"0{ddd} {_hyphen(local)}",
        "55": f"55{ddd}{local}",
        "0xx": f"0xx{ddd} {_hyphen(local)}",
        "0055": f"0055{ddd}{local}",
        "noddd": _hyphen(local),
    }[style]
