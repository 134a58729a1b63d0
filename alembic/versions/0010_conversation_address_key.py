"""conversations: the keyed digest of the client address, for open bookings per address

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 06:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address_key", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_conversations_address_key"), ["address_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversations_address_key"))
        batch_op.drop_column("address_key")
