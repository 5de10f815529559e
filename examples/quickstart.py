"""Quick start: build a customer from what users type, and see a clear error."""

from __future__ import annotations

from datetime import datetime, timezone

from customer_core import Cpf, Customer, CustomerCoreError, Email, Phone, presets


def main() -> None:
    policy = presets.OMNICHANNEL.contact
    ana = Customer.create(
        id="c-1",
        tenant_id="acme",
        name="Ana Lima",
        now=datetime.now(timezone.utc),
        tax_id=Cpf.parse("529.982.247-25"),
    )
    ana = ana.add_phone(Phone.parse("(11) 98765-4321"), policy=policy)
    ana = ana.add_phone(Phone.parse("0 21 11 3333-4444"), policy=policy)
    ana = ana.add_email(Email.parse("Ana.Lima@Exemplo.com.br"), policy=policy)
    print(ana, "phones:", [str(p) for p in ana.phones], "e-mail:", ana.primary_email)
    for bad in ("111.111.111-11", "529.982.247-24"):
        try:
            Cpf.parse(bad)
        except CustomerCoreError as error:
            print(f"{bad!r} -> {error}")


if __name__ == "__main__":
    main()
