"""Brazilian states: their full names, and the CEP ranges of each (Correios).

Data, not logic: :mod:`customer_core.domain.values.address` reads these to
turn "São Paulo" or "sao paulo" into ``SP`` and to tell whether a CEP that
lost its leading zero in a spreadsheet (7 digits) belongs to the row's state.
"""

from __future__ import annotations

__all__ = ["CEP_RANGES", "STATE_NAMES"]

#: Folded name (lower case, no accents) -> UF.
STATE_NAMES = {
    "acre": "AC",
    "alagoas": "AL",
    "amapa": "AP",
    "amazonas": "AM",
    "bahia": "BA",
    "ceara": "CE",
    "distrito federal": "DF",
    "espirito santo": "ES",
    "goias": "GO",
    "maranhao": "MA",
    "mato grosso": "MT",
    "mato grosso do sul": "MS",
    "minas gerais": "MG",
    "para": "PA",
    "paraiba": "PB",
    "parana": "PR",
    "pernambuco": "PE",
    "piaui": "PI",
    "rio de janeiro": "RJ",
    "rio grande do norte": "RN",
    "rio grande do sul": "RS",
    "rondonia": "RO",
    "roraima": "RR",
    "santa catarina": "SC",
    "sao paulo": "SP",
    "sergipe": "SE",
    "tocantins": "TO",
}

#: UF -> ranges of the CEP's first five digits, inclusive.
CEP_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "SP": ((1000, 19999),),
    "RJ": ((20000, 28999),),
    "ES": ((29000, 29999),),
    "MG": ((30000, 39999),),
    "BA": ((40000, 48999),),
    "SE": ((49000, 49999),),
    "PE": ((50000, 56999),),
    "AL": ((57000, 57999),),
    "PB": ((58000, 58999),),
    "RN": ((59000, 59999),),
    "CE": ((60000, 63999),),
    "PI": ((64000, 64999),),
    "MA": ((65000, 65999),),
    "PA": ((66000, 68899),),
    "AP": ((68900, 68999),),
    "AM": ((69000, 69299), (69400, 69899)),
    "RR": ((69300, 69399),),
    "AC": ((69900, 69999),),
    "DF": ((70000, 72799), (73000, 73699)),
    "GO": ((72800, 72999), (73700, 76799)),
    "RO": ((76800, 76999),),
    "TO": ((77000, 77999),),
    "MT": ((78000, 78899),),
    "MS": ((79000, 79999),),
    "PR": ((80000, 87999),),
    "SC": ((88000, 89999),),
    "RS": ((90000, 99999),),
}
