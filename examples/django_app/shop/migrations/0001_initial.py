"""The shop's Order (``manage.py makemigrations``); the library's tables are Alembic's."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = ()

    operations = (
        migrations.CreateModel(
            name="Order",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("tenant_id", models.CharField(max_length=64)),
                ("number", models.IntegerField()),
                ("customer_id", models.CharField(max_length=64)),
                ("total_cents", models.IntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("tenant_id", "number"), name="shop_order_number"
                    )
                ],
            },
        ),
    )
