"""escalations: the reference number (受付番号) the visitor is given

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint("uq_escalations_reference", ["reference"])


def downgrade() -> None:
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_constraint("uq_escalations_reference", type_="unique")
        batch_op.drop_column("reference")
