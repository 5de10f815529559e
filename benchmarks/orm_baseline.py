"""The baseline: a straightforward SQLAlchemy ORM importer, "what most people would write".

Declarative classes for a customers table and an identities table (one row
per phone, e-mail, CPF/CNPJ, external id; the key is unique per tenant), in
their own SQLite file. Each row is validated with the same
:func:`customer_core.io.parse_row` as the real importer (so both do the same
validation work), then its identities are queried, and the customer is
inserted or updated through the ``Session``, committing every 1000 rows.
Rows whose identifiers belong to two customers are counted as failed.

The identity lookup is spelled ``(kind = ? AND key = ?) OR ...``, which
SQLite answers from the primary key. ``tuple_(kind, key).in_(...)``, the
other obvious spelling, compiles to ``(kind, key) IN (VALUES ...)`` on SQLite,
which (SQLite 3.40) scans the tenant's identities for every row: quadratic,
an unfair baseline.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, and_, create_engine, or_, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from customer_core.io import CsvSource, Draft, parse_row

__all__ = ["orm_import"]

COMMIT_EVERY = 1000


class Base(DeclarativeBase):
    pass


class OrmCustomer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(14))
    phones: Mapped[list[str]] = mapped_column(JSON, default=list)
    emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(4000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    identities: Mapped[list[OrmIdentity]] = relationship(back_populates="customer")


class OrmIdentity(Base):
    __tablename__ = "identities"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    customer: Mapped[OrmCustomer] = relationship(back_populates="identities")


def _address(draft: Draft) -> dict[str, Any] | None:
    a = draft.address
    if a is None:
        return None
    return {
        "street": a.street,
        "number": a.number,
        "complement": a.complement,
        "neighborhood": a.neighborhood,
        "city": a.city,
        "uf": a.uf,
        "cep": a.cep,
    }


def prepare(database: Path) -> Any:
    """A fresh SQLite file with the two tables; returns the engine."""
    engine = create_engine(f"sqlite:///{database}")
    Base.metadata.create_all(engine)
    return engine


def orm_import(
    engine: Any, csv_path: Path, tenant_id: str, *, limit: int | None = None
) -> dict[str, int]:
    """Import the CSV (its first ``limit`` rows) row by row through the ORM; what happened."""
    created = updated = failed = rows = 0
    with open(csv_path, "rb") as stream, Session(engine) as session:
        for line, row in CsvSource(stream).rows():
            if rows == limit:
                break
            rows += 1
            draft = parse_row(line, row)
            if isinstance(draft, list):
                failed += 1
                continue
            keys = sorted((k.kind.value, k.key) for k in draft.identity_keys())
            held = (
                session.scalars(
                    select(OrmIdentity).where(
                        OrmIdentity.tenant_id == tenant_id,
                        or_(*(and_(OrmIdentity.kind == k, OrmIdentity.key == v) for k, v in keys)),
                    )
                ).all()
                if keys
                else []
            )
            owners = {identity.customer_id for identity in held}
            now = datetime.now(timezone.utc)
            phones = [p.e164 for p in draft.phones]
            emails = [str(e) for e in draft.emails]
            if not owners:
                customer = OrmCustomer(
                    tenant_id=tenant_id,
                    name=draft.name,
                    tax_id=draft.tax_id.digits if draft.tax_id else None,
                    phones=phones,
                    emails=emails,
                    address=_address(draft),
                    note=draft.note,
                    created_at=now,
                    updated_at=now,
                )
                session.add(customer)
                customer.identities = [
                    OrmIdentity(tenant_id=tenant_id, kind=kind, key=key) for kind, key in keys
                ]
                created += 1
            elif len(owners) > 1:
                failed += 1
            else:
                customer = session.get_one(OrmCustomer, owners.pop())
                customer.name = draft.name
                if draft.tax_id is not None:
                    customer.tax_id = draft.tax_id.digits
                customer.phones = customer.phones + [p for p in phones if p not in customer.phones]
                customer.emails = customer.emails + [e for e in emails if e not in customer.emails]
                customer.address = _address(draft) or customer.address
                customer.note = draft.note or customer.note
                customer.updated_at = now
                known = {(identity.kind, identity.key) for identity in held}
                for kind, key in keys:
                    if (kind, key) not in known:
                        session.add(
                            OrmIdentity(
                                tenant_id=tenant_id, kind=kind, key=key, customer_id=customer.id
                            )
                        )
                updated += 1
            if rows % COMMIT_EVERY == 0:
                session.commit()
        session.commit()
    return {"rows": rows, "created": created, "updated": updated, "failed": failed}
